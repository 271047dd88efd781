// Keeps every <time class="ago"> fresh: its text says how long ago it was,
// as the server wrote it ("a few seconds ago", "3 minutes ago"; the same
// thresholds and rounding as core::relative_time and moment.js's fromNow),
// redone every 30 s and whenever the page is shown again; its tooltip
// becomes the time in the reader's own time zone. Without JavaScript the
// server's text and its UTC tooltip stay.
(function () {
  'use strict';

  function count(n, unit) { return n + ' ' + unit + 's ago'; }

  function ago(ms) {
    if (ms < 0) ms = 0;  // a clock ahead of ours: now
    var seconds = Math.round(ms / 1e3);
    var minutes = Math.round(ms / 6e4);
    var hours = Math.round(ms / 36e5);
    var dayCount = ms / 864e5;
    var days = Math.round(dayCount);
    var monthCount = dayCount * 4800 / 146097;
    var months = Math.round(monthCount);
    var years = Math.round(monthCount / 12);
    if (seconds <= 44) return 'a few seconds ago';
    if (minutes <= 1) return 'a minute ago';
    if (minutes < 45) return count(minutes, 'minute');
    if (hours <= 1) return 'an hour ago';
    if (hours < 22) return count(hours, 'hour');
    if (days <= 1) return 'a day ago';
    if (days < 26) return count(days, 'day');
    if (months <= 1) return 'a month ago';
    if (months < 11) return count(months, 'month');
    if (years <= 1) return 'a year ago';
    return count(years, 'year');
  }

  var local = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });

  function refresh() {
    var now = Date.now();
    document.querySelectorAll('time.ago[datetime]').forEach(function (el) {
      var at = Date.parse(el.getAttribute('datetime'));
      if (isNaN(at)) return;
      var text = ago(now - at);
      if (el.textContent !== text) el.textContent = text;
      el.title = local.format(new Date(at));
    });
  }

  refresh();
  setInterval(refresh, 30000);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) refresh();
  });
  window.addEventListener('pageshow', refresh);
})();
