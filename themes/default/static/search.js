/* Offline full-text search: MiniSearch over window.CXSITE_SEARCH (search-index.js).
   Loaded by <script> tags, so it works from file:// without a server. Results are
   built with textContent only: indexed text is never parsed as HTML. */
(function () {
  "use strict";
  var data = window.CXSITE_SEARCH;
  var input = document.getElementById("search-input");
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  var out = document.getElementById("search-results");
  if (!data || !input || typeof MiniSearch === "undefined") return;
  // The page's texts (cxsite.js reads them from <script id="cx-messages">).
  var text = window.cxsiteText;

  var index = new MiniSearch({
    fields: ["title", "subtitle", "text"],
    // MiniSearch's own split, and the isolates (U+2066-2069) around right-to-left values in
    // subtitles, so that such a value is found by its first word too
    tokenize: function (text) { return text.split(/[\n\r\p{Z}\p{P}\u2066-\u2069]+/u); },
    storeFields: ["kind", "title", "subtitle", "url", "text"],
    searchOptions: { boost: { title: 3, subtitle: 1.5 }, prefix: true, fuzzy: 0.2, combineWith: "AND" }
  });
  index.addAll(data.docs);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i].toLowerCase());
    var start = Math.max(0, at - 60);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space !== -1 && space < at) start = space + 1;  // begin on a word
    }
    var end = Math.min(text.length, start + 180);
    if (end < text.length) {
      var last = text.lastIndexOf(" ", end);
      if (last > Math.max(start, at) + 40) end = last;  // end on a word ("usabil …" was cut)
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function highlight(node, text, terms) {
    // Wrap matches in <mark> using text nodes only.
    var words = terms.filter(Boolean).map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    if (!words.length) { node.textContent = text; return; }
    var re = new RegExp("(" + words.join("|") + ")", "gi");
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
      node.appendChild(el("mark", "", m[0]));
      last = m.index + m[0].length;
      if (m[0].length === 0) re.lastIndex++;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
  }

  function run(query) {
    out.textContent = "";
    query = query.trim();
    if (!query) { status.textContent = ""; return; }
    var hits = index.search(query);
    if (!hits.length) hits = index.search(query, { combineWith: "OR" });
    status.textContent = hits.length
      ? text.counted("site.js.results", hits.length, { query: query })
      : text.say("site.js.no_results", { query: query });
    // Results by kind, the kind of the best hit first (hits come best first): a touchpoint
    // named "Pickup counter" leads a search for "counter", ahead of personas who mention one.
    var groups = {}, order = [];
    hits.forEach(function (hit) {
      if (!groups[hit.kind]) { groups[hit.kind] = []; order.push(hit.kind); }
      groups[hit.kind].push(hit);
    });
    var names = {};
    data.kinds.forEach(function (kind) { names[kind[0]] = kind[1]; });
    order.map(function (id) { return [id, names[id] || id]; }).forEach(function (kind) {
      var list = groups[kind[0]];
      var section = el("section", "result-group");
      section.appendChild(el("h2", "", kind[1] + " (" + list.length + ")"));
      var ul = el("ul", "results");
      list.forEach(function (hit) {
        var li = el("li");
        var a = el("a", "card card-link result");
        a.href = hit.url;
        var title = el("div", "result-title");
        highlight(title, hit.title, hit.terms);
        a.appendChild(title);
        if (hit.subtitle) a.appendChild(el("div", "result-sub", hit.subtitle));
        if (hit.text) {
          var snip = el("div", "result-snippet");
          highlight(snip, snippet(hit.text, hit.terms), hit.terms);
          a.appendChild(snip);
        }
        li.appendChild(a);
        ul.appendChild(li);
      });
      section.appendChild(ul);
      out.appendChild(section);
    });
  }

  function links() { return Array.prototype.slice.call(out.querySelectorAll("a.result")); }

  input.addEventListener("input", function () {
    run(input.value);
    var url = new URL(window.location.href);
    if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
    try { window.history.replaceState(null, "", url.toString()); } catch (e) { /* file:// in some browsers */ }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var next = e.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) { input.focus(); e.preventDefault(); return; }
    if (next >= all.length) next = all.length - 1;
    all[next].focus();
    e.preventDefault();
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; run(q); }
  input.focus();
})();
