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

  function snapshot() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function say(text) {
    status.textContent = text;
  }

  function post(url, data) {
    return fetch(url, {
      method: 'POST', body: data, credentials: 'same-origin',
      headers: {'Accept': 'application/json'}
    }).then(function (res) {
      if (res.ok) {
        return res.json();
      }
      var why = 'the server answered ' + res.status;
      if (res.status === 403) {
        why = 'your session has ended (Save draft will take you to log in, keeping your text)';
      } else if (res.status === 429) {
        why = 'too many requests';
      }
      throw new Error(why);
    });
  }

  // Unsaved text, kept in the background.
  var kept = snapshot();
  var keeping = null;
  var submitting = false;

  function keep() {
    clearTimeout(keeping);
    keeping = null;
    var now = snapshot();
    if (now === kept || submitting) {
      return;
    }
    post(urls.scratch, new FormData(form)).then(function (res) {
      kept = now;
      say('Unsaved changes kept at ' + res.kept + '.');
    }).catch(function (err) {
      var why = navigator.onLine === false ? 'offline' : err.message;
      say('Could not keep your changes: ' + why + '. They are still in this page.');
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
      keep();
    }
  });
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
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
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
      presenceBox.textContent = '';
      res.others.forEach(function (other) {
        var line = document.createElement('p');
        line.textContent = other.name + ' is also editing · since ' + other.since;
        presenceBox.appendChild(line);
      });
      presenceBox.hidden = res.others.length === 0;
      if (res.head.number > base) {
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

  function schedulePreview() {
    clearTimeout(previewing);
    previewing = setTimeout(preview, 700);
  }

  function preview() {
    var now = snapshot();
    if (now === previewed) {
      return;
    }
    post(urls.preview, new FormData(form)).then(function (res) {
      previewed = now;
      count.textContent = res.words + (res.words === 1 ? ' word' : ' words') + ' · ' + res.minutes + ' min read';
      if (!panel.hidden) {
        // Rendered by the server with the reader's sanitizer and templates.
        panel.innerHTML = res.html;
      } else {
        panel.dataset.html = res.html;
      }
    }).catch(function (err) {
      count.textContent = 'Preview unavailable: ' + err.message + '.';
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
    {label: 'Bold', key: 'b', keys: 'Control+B', wrap: ['**', '**'], sample: 'bold text'},
    {label: 'Italic', key: 'i', keys: 'Control+I', wrap: ['*', '*'], sample: 'italic text'},
    {label: 'Link', key: 'k', keys: 'Control+K', wrap: ['[', '](https://)'], sample: 'link text'},
    {label: 'Heading', key: 'h', keys: 'Control+Alt+H', line: '## '},
    {label: 'Quote', key: 'q', keys: 'Control+Alt+Q', line: '> '},
    {label: 'List', key: 'l', keys: 'Control+Alt+L', line: '- '}
  ];
  var bar = document.createElement('div');
  bar.className = 'md-toolbar';
  bar.setAttribute('role', 'toolbar');
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
    if (!(event.ctrlKey || event.metaKey)) {
      return;
    }
    var key = event.key.toLowerCase();
    marks.forEach(function (mark) {
      var wantsAlt = Boolean(mark.line);
      if (mark.key === key && event.altKey === wantsAlt) {
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
