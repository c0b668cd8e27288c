/* Two result views for YASR (the result half of YASGUI): a bar chart and a timeline.
 * WHY our own: the open-source @zazuko/yasr bundle ships only table, response, boolean and
 * error views. These are drawn as SVG with DOM calls only (textContent, never innerHTML), so
 * values from the data cannot inject markup. Registered on window.RcmCharts for query.js. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger|unsignedInt)$/;
  var DATE = /^(-?\d{4})(-(\d{2})(-(\d{2}))?)?/;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function shortIri(value, prefixes) {
    var best = "", name = "";
    Object.keys(prefixes || {}).forEach(function (p) {
      var ns = prefixes[p];
      if (value.indexOf(ns) === 0 && ns.length > best.length) { best = ns; name = p; }
    });
    if (best) { return name + ":" + value.slice(best.length); }
    var cut = Math.max(value.lastIndexOf("/"), value.lastIndexOf("#"));
    return cut >= 0 ? value.slice(cut + 1) : value;
  }
  function isNumber(b) {
    return b && b.type !== "uri" && b.type !== "bnode" &&
      ((b.datatype && NUMERIC.test(b.datatype)) || (!b.datatype && /^-?\d+(\.\d+)?$/.test(b.value)));
  }
  function isDate(b) {
    if (!b || b.type === "uri" || b.type === "bnode") { return false; }
    if (b.datatype && /#(date|dateTime|gYear|gYearMonth)$/.test(b.datatype)) { return true; }
    return !b.datatype && /^\d{4}-\d{2}-\d{2}$/.test(b.value);
  }
  function vars(yasr) { return yasr.results && yasr.results.getVariables ? yasr.results.getVariables() : []; }
  function rows(yasr) { return yasr.results && yasr.results.getBindings ? yasr.results.getBindings() || [] : []; }
  function every(list, v, test) {
    var seen = 0;
    for (var i = 0; i < list.length; i++) {
      if (list[i][v] === undefined) { continue; }
      if (!test(list[i][v])) { return false; }
      seen++;
    }
    return seen > 0;
  }
  function pickVar(yasr, test, exclude) {
    var vs = vars(yasr), rs = rows(yasr);
    for (var i = 0; i < vs.length; i++) {
      if (exclude.indexOf(vs[i]) < 0 && every(rs, vs[i], test)) { return vs[i]; }
    }
    return null;
  }
  /* The variable to label items with: a literal label if there is one, else the first other variable. */
  function labelVar(yasr, exclude) {
    var vs = vars(yasr), rs = rows(yasr);
    var lit = vs.filter(function (v) {
      return exclude.indexOf(v) < 0 && every(rs, v, function (b) { return b.type !== "uri" && !isNumber(b) && !isDate(b); });
    });
    if (lit.length) { return lit[0]; }
    var rest = vs.filter(function (v) { return exclude.indexOf(v) < 0; });
    return rest.length ? rest[0] : null;
  }
  function text(binding, prefixes) {
    if (!binding) { return ""; }
    return binding.type === "uri" ? shortIri(binding.value, prefixes) : binding.value;
  }
  function prefixesOf(yasr) {
    var p = yasr.config && yasr.config.prefixes;
    return typeof p === "function" ? p(yasr) : (p || {});
  }
  /* A 16px SVG icon: "bars" (three horizontal bars) or "timeline" (dots on a line). */
  function icon(kind) {
    var d = document.createElement("div");
    d.className = "rcm-chart-icon";
    var svg = el("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" });
    if (kind === "bars") {
      [[2, 12], [6, 8], [10, 14]].forEach(function (b) {
        svg.appendChild(el("rect", { x: 1, y: b[0], width: b[1], height: 3, fill: "currentColor" }));
      });
    } else {
      svg.appendChild(el("line", { x1: 1, x2: 15, y1: 8, y2: 8, stroke: "currentColor", "stroke-width": 1.5 }));
      [3, 8, 12].forEach(function (x) { svg.appendChild(el("circle", { cx: x, cy: 8, r: 2.2, fill: "currentColor" })); });
    }
    d.appendChild(svg);
    return d;
  }
  function note(container, message) {
    var p = document.createElement("p");
    p.className = "chart-note";
    p.textContent = message;
    container.appendChild(p);
  }

  function BarChart(yasr) { this.yasr = yasr; }
  BarChart.prototype.priority = 5;
  BarChart.prototype.label = window.rcmT("chart.bar");
  BarChart.prototype.getIcon = function () { return icon("bars"); };
  BarChart.prototype.canHandleResults = function () {
    var value = pickVar(this.yasr, isNumber, []);
    return !!value && vars(this.yasr).length >= 2 && rows(this.yasr).length > 0;
  };
  BarChart.prototype.draw = function () {
    var yasr = this.yasr, prefixes = prefixesOf(yasr);
    var valueVar = pickVar(yasr, isNumber, []);
    var lv = labelVar(yasr, [valueVar]);
    var items = rows(yasr).slice(0, 200).map(function (r) {
      return { label: text(r[lv], prefixes), value: Number(r[valueVar] ? r[valueVar].value : 0),
               iri: r[lv] && r[lv].type === "uri" ? r[lv].value : null };
    });
    var box = document.createElement("div");
    box.className = "rcm-chart";
    var max = Math.max.apply(null, items.map(function (i) { return i.value; }).concat([1]));
    var labelW = 320, barW = 520, rowH = 22, top = 28, width = labelW + barW + 70;
    var height = top + items.length * rowH + 10;
    var svg = el("svg", { "class": "chart chart-bar", viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img" });
    svg.appendChild(el("title", {}, window.rcmT("chart.bar_title", { value: valueVar, label: lv })));
    svg.appendChild(el("text", { x: labelW - 8, y: 18, "text-anchor": "end", "font-weight": "600" }, "?" + lv + " by ?" + valueVar));
    [0, 0.25, 0.5, 0.75, 1].forEach(function (f) {
      var x = labelW + f * barW;
      svg.appendChild(el("line", { "class": "grid", x1: x, x2: x, y1: top - 6, y2: height - 6 }));
      svg.appendChild(el("text", { x: x, y: top - 8, "text-anchor": "middle", "font-size": 10 }, String(Math.round(f * max * 100) / 100)));
    });
    items.forEach(function (item, i) {
      var y = top + i * rowH;
      var label = item.label.length > 48 ? item.label.slice(0, 47) + "…" : item.label;
      var t = el("text", { x: labelW - 8, y: y + 15, "text-anchor": "end" }, label);
      t.appendChild(el("title", {}, item.label));
      svg.appendChild(t);
      var w = Math.max(1, (item.value / max) * barW);
      var rect = el("rect", { "class": "bar", x: labelW, y: y + 3, width: w, height: rowH - 6, rx: 2 });
      rect.appendChild(el("title", {}, item.label + ": " + item.value));
      svg.appendChild(rect);
      svg.appendChild(el("text", { x: labelW + w + 6, y: y + 15 }, String(item.value)));
    });
    box.appendChild(svg);
    if (rows(yasr).length > items.length) { note(box, window.rcmT("chart.first_rows", { n: items.length })); }
    yasr.resultsEl.appendChild(box);
  };

  function Timeline(yasr) { this.yasr = yasr; }
  Timeline.prototype.priority = 4;
  Timeline.prototype.label = window.rcmT("chart.timeline");
  Timeline.prototype.getIcon = function () { return icon("timeline"); };
  Timeline.prototype.canHandleResults = function () {
    return !!pickVar(this.yasr, isDate, []) && rows(this.yasr).length > 0;
  };
  function toTime(value) {
    var m = DATE.exec(value);
    if (!m) { return null; }
    return Date.UTC(Number(m[1]), m[3] ? Number(m[3]) - 1 : 0, m[5] ? Number(m[5]) : 1);
  }
  Timeline.prototype.draw = function () {
    var yasr = this.yasr, prefixes = prefixesOf(yasr);
    var dateVar = pickVar(yasr, isDate, []);
    var lv = labelVar(yasr, [dateVar]);
    var items = rows(yasr).map(function (r) {
      return { t: r[dateVar] ? toTime(r[dateVar].value) : null, date: r[dateVar] ? r[dateVar].value : "",
               label: lv ? text(r[lv], prefixes) : "" };
    }).filter(function (i) { return i.t !== null; }).slice(0, 300);
    items.sort(function (a, b) { return a.t - b.t; });
    var box = document.createElement("div");
    box.className = "rcm-chart";
    if (!items.length) { note(box, window.rcmT("chart.no_dates")); yasr.resultsEl.appendChild(box); return; }
    var minY = new Date(items[0].t).getUTCFullYear(), maxY = new Date(items[items.length - 1].t).getUTCFullYear() + 1;
    var t0 = Date.UTC(minY, 0, 1), t1 = Date.UTC(maxY, 0, 1);
    var left = 40, axisW = 560, rowH = 20, top = 34, width = left + axisW + 420;
    var height = top + items.length * rowH + 12;
    var svg = el("svg", { "class": "chart chart-timeline", viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img" });
    svg.appendChild(el("title", {}, window.rcmT("chart.timeline_title", { date: dateVar })));
    var step = Math.max(1, Math.ceil((maxY - minY) / 12));
    for (var y = minY; y <= maxY; y += step) {
      var x = left + ((Date.UTC(y, 0, 1) - t0) / (t1 - t0)) * axisW;
      svg.appendChild(el("line", { "class": "grid", x1: x, x2: x, y1: top - 10, y2: height - 6 }));
      svg.appendChild(el("text", { x: x, y: top - 14, "text-anchor": "middle" }, String(y)));
    }
    items.forEach(function (item, i) {
      var cy = top + i * rowH + 8;
      var cx = left + ((item.t - t0) / (t1 - t0)) * axisW;
      var dot = el("circle", { "class": "dot", cx: cx, cy: cy, r: 5 });
      dot.appendChild(el("title", {}, item.date + " — " + item.label));
      svg.appendChild(dot);
      var label = item.label.length > 60 ? item.label.slice(0, 59) + "…" : item.label;
      svg.appendChild(el("text", { x: left + axisW + 12, y: cy + 4 }, item.date + "  " + label));
      svg.appendChild(el("line", { "class": "grid", x1: cx + 6, x2: left + axisW + 8, y1: cy, y2: cy }));
    });
    box.appendChild(svg);
    yasr.resultsEl.appendChild(box);
  };

  window.RcmCharts = { BarChart: BarChart, Timeline: Timeline };
})();
