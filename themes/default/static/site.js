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

  // ---- Live meetings: keep "next" and "upcoming" right by the reader's clock between builds.
  // The page carries its groups' meetings for a year (see the data format in src/render/live.rs);
  // lists are re-rendered from them so ended meetings drop out and the next ones move up.

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var partsFmt = {};

  // The wall clock of instant `ms` in zone `tz`: {y, m (1-12), d, H, M, iso, wd, offset}.
  function wall(ms, tz) {
    var f = partsFmt[tz];
    if (!f) {
      f = partsFmt[tz] = new Intl.DateTimeFormat("en-US", {
        timeZone: tz, year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "numeric", hourCycle: "h23"
      });
    }
    var p = {};
    f.formatToParts(new Date(ms)).forEach(function (x) { p[x.type] = x.value; });
    var y = +p.year, m = +p.month, d = +p.day, H = +p.hour % 24, M = +p.minute;
    var asUtc = Date.UTC(y, m - 1, d, H, M);
    return {
      y: y, m: m, d: d, H: H, M: M,
      iso: y + "-" + pad(m) + "-" + pad(d),
      wd: new Date(Date.UTC(y, m - 1, d)).getUTCDay(),
      offset: Math.round((asUtc - Math.floor(ms / 60000) * 60000) / 60000)
    };
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function utcIso(ms) { return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"); }
  function dateText(w) { return w.d + " " + MONTHS[w.m - 1] + " " + w.y; }
  function fill(t, iso) {
    return t.replace(/\{date\}/g, iso).replace(/\{yyyy\}/g, iso.slice(0, 4))
      .replace(/\{mm\}/g, iso.slice(5, 7)).replace(/\{dd\}/g, iso.slice(8, 10));
  }

  // A group's meetings, decoded: [{start, end (ms), series, title, tz, status, ...}].
  function decode(g) {
    var out = [], prev = 0, x = 0;
    (g.o ? g.o.split(",") : []).forEach(function (tok) {
      var m = /^(\d+)(?:\/(\d+))?(?:~(\d+))?(!)?(?:\*(\d+))?$/.exec(tok);
      if (!m) return;
      for (var i = 0, n = +(m[5] || 1); i < n; i++) {
        prev += +m[1];
        var s = g.s[+(m[3] || 0)], e = m[4] ? g.x[x++] || {} : {};
        var start = prev * 1000, end = start + 1000 * (m[2] ? +m[2] : g.d);
        var ws = wall(start, s.z), we = wall(end, s.z);
        var abbr = function (w) { return s.a[w.offset] || ""; };
        var text = DAYS[ws.wd] + " " + dateText(ws) + ", " + pad(ws.H) + ":" + pad(ws.M) + "–" +
          pad(we.H) + ":" + pad(we.M) + (we.iso !== ws.iso ? " (next day)" : "") +
          " " + abbr(ws) + " (" + s.z + ")";
        var orig = e.o || ws.iso;
        out.push({
          start: start, end: end, series: +(m[3] || 0), title: s.t, tz: s.z, text: text,
          date: { iso: ws.iso, text: dateText(ws) },
          status: e.s === "c" ? "cancelled" : e.s === "m" ? "moved" : "scheduled",
          reason: e.r, movedFrom: e.f, tentative: !!g.p,
          agenda: e.a || (s.g ? fill(s.g, orig) : null),
          notes: e.n || (s.n ? fill(s.n, orig) : null),
          recording: e.v || null
        });
      }
    });
    return out;
  }

  // Builds an element: el("div", {class: "x"}, child, "text", ...).
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }
  function hiddenText(t) { return el("span", { "class": "visually-hidden" }, t); }
  function frag() {
    var f = document.createDocumentFragment();
    for (var i = 0; i < arguments.length; i++) if (arguments[i] != null) {
      var c = arguments[i];
      f.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return f;
  }

  function timeEl(o) {
    return frag(el("time", { datetime: utcIso(o.start), "data-local": "", "data-end": utcIso(o.end), "data-tz": o.tz }, o.text),
      el("span", { "class": "local-time", hidden: "" }));
  }
  function statusEl(o) {
    if (o.status === "cancelled") return el("div", null, el("strong", { "class": "flag flag-cancelled" }, "Cancelled"), o.reason ? ": " + o.reason : null);
    if (o.status === "moved") return el("div", null, el("strong", { "class": "flag flag-moved" }, "Moved"), o.movedFrom ? " from " + o.movedFrom : null, o.reason ? ": " + o.reason : null);
    if (o.tentative) return el("div", null, el("strong", { "class": "flag flag-moved" }, "Tentative"), ": the group is still a proposal");
    return null;
  }
  // The same links as src/render/addcal.rs.
  function addLinks(o, page, label) {
    if (o.status === "cancelled") return null;
    var enc = function (v) {
      return encodeURIComponent(v).replace(/[!'()*]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); });
    };
    var compact = function (ms) { return utcIso(ms).replace(/[-:]/g, ""); };
    var details = enc(page);
    var google = "https://calendar.google.com/calendar/render?action=TEMPLATE&text=" + enc(o.title) +
      "&dates=" + compact(o.start) + "/" + compact(o.end) + "&ctz=" + enc(o.tz) + "&details=" + details;
    var outlook = "https://outlook.live.com/calendar/0/deeplink/compose?path=%2Fcalendar%2Faction%2Fcompose&rru=addevent&subject=" +
      enc(o.title) + "&startdt=" + enc(utcIso(o.start)) + "&enddt=" + enc(utcIso(o.end)) + "&body=" + details;
    return el("div", { "class": "add-cal" }, "Add to my calendar: ",
      el("a", { href: google }, "Google", hiddenText(" Calendar: " + label + ", " + o.date.text)), " · ",
      el("a", { href: outlook }, "Outlook", hiddenText(": " + label + ", " + o.date.text)));
  }

  function readData() {
    var node = document.getElementById("live-data");
    if (!node || !window.Intl || !Intl.DateTimeFormat) return null;
    try {
      var data = JSON.parse(node.textContent);
      data.list = {};
      for (var slug in data.g) data.list[slug] = decode(data.g[slug]);
      return data;
    } catch (e) { return null; }
  }

  // Directory cards and the group page's facts: the next meeting that is not cancelled.
  function liveCards(data, now) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-next]"), function (row) {
      var card = row.closest("[data-slug]");
      var list = data.list[row.getAttribute("data-next") || (card && card.getAttribute("data-slug"))];
      if (!list) return;
      var next = list.filter(function (o) { return o.end > now && o.status !== "cancelled"; })[0];
      row.hidden = !next;
      if (!next) return;
      var dd = row.querySelector("dd");
      dd.textContent = "";
      dd.appendChild(timeEl(next));
      if (next.status === "moved") dd.appendChild(document.createTextNode(" (moved)"));
    });
  }

  // A group page: the next meetings, and the ended ones added to the notes list.
  function liveGroup(data, now) {
    var ul = document.querySelector("ul[data-upcoming]");
    if (!ul) return;
    var slug = ul.getAttribute("data-upcoming"), g = data.g[slug], list = data.list[slug];
    if (!g) return;
    var titled = +ul.getAttribute("data-schedules") > 1;
    var showTitle = function (o) { return titled || o.series >= +ul.getAttribute("data-schedules"); };
    var page = data.b + g.u;
    ul.textContent = "";
    list.filter(function (o) { return o.end > now; }).slice(0, data.n).forEach(function (o) {
      ul.appendChild(el("li", { "class": "meeting meeting-" + o.status },
        showTitle(o) ? el("div", { "class": "meeting-what" }, o.title) : null,
        statusEl(o),
        el("div", { "class": "meeting-when" }, timeEl(o)),
        o.agenda && o.status !== "cancelled" ? el("div", null, el("a", { href: o.agenda }, "Agenda", hiddenText(" for " + o.date.text))) : null,
        addLinks(o, page, o.title)));
    });
    var ended = list.filter(function (o) { return o.end <= now; });
    if (!ended.length) return;
    var archive = document.querySelector("ul[data-archive]");
    if (!archive) {
      var empty = document.querySelector("[data-archive-empty]");
      if (!empty) return;
      archive = el("ul", { "class": "archive", "data-archive": "" });
      empty.parentNode.insertBefore(archive, empty);
      empty.hidden = true;
    }
    ended.forEach(function (o) {
      var entry = el("li", null, el("time", { datetime: o.date.iso }, o.date.text), showTitle(o) ? ", " + o.title : null, ": ",
        o.status === "cancelled" ? frag(el("span", { "class": "flag flag-cancelled" }, "cancelled"), o.reason ? " (" + o.reason + ")" : null)
          : o.notes ? el("a", { href: o.notes }, "notes", hiddenText(" of " + o.date.text))
          : el("span", { "class": "muted" }, "no notes recorded"),
        o.agenda ? frag(" · ", el("a", { href: o.agenda }, "agenda", hiddenText(" of " + o.date.text))) : null,
        o.recording ? frag(" · ", el("a", { href: o.recording }, "recording", hiddenText(" of " + o.date.text))) : null);
      archive.insertBefore(entry, archive.firstChild);
    });
    keepRecent(archive, +archive.getAttribute("data-archive") || 12);
  }

  // Like a fresh build: the most recent past meetings in the list, the rest under "Older".
  function keepRecent(archive, recent) {
    if (archive.children.length <= recent) return;
    var older = archive.parentNode.querySelector("details.older ul.archive");
    if (!older) {
      older = el("ul", { "class": "archive" });
      archive.parentNode.insertBefore(el("details", { "class": "older" }, el("summary"), older), archive.nextSibling);
    }
    while (archive.children.length > recent) older.insertBefore(archive.lastElementChild, older.firstChild);
    older.parentNode.querySelector("summary").textContent = "Older meetings (" + older.children.length + ")";
  }

  // Every group's meetings in the agenda window, in start order.
  function agendaItems(data, now, days) {
    var dayStart = Math.floor(now / 86400000) * 86400000, until = dayStart + days * 86400000, items = [];
    for (var slug in data.list) {
      data.list[slug].forEach(function (o) {
        if (o.end > now && o.start < until) items.push({ slug: slug, g: data.g[slug], o: o });
      });
    }
    items.sort(function (a, b) {
      return a.o.start - b.o.start || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
    });
    return items;
  }

  // The calendar page's agenda.
  function liveAgenda(data, now, shown) {
    var ol = document.querySelector("ol[data-agenda]");
    var empty = document.querySelector("[data-agenda-empty]");
    if (!ol) {
      if (!empty) return;
      ol = el("ol", { "class": "agenda", "data-agenda": "" });
      empty.parentNode.insertBefore(ol, empty);
    }
    ol.textContent = "";
    var items = agendaItems(data, now, data.h).filter(function (i) { return !shown || shown(i.slug); });
    items.forEach(function (i) {
      var g = i.g, o = i.o;
      ol.appendChild(el("li", { "class": "meeting meeting-" + o.status },
        el("div", { "class": "meeting-what" }, el("a", { href: g.u }, g.f), o.title !== g.l + " meeting" ? ": " + o.title : null),
        statusEl(o),
        el("div", { "class": "meeting-when" }, timeEl(o)),
        o.agenda && o.status !== "cancelled" ? el("div", null, el("a", { href: o.agenda }, "Agenda", hiddenText(" of the " + g.l + " meeting on " + o.date.text))) : null,
        addLinks(o, data.b + g.u, g.l + " meeting")));
    });
    ol.hidden = !items.length;
    if (empty) empty.hidden = !!items.length;
  }

  function live() {
    var data = readData();
    if (!data) return null;
    var now = Date.now();
    liveCards(data, now);
    liveGroup(data, now);
    liveAgenda(data, now, null);
    // The lists now follow the reader's clock: the build date no longer applies.
    Array.prototype.forEach.call(document.querySelectorAll("[data-as-of]"), function (p) { p.hidden = true; });
    return data;
  }

  // ---- The calendar page: a week at a glance and "my groups", in the reader's own zone.

  var STORE = "mcpsite.myGroups";
  function loadMine() {
    try {
      var v = JSON.parse(localStorage.getItem(STORE) || "[]");
      return Array.isArray(v) ? v : [];
    } catch (e) { return []; }
  }
  function saveMine(list) {
    try { localStorage.setItem(STORE, JSON.stringify(list)); } catch (e) { /* private mode */ }
  }

  // Midnight (local) of the Monday of the week containing `ms`, moved by `weeks`.
  function weekStart(ms, weeks) {
    var d = new Date(ms);
    var back = (d.getDay() + 6) % 7;
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() - back + 7 * weeks);
  }
  function sameDay(a, b) {
    return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  function setupWeek(data, shown) {
    var box = document.querySelector("[data-week]");
    if (!box) return null;
    var grid = box.querySelector("[data-week-grid]"), range = box.querySelector("[data-week-range]");
    var dayFmt = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
    var rangeFmt = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "long", year: "numeric" });
    var timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
    var zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    var offset = 0;
    function draw() {
      var now = Date.now(), today = new Date(now), start = weekStart(now, offset);
      var end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7);
      var last = new Date(end.getTime() - 1);
      range.textContent = (offset === 0 ? "This week: " : "Week of ") + rangeFmt.format(start) + " to " +
        rangeFmt.format(last) + (zone ? " (" + zone.replace(/_/g, " ") + ")" : "");
      grid.textContent = "";
      var items = [];
      for (var slug in data.list) {
        if (!shown(slug)) continue;
        data.list[slug].forEach(function (o) {
          if (o.start < end.getTime() && o.start >= start.getTime()) items.push({ slug: slug, g: data.g[slug], o: o });
        });
      }
      items.sort(function (a, b) { return a.o.start - b.o.start || (a.slug < b.slug ? -1 : 1); });
      for (var i = 0; i < 7; i++) {
        var day = new Date(start.getFullYear(), start.getMonth(), start.getDate() + i);
        var next = new Date(start.getFullYear(), start.getMonth(), start.getDate() + i + 1);
        var isToday = sameDay(day, today);
        var list = el("ul", { "class": "week-meetings" });
        items.filter(function (it) { return it.o.start >= day.getTime() && it.o.start < next.getTime(); }).forEach(function (it) {
          var o = it.o, g = it.g;
          list.appendChild(el("li", { "class": "week-meeting meeting-" + o.status, "data-group": it.slug, "data-start": utcIso(o.start) },
            el("time", { datetime: utcIso(o.start) }, timeFmt.format(new Date(o.start)) + "–" + timeFmt.format(new Date(o.end))), " ",
            el("a", { href: g.u }, g.l), o.title !== g.l + " meeting" ? ": " + o.title : null,
            o.status === "cancelled" ? el("strong", { "class": "flag flag-cancelled" }, " Cancelled") : null,
            o.status === "moved" ? el("strong", { "class": "flag flag-moved" }, " Moved") : null));
        });
        if (!list.firstChild) list.appendChild(el("li", { "class": "muted" }, "No meetings"));
        grid.appendChild(el("li", { "class": "week-day" + (isToday ? " today" : ""), "aria-current": isToday ? "date" : null },
          el("h3", null, dayFmt.format(day), isToday ? el("span", { "class": "today-mark" }, " (today)") : null), list));
      }
    }
    box.querySelector("[data-week-prev]").addEventListener("click", function () { offset--; draw(); });
    box.querySelector("[data-week-next]").addEventListener("click", function () { offset++; draw(); });
    var current = box.querySelector("[data-week-current]");
    current.addEventListener("click", function () { offset = 0; draw(); });
    box.hidden = false;
    draw();
    return draw;
  }

  // "My groups": the reader picks groups; the week and the list show only theirs.
  // `sel.mine`: the chosen slugs, kept current here.
  function setupMine(data, sel, redraw) {
    var box = document.querySelector("[data-mygroups]");
    if (!box) return;
    var mine = sel.mine.filter(function (s) { return data.g[s]; });
    var choices = box.querySelector("[data-mygroups-choices]"), feeds = box.querySelector("[data-mygroups-feeds]");
    var summary = box.querySelector("[data-mygroups-summary]");
    var slugs = Object.keys(data.g).sort(function (a, b) { return data.g[a].f < data.g[b].f ? -1 : 1; });
    slugs.forEach(function (slug) {
      var id = "mine-" + slug;
      var input = el("input", { type: "checkbox", id: id, value: slug });
      input.checked = mine.indexOf(slug) !== -1;
      choices.appendChild(el("li", null, input, " ", el("label", { "for": id }, data.g[slug].f)));
    });
    var webcal = data.b.replace(/^https?:/, "webcal:");
    function update() {
      mine = slugs.filter(function (s) { return document.getElementById("mine-" + s).checked; });
      sel.mine = mine;
      saveMine(mine);
      summary.textContent = mine.length ? "My groups (" + mine.length + ")" : "My groups: showing all groups";
      feeds.textContent = "";
      if (mine.length) {
        feeds.appendChild(el("p", null, "Subscribe to each of your groups' calendars:"));
        var ul = el("ul", { "class": "group-feeds" });
        mine.forEach(function (s) {
          var g = data.g[s];
          ul.appendChild(el("li", null, el("a", { href: webcal + g.u + "calendar.ics" }, "Subscribe", hiddenText(" to the " + g.l + " calendar")),
            " to " + g.f + " · ", el("a", { href: data.b + g.u + "calendar.ics" }, "feed address", hiddenText(" of the " + g.l + " calendar"))));
        });
        feeds.appendChild(ul);
      }
      redraw();
    }
    choices.addEventListener("change", update);
    box.querySelector("[data-mygroups-clear]").addEventListener("click", function () {
      Array.prototype.forEach.call(choices.querySelectorAll("input"), function (i) { i.checked = false; });
      update();
    });
    box.hidden = false;
    update();
  }

  function calendarPage(data) {
    if (!data || !document.querySelector("[data-week]")) return;
    var sel = { mine: loadMine() };
    var shown = function (slug) { return !sel.mine.length || sel.mine.indexOf(slug) !== -1; };
    var drawWeek = setupWeek(data, shown);
    setupMine(data, sel, function () {
      if (drawWeek) drawWeek();
      liveAgenda(data, Date.now(), shown);
      localTimes();
    });
  }

  // A page of an agenda cut into periods (a very large site): it lists a fixed period, so the
  // script hides the meetings that have ended and, when the reader's today is in another period,
  // points to that period's page.
  function periodAgenda(now) {
    var nav = document.querySelector(".agenda-periods");
    if (!nav) return;
    // A period without meetings has no list, but still points to the period of today.
    var ol = document.querySelector("ol[data-agenda-period]"), left = 0;
    if (ol) {
      Array.prototype.forEach.call(ol.children, function (li) {
        var ended = Date.parse(li.getAttribute("data-end")) <= now;
        li.hidden = ended;
        if (!ended) left++;
      });
      ol.hidden = !left;
      var empty = document.querySelector("[data-agenda-empty]");
      if (empty) empty.hidden = !!left;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-as-of]"), function (p) { p.hidden = true; });
    var links = document.querySelectorAll(".agenda-all a[data-from]"), here = null, current = null;
    Array.prototype.forEach.call(links, function (a) {
      if (Date.parse(a.getAttribute("data-from")) <= now && now < Date.parse(a.getAttribute("data-to"))) here = a;
      // The period of this page (or, for a part of a crowded day, the day).
      if (a.hasAttribute("aria-current")) current = a;
    });
    if (here && here !== current) {
      nav.parentNode.insertBefore(el("p", { "class": "agenda-today" }, "Today (UTC) is in ",
        el("a", { href: here.getAttribute("href") }, here.textContent), "."), nav);
    }
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
    calendarPage(live());
    periodAgenda(Date.now());
    localTimes();
    copyButtons();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
