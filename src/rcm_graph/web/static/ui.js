/* Small progressive enhancements for the HTML pages (they work without JavaScript). */

/* rcmT(key, values): the interface text of the page's language, from the JSON the server puts
 * in <body data-messages> on every page (web/messages/*.json, the "js." and "kind." keys; an
 * attribute, not an inline script, so the page keeps its script-src 'self' policy);
 * "{name}" placeholders are filled from values. Used with textContent only. */
window.rcmT = (function () {
  "use strict";
  var messages = {};
  try { messages = JSON.parse(document.body.getAttribute("data-messages") || "{}"); } catch (e) { messages = {}; }
  return function (key, values) {
    var text = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
    return text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  };
})();

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
