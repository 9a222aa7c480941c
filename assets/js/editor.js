// The article form's enhancements: unsaved text kept in the background,
// a warning before leaving unkept changes, Ctrl/Cmd+S, who else has the
// form open and whether they saved, a live preview with the word count
// and reading time the server computes, a Markdown toolbar, and the
// address the slug makes. The form works without any of it.
(function () {
  'use strict';

  var form = document.querySelector('form.article-form');
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var urls = form.dataset;
  var status = form.querySelector('[data-testid="autosave-status"]');
  var body = document.getElementById('f-body');
  var saveButton = form.querySelector('button[type="submit"]');
  var keepEvery = 15000;
  var presenceEvery = 30000;

  // fields are the form's values without the lead image's file, which
  // is sent only when the editor saves.
  function fields() {
    var data = new FormData(form);
    data.delete('lead_file');
    return data;
  }

  function snapshot() {
    return new URLSearchParams(fields()).toString();
  }

  function say(text) {
    status.textContent = text;
  }

  var sessionEnded = 'your session has ended (Save draft will take you to log in, keeping your text)';

  // post sends data and reads the JSON answer. An error says why in words,
  // and carries how many seconds to wait when the server asked for a pause.
  function post(url, data, keepalive) {
    return fetch(url, {
      method: 'POST', body: data, credentials: 'same-origin', keepalive: Boolean(keepalive),
      headers: {'Accept': 'application/json'}
    }).then(function (res) {
      var json = (res.headers.get('Content-Type') || '').indexOf('application/json') === 0;
      if (res.ok && json && !res.redirected) {
        return res.json();
      }
      var err = new Error('the server answered ' + res.status);
      if (res.redirected || res.status === 401 || res.status === 403) {
        err.message = sessionEnded;
      } else if (res.status === 429) {
        err.message = 'too many requests';
        err.retry = Number(res.headers.get('Retry-After')) || 5;
      }
      if (!json || res.redirected) {
        throw err;
      }
      return res.json().then(function (body) {
        err.message = body.error || err.message;
        throw err;
      });
    });
  }

  // Unsaved text, kept in the background. A form that opens holding text
  // nothing has kept (refused, or carried through login) is kept at once;
  // while older kept changes are offered above the form, nothing is kept,
  // so that they are not overwritten before the editor chooses.
  var kept = urls.unkept ? '' : snapshot();
  var keeping = null;
  var submitting = false;
  var offered = urls.kept === 'offered';

  function keep(closing) {
    clearTimeout(keeping);
    keeping = null;
    var now = snapshot();
    if (now === kept || submitting) {
      return;
    }
    if (offered) {
      say('Your changes are not being kept: first restore or discard the unsaved changes above.');
      return;
    }
    // A closing tab cancels ordinary requests; browsers let small ones
    // outlive the page.
    var small = closing && now.length < 60000;
    post(urls.scratch, fields(), small).then(function (res) {
      kept = now;
      say('Unsaved changes kept at ' + res.kept + '.');
    }).catch(function (err) {
      var why = navigator.onLine === false ? 'offline' : err.message;
      say('Could not keep your changes: ' + why + '. They are still in this page.');
      if (err.retry) {
        keeping = setTimeout(keep, err.retry * 1000);
      }
    });
  }

  function changed() {
    if (!keeping) {
      keeping = setTimeout(keep, keepEvery);
    }
    schedulePreview();
    showAddress();
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      keep(true);
    }
  });
  if (urls.unkept) {
    keep();
  }
  form.addEventListener('submit', function () {
    submitting = true;
  });
  window.addEventListener('beforeunload', function (event) {
    if (!submitting && snapshot() !== kept) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
  document.addEventListener('keydown', function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.code === 'KeyS') {
      event.preventDefault();
      if (submitting) {
        return;
      }
      if (form.requestSubmit) {
        form.requestSubmit(saveButton);
      } else {
        saveButton.click();
      }
    }
  });

  // Who else has the form open, and whether someone saved meanwhile.
  var presenceBox = document.querySelector('[data-testid="presence"]');
  var newerBox = document.querySelector('[data-testid="newer-revision"]');
  var base = Number(form.elements.base ? form.elements.base.value : 0);

  function presence() {
    var data = new FormData();
    data.append('_csrf', form.elements._csrf.value);
    data.append('base', String(base));
    post(urls.presence, data).then(function (res) {
      // Live regions are only touched when what they say changes, so
      // that screen readers do not repeat it every half minute.
      var lines = res.others.map(function (other) {
        return other.name + ' is also editing · since ' + other.since;
      });
      if (lines.join('\n') !== presenceBox.dataset.said) {
        presenceBox.dataset.said = lines.join('\n');
        presenceBox.textContent = '';
        lines.forEach(function (text) {
          var line = document.createElement('p');
          line.textContent = text;
          presenceBox.appendChild(line);
        });
        presenceBox.hidden = lines.length === 0;
      }
      if (res.head.number > base && String(res.head.number) !== newerBox.dataset.told) {
        newerBox.dataset.told = String(res.head.number);
        newerBox.textContent = 'Revision ' + res.head.number + ' was saved by ' + res.head.author + ' at ' + res.head.at + ' — ';
        var link = document.createElement('a');
        link.href = res.head.compare;
        link.target = '_blank';
        link.textContent = 'see what changed';
        newerBox.appendChild(link);
        newerBox.appendChild(document.createTextNode('. Saving will show you both versions first.'));
        newerBox.hidden = false;
      }
    }).catch(function () {
      // Presence is a courtesy: the conflict page still guards every save.
    });
  }

  if (urls.presence) {
    presence();
    setInterval(presence, presenceEvery);
    // Coming back to the tab is when news matters most.
    window.addEventListener('focus', presence);
    window.addEventListener('pagehide', function () {
      if (navigator.sendBeacon) {
        var data = new FormData();
        data.append('_csrf', form.elements._csrf.value);
        navigator.sendBeacon(urls.leave, data);
      }
    });
  }

  // The live preview, word count and reading time, from the server.
  var count = document.createElement('p');
  count.className = 'hint word-count';
  count.setAttribute('data-testid', 'word-count');
  var toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'button';
  toggle.textContent = 'Show preview';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'live-preview');
  var panel = document.createElement('section');
  panel.id = 'live-preview';
  panel.className = 'live-preview';
  panel.setAttribute('aria-label', 'Preview');
  panel.setAttribute('data-testid', 'live-preview');
  panel.hidden = true;
  var bodyField = body.closest('.field');
  bodyField.appendChild(count);
  var tools = document.createElement('div');
  tools.className = 'preview-toggle';
  tools.appendChild(toggle);
  bodyField.appendChild(tools);
  bodyField.parentNode.insertBefore(panel, bodyField.nextSibling);
  form.classList.add('with-preview');

  var previewing = null;
  var previewed = '';
  var asked = 0;

  function schedulePreview() {
    clearTimeout(previewing);
    previewing = setTimeout(preview, 700);
  }

  function preview() {
    var now = snapshot();
    if (now === previewed) {
      return;
    }
    var ask = ++asked;
    post(urls.preview, fields()).then(function (res) {
      if (ask !== asked) {
        return; // a later preview is on its way
      }
      previewed = now;
      count.textContent = res.words + (res.words === 1 ? ' word' : ' words') + ' · ' + res.minutes + ' min read';
      if (!panel.hidden) {
        // Rendered by the server with the reader's sanitizer and templates.
        panel.innerHTML = res.html;
      } else {
        panel.dataset.html = res.html;
      }
    }).catch(function (err) {
      if (ask !== asked) {
        return;
      }
      if (err.retry) {
        previewing = setTimeout(preview, err.retry * 1000);
        return;
      }
      count.textContent = 'Preview unavailable: ' + err.message;
    });
  }

  toggle.addEventListener('click', function () {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    toggle.textContent = panel.hidden ? 'Show preview' : 'Hide preview';
    form.classList.toggle('previewing', !panel.hidden);
    if (!panel.hidden && panel.dataset.html) {
      panel.innerHTML = panel.dataset.html;
      delete panel.dataset.html;
    }
    previewed = '';
    preview();
  });
  preview();

  // A Markdown toolbar: each button inserts plain Markdown.
  var marks = [
    {label: 'Bold', code: 'KeyB', keys: 'Control+B', wrap: ['**', '**'], sample: 'bold text'},
    {label: 'Italic', code: 'KeyI', keys: 'Control+I', wrap: ['*', '*'], sample: 'italic text'},
    {label: 'Link', code: 'KeyK', keys: 'Control+K', wrap: ['[', '](https://)'], sample: 'link text'},
    {label: 'Heading', code: 'KeyH', keys: 'Control+Alt+H', line: '## '},
    {label: 'Quote', code: 'KeyQ', keys: 'Control+Alt+Q', line: '> '},
    {label: 'List', code: 'KeyL', keys: 'Control+Alt+L', line: '- '}
  ];
  var bar = document.createElement('div');
  bar.className = 'md-toolbar';
  // A group, not a toolbar: each button is its own tab stop.
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', 'Formatting');
  bar.setAttribute('aria-controls', 'f-body');

  function apply(mark) {
    var start = body.selectionStart;
    var end = body.selectionEnd;
    var text = body.value.slice(start, end);
    if (mark.wrap) {
      var inner = text || mark.sample;
      body.setRangeText(mark.wrap[0] + inner + mark.wrap[1], start, end, 'end');
      body.setSelectionRange(start + mark.wrap[0].length, start + mark.wrap[0].length + inner.length);
    } else {
      var lineStart = body.value.lastIndexOf('\n', start - 1) + 1;
      body.setRangeText(mark.line, lineStart, lineStart, 'end');
      body.setSelectionRange(start + mark.line.length, end + mark.line.length);
    }
    body.focus();
    body.dispatchEvent(new Event('input', {bubbles: true}));
  }

  marks.forEach(function (mark) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button md-' + mark.label.toLowerCase();
    button.textContent = mark.label;
    button.setAttribute('aria-keyshortcuts', mark.keys);
    button.title = mark.label + ' (' + mark.keys.replace('Control', 'Ctrl') + ')';
    button.addEventListener('click', function () {
      apply(mark);
    });
    bar.appendChild(button);
  });
  body.parentNode.insertBefore(bar, body);
  body.addEventListener('keydown', function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey) {
      return;
    }
    marks.forEach(function (mark) {
      // By key position: Option changes the character on a Mac.
      var wantsAlt = Boolean(mark.line);
      if (mark.code === event.code && event.altKey === wantsAlt) {
        event.preventDefault();
        apply(mark);
      }
    });
  });

  // The address the slug (or, without one, the title) makes.
  var slug = document.getElementById('f-slug');
  var title = document.getElementById('f-title');
  var address = document.createElement('p');
  address.className = 'hint slug-address';
  address.setAttribute('data-testid', 'slug-address');
  address.setAttribute('aria-live', 'polite');
  slug.parentNode.appendChild(address);

  function slugify(text) {
    var out = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return out.slice(0, 100).replace(/-+$/, '');
  }

  function showAddress() {
    var value = slug.value.trim() || slugify(title.value);
    var text = 'Address: ' + urls.addressPrefix + value;
    if (urls.publishedSlug && value && value !== urls.publishedSlug) {
      text += ' — readers know this article at ' + urls.addressPrefix + urls.publishedSlug +
        '; once this revision is published, the old address will redirect.';
    }
    address.textContent = value ? text : '';
  }
  showAddress();
}());
