// mcpsite serve: reloads the page when the site is rebuilt and shows build errors over it.
//
// The page asks /__mcpsite/poll?since=SEQ; the server answers as soon as its state differs
// from SEQ (at once on the first request), or after half a minute with the same state. A state
// is {seq, build, errors}: `build` names the last good build, `errors` the last attempt's.
// A hidden tab drops its request (browsers allow about six connections per host, shared by all
// tabs) and asks again when it is shown, reloading then if the site changed meanwhile.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = (me && me.getAttribute("data-build")) || "";
  var seq = "";
  var pending = null;
  var box = null;

  function show(errors) {
    if (!box) {
      box = document.createElement("div");
      box.id = "mcpsite-errors";
      box.setAttribute("role", "alert");
      var s = box.style;
      s.position = "fixed";
      s.zIndex = "2147483647";
      s.left = "0";
      s.right = "0";
      s.top = "0";
      s.maxHeight = "70vh";
      s.overflow = "auto";
      s.margin = "0";
      s.padding = "1em 1.25em";
      s.background = "#2b0b0e";
      s.color = "#ffecec";
      s.borderBottom = "4px solid #ff5a5f";
      s.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
      s.whiteSpace = "pre-wrap";
      s.boxShadow = "0 4px 24px rgba(0,0,0,.5)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Hide build errors");
    close.style.cssFloat = "right";
    close.style.font = "inherit";
    close.style.fontSize = "20px";
    close.style.minWidth = "32px";
    close.style.minHeight = "32px";
    close.onclick = function () { box.style.display = "none"; };
    box.appendChild(close);
    var title = document.createElement("strong");
    title.textContent = "mcpsite: the last change did not build (" + errors.length +
      (errors.length === 1 ? " error" : " errors") + "); this is the last good build.\n\n";
    box.appendChild(title);
    errors.forEach(function (e) {
      var where = e.path ? e.path + ":" + e.line + ":" + e.col + ": " : "";
      var line = document.createElement("div");
      line.textContent = where + "error[" + e.rule + "]: " + e.message +
        (e.help ? "\n  help: " + e.help : "");
      line.style.marginBottom = "0.75em";
      box.appendChild(line);
    });
    box.style.display = "block";
  }

  function hide() {
    if (box) { box.remove(); box = null; }
  }

  function apply(state) {
    if ((state.build || "") !== build) {
      location.reload();
      return false;
    }
    if (state.errors.length) { show(state.errors); } else { hide(); }
    return true;
  }

  function poll() {
    if (document.hidden || pending) return;
    var ctl = new AbortController();
    pending = ctl;
    fetch("/__mcpsite/poll?since=" + encodeURIComponent(seq), { cache: "no-store", signal: ctl.signal })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (state) {
        if (pending !== ctl) return;
        pending = null;
        seq = state.seq;
        if (apply(state)) poll();
      })
      .catch(function () {
        if (pending !== ctl) return; // aborted because the tab was hidden
        pending = null;
        // A stopped server: try again (a restarted one has a new seq, and the page reloads).
        setTimeout(poll, 1000);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (pending) { pending.abort(); pending = null; }
    } else {
      seq = "";
      poll();
    }
  });
  poll();
})();
