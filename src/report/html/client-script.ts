// The report's only script, inlined and allowed by its hash in the
// Content-Security-Policy. It adds the interactive bits to server-rendered
// HTML (copy buttons, the request filter, opening everything for print) and
// never writes markup: it only toggles `hidden`, `open` and text, so Trusted
// Types can stay on. It reads the inlined result JSON for the request data.

export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var data = null;
  try {
    var el = document.getElementById('wp401-data');
    data = el ? JSON.parse(el.textContent || 'null') : null;
  } catch (e) {
    data = null;
  }
  var jsOnly = document.querySelectorAll('.js-only');
  for (var i = 0; i < jsOnly.length; i++) jsOnly[i].hidden = false;

  function copyText(text, button) {
    function done(ok) {
      button.textContent = ok ? 'Copied' : 'Select and copy';
      setTimeout(function () { button.textContent = 'Copy'; }, 1500);
    }
    function fallback() {
      var pre = button.parentNode.querySelector('code');
      var range = document.createRange();
      range.selectNodeContents(pre);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!target || !target.classList || !target.classList.contains('copy')) return;
    var code = target.parentNode.querySelector('code');
    if (code) copyText(code.textContent, target);
  });

  var probes = (data && Array.isArray(data.probes)) ? data.probes : [];
  var rows = document.querySelectorAll('#probe-list > details.probe');
  var status = document.getElementById('probe-status');
  var layer = document.getElementById('probe-layer');
  var text = document.getElementById('probe-text');
  var count = document.getElementById('probe-count');
  var form = document.getElementById('probe-filter');
  var haystacks = [];

  function statusMatches(want, s) {
    if (want === 'all') return true;
    if (want === 'failing') return s === 0 || s === 401 || s === 403 || s === 407 || s === 429;
    if (want === '0') return s === 0;
    if (want === '401') return s === 401;
    var hundred = Number(want.charAt(0)) * 100;
    return s >= hundred && s < hundred + 100;
  }
  function apply() {
    var wantStatus = status ? status.value : 'all';
    var wantLayer = layer ? layer.value : 'all';
    var needle = text ? text.value.trim().toLowerCase() : '';
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var index = Number(row.getAttribute('data-index'));
      var probe = probes[index];
      var s = probe ? Number(probe.status) : Number(row.getAttribute('data-status'));
      var ok = statusMatches(wantStatus, s);
      if (ok && wantLayer !== 'all') ok = row.getAttribute('data-layer') === wantLayer;
      if (ok && needle) {
        if (haystacks[i] === undefined) haystacks[i] = row.textContent.toLowerCase();
        ok = haystacks[i].indexOf(needle) !== -1;
      }
      row.hidden = !ok;
      if (ok) shown++;
    }
    if (count) count.textContent = 'showing ' + shown + ' of ' + rows.length;
  }
  if (form) {
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    form.addEventListener('input', apply);
    form.addEventListener('change', apply);
    apply();
  }
  var layerBoxes = document.querySelectorAll('.layers .layer.stopped');
  for (var j = 0; j < layerBoxes.length; j++) {
    layerBoxes[j].addEventListener('click', function () {
      if (!layer || !form) return;
      layer.value = this.getAttribute('data-layer');
      if (status) status.value = 'all';
      apply();
      form.scrollIntoView();
    });
  }

  var opened = [];
  window.addEventListener('beforeprint', function () {
    var closed = document.querySelectorAll('details:not([open])');
    for (var k = 0; k < closed.length; k++) { closed[k].open = true; opened.push(closed[k]); }
  });
  window.addEventListener('afterprint', function () {
    while (opened.length) opened.pop().open = false;
  });
})();
`;
