// Two conveniences of every form, both optional (the forms work without
// JavaScript and the server checks everything):
// - a character counter under each textarea with a maxlength (post, comment,
//   about me): "12 of 65535 characters", named by the field's
//   aria-describedby;
// - a form is sent once: a second click on its button (or Enter) while the
//   first submission is on its way does nothing, and the button is disabled.
//   Coming back to the page (the back button) enables it again.
(function () {
  'use strict';

  function counter(area) {
    var max = area.maxLength;
    var out = document.createElement('div');
    out.className = 'form-text char-count';
    out.id = area.id + '-count';
    area.insertAdjacentElement('afterend', out);
    var described = area.getAttribute('aria-describedby');
    area.setAttribute('aria-describedby', (described ? described + ' ' : '') + out.id);
    function update() {
      var n = area.value.length;
      out.textContent = n.toLocaleString('en') + ' of ' + max.toLocaleString('en') + ' characters';
      out.classList.toggle('text-danger', n >= max);
    }
    area.addEventListener('input', update);
    update();
  }

  document.querySelectorAll('textarea[maxlength][id]').forEach(counter);

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = '1';
    var buttons = form.querySelectorAll('button[type="submit"], input[type="submit"]');
    // After this event: a disabled submitter would be left out of the data sent.
    setTimeout(function () {
      buttons.forEach(function (b) { b.disabled = true; });
    }, 0);
  });

  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    document.querySelectorAll('form[data-sending]').forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll('[type="submit"]').forEach(function (b) { b.disabled = false; });
    });
  });
})();
