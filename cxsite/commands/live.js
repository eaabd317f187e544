(function () {
  "use strict";
  var seen = null;
  var dismissed = null;  // the error text the reader closed: shown again only when it changes
  function overlay(text) {
    var box = document.getElementById("cxsite-overlay");
    if (!text || text === dismissed) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "cxsite-overlay";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-label", "Build failed");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;background:rgba(10,12,16,.85);" +
        "display:flex;align-items:flex-start;justify-content:center;padding:6vh 1rem;overflow:auto";
      var panel = document.createElement("div");
      panel.className = "panel";
      panel.style.cssText = "background:#1b1f26;color:#f1f3f6;border-top:5px solid #e5484d;" +
        "border-radius:10px;padding:1.25rem 1.5rem;max-width:960px;width:100%;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
      var head = document.createElement("strong");
      head.textContent = "cxsite: the build failed; showing the last good build.";
      panel.appendChild(head);
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.setAttribute("aria-label", "Dismiss the build error (Escape)");
      close.style.cssText = "float:right;font:inherit;color:#1b1f26;background:#f1f3f6;" +
        "border:0;border-radius:6px;padding:.2rem .7rem;cursor:pointer";
      close.addEventListener("click", function () {
        dismissed = box.querySelector("pre").textContent;
        box.remove();
      });
      panel.insertBefore(close, head);
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:.75rem 0 0;color:#ffb4b4";
      panel.appendChild(pre);
      box.appendChild(panel);
      document.body.appendChild(box);
      close.focus();
    }
    box.querySelector("pre").textContent = text;
  }
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("cxsite-overlay");
    if (event.key === "Escape" && box) box.querySelector("button").click();
  });
  // The server answers `?since=` when the status changes (or after a while): a new build
  // reloads the page the moment it is in place. A server gone or restarting: again in 1 s.
  var version = null;
  function poll() {
    var query = version === null ? "" : "?since=" + version;
    var wait = 1000;
    fetch("/__cxsite/status" + query, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen === null) seen = s.build;
        else if (s.build !== seen) { window.location.reload(); return; }
        overlay(s.error);
        wait = version === s.version ? 50 : 0;  // unchanged: the wait ran out
        version = s.version;
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, wait); });
  }
  poll();
})();
