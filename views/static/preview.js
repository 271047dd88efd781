// Live Markdown preview under every textarea that asks for one
// (data-preview-url, views/form.tpl): 300 ms after the last keystroke the
// text goes to POST /preview with the form's CSRF token, and the HTML the
// server renders (the same sanitised Markdown as posts) is shown below it.
// Without JavaScript the form works as before, just without the preview.
(function () {
  'use strict';
  var DELAY_MS = 300;

  function attach(area) {
    var box = document.getElementById(area.id + '-preview');
    var token = area.form && area.form.querySelector('input[name="csrf_token"]');
    if (!box || !token) return;
    var timer = null;
    var latest = 0;

    function show(html) {
      box.innerHTML = html;
      box.hidden = html === '';
    }

    function render() {
      var ticket = ++latest;
      if (area.value.trim() === '') {
        show('');
        return;
      }
      var body = new URLSearchParams();
      body.set('body', area.value);
      body.set('csrf_token', token.value);
      fetch(area.dataset.previewUrl, {
        method: 'POST',
        body: body,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' }
      })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (data) {
          // An older answer arriving late must not replace a newer one.
          if (data && ticket === latest) show(data.html);
        })
        .catch(function () { /* no preview this time; the form still works */ });
    }

    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(render, DELAY_MS);
    });
  }

  document.querySelectorAll('textarea[data-preview-url]').forEach(attach);
})();
