/* cxsite default theme: progressive enhancement only. Every page works without it. */
(function () {
  "use strict";

  // The interface texts, in the page's language: the JSON of <script id="cx-messages">
  // (base.html). A text's `{name}` is filled from `params`; a counted text has one key per
  // plural form of the language (`….one`, `….other`).
  var lang = document.documentElement.lang || "en";
  var texts = {};
  try {
    var node = document.getElementById("cx-messages");
    if (node) texts = JSON.parse(node.textContent);
  } catch (e) { texts = {}; }

  function say(key, params) {
    var text = texts[key];
    if (text === undefined) return key;
    return text.replace(/\{([A-Za-z_]+)\}/g, function (whole, name) {
      return params && params[name] !== undefined ? String(params[name]) : whole;
    });
  }

  function number(n) {
    try { return n.toLocaleString(lang); } catch (e) { return String(n); }
  }

  function counted(key, n, params) {
    var form = "other";
    try { form = new Intl.PluralRules(lang).select(n); } catch (e) { form = "other"; }
    var all = { n: number(n) };
    for (var name in params) if (params.hasOwnProperty(name)) all[name] = params[name];
    return say(texts[key + "." + form] !== undefined ? key + "." + form : key + ".other", all);
  }
  window.cxsiteText = { say: say, counted: counted };

  function catalog() {
    var table = document.getElementById("catalog");
    var form = document.getElementById("catalog-filters");
    if (!table || !form) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = document.getElementById("catalog-count");
    var empty = document.getElementById("catalog-empty");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    form.hidden = false;

    function apply() {
      var shown = 0;
      var q = (form.elements.q.value || "").trim().toLowerCase();
      rows.forEach(function (row) {
        var ok = selects.every(function (select) {
          var want = select.value, have = row.dataset[select.dataset.filter] || "";
          if (!want) return true;
          // data-match="word": the row lists several values, one of them must match.
          if (select.dataset.match === "word") return have.split(" ").indexOf(want) !== -1;
          return have === want;
        });
        if (ok && q) ok = row.textContent.toLowerCase().indexOf(q) !== -1;
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown === rows.length
        ? counted("count.touchpoints", rows.length)
        : counted("site.js.touchpoints_shown", rows.length, { shown: number(shown) });
      empty.hidden = shown !== 0;
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    // Filters from the address (?channel=web) so a filtered view can be shared.
    var params = new URLSearchParams(window.location.search);
    params.forEach(function (value, key) {
      if (form.elements[key]) form.elements[key].value = value;
    });
    apply();
    sortable(table);
  }

  // The freshness page: every row is in the page; the filters only hide rows.
  function freshness() {
    var table = document.getElementById("freshness");
    var form = document.getElementById("freshness-filters");
    if (!table || !form) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = document.getElementById("freshness-count");
    var empty = document.getElementById("freshness-empty");
    var keys = ["owner", "kind", "status"];
    form.hidden = false;

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = keys.every(function (key) {
          var want = form.elements[key].value;
          return !want || row.dataset[key] === want;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown === rows.length
        ? counted("site.js.pages", rows.length)
        : counted("site.js.pages_shown", rows.length, { shown: number(shown) });
      empty.hidden = shown !== 0;
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    // Filters from the address (?owner=Digital%20team) so a filtered view can be shared.
    var params = new URLSearchParams(window.location.search);
    keys.forEach(function (key) {
      var value = params.get(key);
      if (value !== null) form.elements[key].value = value;
    });
    apply();
  }

  function cellValue(row, index, kind) {
    var cell = row.cells[index];
    var raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    if (kind === "number" || kind === "phase") {
      var n = parseFloat(raw);
      return isNaN(n) ? -Infinity : n;
    }
    return raw.toLowerCase();
  }

  function sortable(table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var kind = th.dataset.sort;
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) {
          if (other.dataset.sort) other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // Journey page: the switch between the map and the service blueprint. Without this
  // script both views stay on the page, one after the other.
  function views() {
    var box = document.getElementById("view-switch");
    if (!box) return;
    var buttons = Array.prototype.slice.call(box.querySelectorAll("button[data-view]"));
    function show(name) {
      buttons.forEach(function (button) {
        var on = button.dataset.view === name;
        button.setAttribute("aria-pressed", on ? "true" : "false");
        document.getElementById(button.getAttribute("aria-controls")).hidden = !on;
      });
    }
    function fromHash(first) {
      var hash = window.location.hash;
      if (hash === "#view-blueprint" || hash.indexOf("#bp-") === 0) show("blueprint");
      else if (first === true || hash === "#view-map" || hash.indexOf("#stage-") === 0) show("map");
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        show(button.dataset.view);
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", "#view-" + button.dataset.view);
        }
      });
    });
    box.hidden = false;
    window.addEventListener("hashchange", fromHash);
    fromHash(true);
  }

  // Other tables marked sortable (journeys by health, research studies): sorting only.
  function sortables() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (t) {
      if (t.id !== "catalog") sortable(t);
    });
  }

  // Copy buttons (hidden without JavaScript: the text stays selectable in its <pre>).
  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      var source = document.getElementById(button.dataset.copy);
      var status = button.parentNode.querySelector(".copy-status");
      if (!source) return;
      button.hidden = false;
      function done(message) { if (status) status.textContent = message; }
      function select() {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        return selection;
      }
      button.addEventListener("click", function () {
        var text = source.textContent;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done(say("site.js.copied")); }, function () {
            select();
            done(say("site.js.select_to_copy"));
          });
          return;
        }
        select();
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        done(say(copied ? "site.js.copied" : "site.js.select_to_copy"));
      });
    });
  }

  // A table wider than its box scrolls inside it: the box is then a tab stop, so the keys
  // can scroll it, and a region named as its section is; a table that fits is no stop.
  function tableBoxes() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".table-wrap"));
    function name(box) {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
      var section = box.parentNode && box.parentNode.closest("[aria-labelledby]");
      var caption = box.querySelector("caption");
      if (section) {
        box.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
      } else if (caption) {
        if (!caption.id) caption.id = "cx-caption-" + boxes.indexOf(box);
        box.setAttribute("aria-labelledby", caption.id);
      } else {
        return;
      }
      box.setAttribute("role", "region");
    }
    function update() {
      boxes.forEach(function (box) {
        if (box.scrollWidth > box.clientWidth + 1) {
          box.tabIndex = 0;
          name(box);
        } else {
          box.removeAttribute("tabindex");
        }
      });
    }
    update();
    // again when a box is shown (an opened <details>, another view) or resized
    if (window.ResizeObserver) {
      var watch = new ResizeObserver(update);
      boxes.forEach(function (box) { watch.observe(box); });
    } else {
      window.addEventListener("resize", update);
    }
  }

  function start() {
    tableBoxes();
    catalog();
    views();
    freshness();
    sortables();
    copyButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
