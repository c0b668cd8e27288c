/* The header's search box: suggestions from /search while typing (names in English or Spanish,
 * accents and case ignored). Without JavaScript the form still submits to /search, which lists
 * the matches. Suggestions are built with textContent only, so names cannot inject markup. */
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-list");
  if (!input || !list) { return; }
  var timer = null, active = -1, items = [], asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }
  function highlight(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
    });
  }
  function show(results) {
    list.textContent = "";
    items = results;
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "site-search-option-" + i;
      var a = document.createElement("a");
      a.href = r.href;
      a.textContent = r.label;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = window.rcmT("kind." + r.kind);
      li.appendChild(a);
      li.appendChild(kind);
      list.appendChild(li);
    });
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = window.rcmT("search.none");
      list.appendChild(none);
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
  }
  function ask() {
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    asked = q;
    fetch("/search?limit=10&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (asked === q && input.value.trim() === q) { show(data.results || []); } })
      .catch(close);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden || !items.length) { return; }
    if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight((active - 1 + items.length) % items.length); }
    else if (e.key === "Escape") { close(); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); location.href = items[active].href; }
  });
  input.addEventListener("blur", function () { setTimeout(close, 200); });
})();
