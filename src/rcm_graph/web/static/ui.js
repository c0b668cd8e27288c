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
  window.addEventListener("hashchange", markTarget);
  document.addEventListener("DOMContentLoaded", markTarget);
})();
