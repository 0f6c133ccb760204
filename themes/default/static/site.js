// mcpsite default theme: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Directory filters: kind, status and free text over the server-rendered list.
  function setupFilters() {
    var form = document.getElementById("filters");
    var dir = document.getElementById("directory");
    if (!form || !dir) return;
    var kind = form.elements.kind, status = form.elements.status, q = form.elements.q;
    var count = document.getElementById("filter-count");
    var none = document.getElementById("no-match");
    var cards = Array.prototype.slice.call(dir.querySelectorAll(".card"));
    var sections = Array.prototype.slice.call(dir.querySelectorAll("[data-section]"));

    // Filters survive a reload and can be shared: ?kind=ig&status=active&q=auth
    var params = new URLSearchParams(location.search);
    if (params.get("kind")) kind.value = params.get("kind");
    if (params.get("status")) status.value = params.get("status");
    if (params.get("q")) q.value = params.get("q");

    function apply() {
      var k = kind.value, s = status.value;
      var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      cards.forEach(function (c) {
        var text = c.getAttribute("data-search") || "";
        var ok = (!k || c.getAttribute("data-kind") === k) &&
          (!s || c.getAttribute("data-status") === s) &&
          words.every(function (w) { return text.indexOf(w) !== -1; });
        c.hidden = !ok;
        if (ok) shown++;
      });
      sections.forEach(function (sec) {
        sec.hidden = !sec.querySelector(".card:not([hidden])");
      });
      none.hidden = shown !== 0;
      var filtered = k || s || words.length;
      count.textContent = filtered ? shown + " of " + cards.length + " groups shown" : "";
      var p = new URLSearchParams();
      if (k) p.set("kind", k);
      if (s) p.set("status", s);
      if (q.value) p.set("q", q.value);
      var qs = p.toString();
      history.replaceState(null, "", qs ? "?" + qs : location.pathname);
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    // A reset clears the fields after its event; filter once they are empty.
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  // Meeting times: the server writes each time in the group's own zone; add the reader's.
  // `dateStyle`/`timeStyle` cannot be combined with `timeZoneName` (a TypeError), so the parts
  // are spelled out.
  function localTimes() {
    var els = document.querySelectorAll("time[data-local]");
    if (!els.length || !window.Intl || !Intl.DateTimeFormat) return;
    var fmt;
    try {
      fmt = new Intl.DateTimeFormat(undefined, {
        weekday: "short", year: "numeric", month: "short", day: "numeric",
        hour: "numeric", minute: "2-digit", timeZoneName: "short"
      });
    } catch (e) { return; }
    var mine = fmt.resolvedOptions().timeZone;
    Array.prototype.forEach.call(els, function (el) {
      if (el.getAttribute("data-tz") === mine) return;
      var start = new Date(el.getAttribute("datetime"));
      var end = new Date(el.getAttribute("data-end"));
      if (isNaN(start)) return;
      var local = el.nextElementSibling;
      if (!local || !local.classList.contains("local-time")) return;
      var text = fmt.formatRange && !isNaN(end) ? fmt.formatRange(start, end) : fmt.format(start);
      local.textContent = "Your time: " + text;
      local.hidden = false;
    });
  }

  // Copy buttons next to feed addresses.
  function copyButtons() {
    if (!navigator.clipboard) return;
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (b) {
      var input = document.getElementById(b.getAttribute("data-copy"));
      if (!input) return;
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(function () {
          var label = b.textContent;
          b.textContent = "Copied";
          setTimeout(function () { b.textContent = label; }, 2000);
        });
      });
    });
  }

  function init() {
    setupFilters();
    localTimes();
    copyButtons();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
