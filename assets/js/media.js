// The media library's enhancements, and the article form's upload: the
// focal point is set by clicking the preview, an image may be dropped on
// the form or pasted into it, and a file over the upload limit is caught
// before it is sent. Without this script, the file is chosen, the numbers
// are typed and the server answers.
(function () {
  "use strict";

  var preview = document.querySelector(".media-preview");
  var across = document.getElementById("f-focus-x-across");
  var down = document.getElementById("f-focus-x-down");
  if (preview && across && down) {
    var marker = document.createElement("span");
    marker.className = "focus-marker";
    marker.setAttribute("aria-hidden", "true");
    preview.appendChild(marker);
    var place = function () {
      marker.style.left = (parseInt(across.value, 10) || 0) + "%";
      marker.style.top = (parseInt(down.value, 10) || 0) + "%";
    };
    preview.addEventListener("click", function (ev) {
      var img = preview.querySelector("img");
      var box = img.getBoundingClientRect();
      across.value = Math.round(Math.min(100, Math.max(0, (ev.clientX - box.left) / box.width * 100)));
      down.value = Math.round(Math.min(100, Math.max(0, (ev.clientY - box.top) / box.height * 100)));
      place();
    });
    across.addEventListener("input", place);
    down.addEventListener("input", place);
    place();
  }

  document.querySelectorAll("form[data-max-upload-mb]").forEach(function (form) {
    var limit = parseInt(form.getAttribute("data-max-upload-mb"), 10) * 1024 * 1024;
    var input = form.querySelector('input[type="file"]');
    if (!input || !limit) {
      return;
    }
    // An image dropped on the library's upload form, or pasted into it,
    // is its file. (The article form leaves its text fields to the text.)
    var take = function (files) {
      var image = Array.prototype.find.call(files || [], function (f) { return f.type.indexOf("image/") === 0; });
      if (!image || !window.DataTransfer) {
        return false;
      }
      var chosen = new DataTransfer();
      chosen.items.add(image);
      input.files = chosen.files;
      input.dispatchEvent(new Event("change"));
      return true;
    };
    var target = form.classList.contains("article-form") ? input : form;
    target.addEventListener("dragover", function (ev) {
      if (ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types, "Files") >= 0) {
        ev.preventDefault();
        form.classList.add("dropping");
      }
    });
    target.addEventListener("dragleave", function () { form.classList.remove("dropping"); });
    target.addEventListener("drop", function (ev) {
      form.classList.remove("dropping");
      if (ev.dataTransfer && take(ev.dataTransfer.files)) {
        ev.preventDefault();
      }
    });
    target.addEventListener("paste", function (ev) {
      if (ev.clipboardData && take(ev.clipboardData.files)) {
        ev.preventDefault();
      }
    });
    var check = function () {
      var file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > limit ?
        "This file is larger than the upload limit of " + form.getAttribute("data-max-upload-mb") + " MB. Scale it down and choose it again." : "");
      return input.reportValidity();
    };
    input.addEventListener("change", check);
    // The forms are novalidate (the server's messages are the ones shown),
    // so the browser would send the file anyway: stop it here.
    form.addEventListener("submit", function (ev) {
      if (!check()) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
      }
    });
  });
})();
