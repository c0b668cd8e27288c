/* Small progressive enhancements for the HTML pages (they work without JavaScript). */
(function () {
  "use strict";
  function markTarget() {
    var id = decodeURIComponent((location.hash || "").slice(1));
    document.querySelectorAll("mark.target").forEach(function (m) { m.classList.remove("target"); });
    if (!/^span-\d+-\d+$/.test(id)) { return; }
    document.querySelectorAll("mark[data-spans]").forEach(function (m) {
      if (m.getAttribute("data-spans").split(" ").indexOf(id) >= 0) { m.classList.add("target"); }
    });
  }
  /* A passage highlighted with ?highlight= is scrolled into view inside the text box only,
   * so the page keeps its header in view. */
  function showCurrent() {
    var box = document.getElementById("doc-text");
    var mark = box && box.querySelector("mark.current");
    if (!mark || location.hash) { return; }
    box.scrollTop = Math.max(0, mark.offsetTop - 60);  // the box is the offsetParent
  }
  window.addEventListener("hashchange", markTarget);
  document.addEventListener("DOMContentLoaded", function () { markTarget(); showCurrent(); });
})();
