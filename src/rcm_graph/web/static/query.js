/* The query page: YASGUI (vendored, no CDN) wired to this server's /sparql endpoint, the
 * catalogue's queries as one-click examples with their parameters as a form, our prefixes,
 * chart views, downloads and a shareable link. Configuration comes from the JSON block
 * #rcm-query-config (not executed).
 *
 * Three things replace YASGUI's defaults:
 * - the result table (YASR's "table" plugin) draws one page of rows at a time: YASGUI's
 *   DataTables view froze the browser for 88 s on a 100,000-row result; labels from /labels
 *   are shown beside the IRIs of the page;
 * - a result cut at the server's row cap says so above the table, with the cap and how to page;
 * - an error from the server (its JSON error body) is shown as a message with the line and
 *   column of a syntax error, the lines around it with a marker, and the line marked in the
 *   editor.
 * Everything from the data is written with textContent, never innerHTML. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("rcm-query-config").textContent);
  var root = document.getElementById("yasgui-root");
  if (!window.Yasgui) { return; }
  var Yasgui = window.Yasgui;
  var endpoint = location.origin + cfg.endpoint;
  var PAGE_SIZES = [100, 500];
  var T = window.rcmT;
  /* Labels beside IRIs in the page's language first (<html lang>), then the other, then none. */
  var LANGS = document.documentElement.lang === "es" ? ["es", "en", "und"] : ["en", "es", "und"];
  var labelCache = {};   // IRI -> {lang: label} ({} when the data has none)
  var queryStarted = 0;  // performance.now() when the last query was sent

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  /* Numbers as the server writes them in the page's language (ui.i18n.Translator.number):
   * "100,000"; in Spanish "100 000" (a no-break space, from five digits on), a form that
   * reads the same in Mexico and in Spain. */
  var SPANISH = document.documentElement.lang === "es";
  function fmt(n) {
    var text = Number(n).toLocaleString("en-US");
    if (!SPANISH) { return text; }
    return Math.abs(Number(n)) >= 10000 ? text.replace(/,/g, "\u00a0") : text.replace(/,/g, "");
  }

  /* ---------------------------------------------------------------- IRIs and labels */

  var allPrefixes = Object.assign({}, cfg.prefixes, cfg.displayPrefixes);
  function curie(iri) {
    var best = "", name = "";
    Object.keys(allPrefixes).forEach(function (p) {
      var ns = allPrefixes[p];
      if (iri.indexOf(ns) === 0 && ns.length > best.length) { best = ns; name = p; }
    });
    return best ? name + ":" + iri.slice(best.length) : iri;
  }
  /* IRIs of this dataset open their page on this server, not at the (maybe not yet deployed) base. */
  function localHref(iri) {
    if (iri.indexOf(cfg.base + "id/") === 0) { return "/" + iri.slice(cfg.base.length); }
    if (iri.indexOf(cfg.ontology) === 0) { return "/ontology" + iri.slice(cfg.ontology.length); }
    return null;
  }
  function pickLabel(byLang) {
    for (var i = 0; i < LANGS.length; i++) {
      var key = LANGS[i] === "und" ? "" : LANGS[i];
      if (byLang[key]) { return byLang[key]; }
    }
    var keys = Object.keys(byLang);
    return keys.length ? byLang[keys[0]] : null;
  }
  /* Ask /labels for the IRIs of one page that are not known yet; call done() when known. */
  function fetchLabels(iris, done) {
    var missing = iris.filter(function (i) { return !(i in labelCache); });
    if (!missing.length) { done(); return; }
    fetch("/labels", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ iris: missing.slice(0, 500) })
    }).then(function (r) { return r.ok ? r.json() : { labels: {} }; })
      .then(function (data) {
        missing.forEach(function (i) { labelCache[i] = (data.labels || {})[i] || {}; });
        done();
      })
      .catch(function () { /* labels are an extra: the table stands without them */ });
  }

  /* ---------------------------------------------------------------- the paged result table */

  function truncation(yasr) {
    var results = yasr.results, json = results && results.getAsJson ? results.getAsJson() : null;
    var headers = results && results.res && results.res.headers;
    var cut = headers && headers.get ? headers.get("X-RCM-Truncated") === "true" : false;
    var cap = headers && headers.get ? headers.get("X-RCM-Max-Rows") : null;
    if (!cut && json && json.warnings && json.warnings.length) { cut = true; }
    if (!cut) { return null; }
    var rows = results.getBindings() || [];
    return { cap: Number(cap || rows.length) };
  }

  function truncationNotice(info) {
    var box = el("div", "truncation-notice");
    box.setAttribute("role", "status");
    var strong = el("strong", null, T("truncated.strong", { n: fmt(info.cap) }));
    box.appendChild(strong);
    box.appendChild(document.createTextNode(
      T("truncated.text", { n: fmt(info.cap) })));
    box.appendChild(el("code", null, "ORDER BY"));
    box.appendChild(document.createTextNode(T("truncated.and")));
    box.appendChild(el("code", null, "LIMIT " + info.cap + " OFFSET " + info.cap));
    box.appendChild(document.createTextNode(T("truncated.next", { next: 2 * info.cap })));
    return box;
  }

  function cell(binding) {
    var td = el("td");
    if (!binding) { return td; }
    if (binding.type === "uri") {
      var href = localHref(binding.value);
      var a = el("a", href ? "iri local-iri" : "iri", curie(binding.value));
      a.href = href || binding.value;
      a.title = binding.value;
      if (!href) { a.rel = "noopener"; }
      td.appendChild(a);
      td.setAttribute("data-iri", binding.value);
    } else if (binding.type === "bnode") {
      td.appendChild(el("span", "bnode", "_:" + binding.value));
    } else {
      td.appendChild(el("span", "literal", binding.value));
      var lang = binding["xml:lang"];
      if (lang) { td.appendChild(el("span", "lang", "@" + lang)); }
      else if (binding.datatype && !/#string$/.test(binding.datatype)) {
        td.appendChild(el("span", "datatype", curie(binding.datatype)));
      }
    }
    return td;
  }

  function RcmTable(yasr) { this.yasr = yasr; this.page = 0; this.pageSize = PAGE_SIZES[0]; }
  RcmTable.prototype.priority = 10;
  RcmTable.prototype.label = window.rcmT("view.table");
  RcmTable.prototype.getIcon = function () {
    var d = el("div", "rcm-chart-icon", "▦");
    d.setAttribute("aria-hidden", "true");
    return d;
  };
  RcmTable.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!(r && r.getVariables && r.getVariables() && r.getVariables().length > 0);
  };
  RcmTable.prototype.draw = function () {
    var started = performance.now();
    var yasr = this.yasr, self = this;
    var vars = yasr.results.getVariables();
    var rows = yasr.results.getBindings() || [];
    if (this.rows !== rows) { this.rows = rows; this.page = 0; }
    var box = el("div", "rcm-results");
    var info = truncation(yasr);
    if (info) {
      box.appendChild(truncationNotice(info));
      /* YASR's header would say "100000 results" as if that were all of them. */
      if (yasr.dataElement) {
        yasr.dataElement.textContent = yasr.dataElement.textContent.replace(
          /^\d+ results?/, T("truncated.yasr", { n: fmt(info.cap) }));
      }
    }
    var pages = Math.max(1, Math.ceil(rows.length / this.pageSize));
    this.page = Math.min(this.page, pages - 1);
    var from = this.page * this.pageSize, to = Math.min(rows.length, from + this.pageSize);

    var bar = el("div", "rcm-pager");
    var status = el("span", "rcm-pager-status",
      rows.length ? T("pager.rows", { from: fmt(from + 1), to: fmt(to), total: fmt(rows.length) }) + (info ? T("pager.cut") : "")
                  : T("pager.none"));
    function button(text, target, label) {
      var b = el("button", "rcm-page-button", text);
      b.type = "button";
      b.setAttribute("aria-label", label);
      b.disabled = target < 0 || target >= pages || target === self.page;
      b.addEventListener("click", function () { self.page = target; yasr.draw(); });
      return b;
    }
    bar.appendChild(button(T("pager.first"), 0, T("pager.first_label")));
    bar.appendChild(button(T("pager.previous"), this.page - 1, T("pager.previous_label")));
    bar.appendChild(status);
    bar.appendChild(button(T("pager.next"), this.page + 1, T("pager.next_label")));
    bar.appendChild(button(T("pager.last"), pages - 1, T("pager.last_label")));
    var sizeLabel = el("label", "rcm-page-size", T("pager.size"));
    var select = el("select");
    PAGE_SIZES.forEach(function (n) {
      var o = el("option", null, String(n));
      o.value = String(n);
      o.selected = n === self.pageSize;
      select.appendChild(o);
    });
    select.addEventListener("change", function () {
      self.pageSize = Number(select.value);
      self.page = Math.floor(from / self.pageSize);
      yasr.draw();
    });
    sizeLabel.appendChild(select);
    bar.appendChild(sizeLabel);
    box.appendChild(bar);

    var wrap = el("div", "table-scroll");
    var table = el("table", "dataTable rcm-table");  // "dataTable": the class YASR's table had
    var thead = el("thead"), tr = el("tr");
    tr.appendChild(el("th", "row-number", "#"));
    vars.forEach(function (v) { tr.appendChild(el("th", null, v)); });
    thead.appendChild(tr);
    table.appendChild(thead);
    var tbody = el("tbody"), iris = {};
    for (var i = from; i < to; i++) {
      var row = el("tr");
      row.appendChild(el("td", "row-number", String(i + 1)));
      for (var j = 0; j < vars.length; j++) {
        var b = rows[i][vars[j]];
        if (b && b.type === "uri") { iris[b.value] = true; }
        row.appendChild(cell(b));
      }
      tbody.appendChild(row);
    }
    table.appendChild(tbody);
    wrap.appendChild(table);
    box.appendChild(wrap);
    yasr.resultsEl.appendChild(box);

    fetchLabels(Object.keys(iris), function () {
      tbody.querySelectorAll("td[data-iri]").forEach(function (td) {
        var label = pickLabel(labelCache[td.getAttribute("data-iri")] || {});
        if (label && !td.querySelector(".iri-label")) { td.appendChild(el("span", "iri-label", label)); }
      });
    });
    /* Timings for the browser tests and the curious: this draw; since the response's last byte
     * arrived (parsing included); since the query was sent (the server's time included). */
    var now = performance.now();
    var answers = performance.getEntriesByType("resource").filter(function (e) { return e.name === endpoint; });
    var answered = answers.length ? answers[answers.length - 1].responseEnd : null;
    window.rcmLastRender = {
      rows: rows.length, shown: to - from, truncated: !!info, drawMs: now - started,
      sinceResponseMs: answered ? now - answered : null,
      sinceQueryMs: queryStarted ? now - queryStarted : null
    };
  };
  RcmTable.prototype.download = function () {
    var results = this.yasr.results;
    return {
      getData: function () { return results.asCsv(); },
      contentType: "text/csv", title: T("download_csv_title"), filename: "results.csv"
    };
  };

  /* ---------------------------------------------------------------- errors */

  function activeYasqe() { return yasgui.getTab() ? yasgui.getTab().getYasqe() : null; }
  var marked = [];
  function clearMarks() {
    marked.forEach(function (m) { m.clear(); });
    marked = [];
  }

  function renderError(summary) {
    var text = summary && (summary.text || summary.statusText);
    var body = null;
    try { body = JSON.parse(text); } catch (e) { return undefined; }
    if (!body || !body.error || !body.error.detail) { return undefined; }
    var err = body.error;
    var box = el("div", "query-error");
    box.setAttribute("role", "alert");
    box.appendChild(el("p", "error-title", err.status + " " + (err.title || T("error"))));
    var detail = String(err.detail), where = /error at (\d+):(\d+):\s*([\s\S]*)$/.exec(detail);
    if (!where) {
      box.appendChild(el("p", "error-detail", detail));
    } else {
      var line = Number(where[1]), column = Number(where[2]);
      box.appendChild(el("p", "error-detail", detail.slice(0, where.index).replace(/[:\s]+$/, "") + ": " + where[3]));
      box.appendChild(el("p", "error-position", T("error.position", { line: line, column: column })));
      var yasqe = activeYasqe();
      var query = yasqe ? yasqe.getValue() : "";
      var lines = query.split("\n");
      if (line >= 1 && line <= lines.length) {
        var width = String(Math.min(lines.length, line + 1)).length, out = [];
        for (var n = Math.max(1, line - 2); n <= Math.min(lines.length, line + 1); n++) {
          var num = String(n);
          while (num.length < width) { num = " " + num; }
          out.push(num + " | " + lines[n - 1]);
          if (n === line) {
            out.push(new Array(width + 1).join(" ") + " | " + new Array(column).join(" ") + "^");
          }
        }
        box.appendChild(el("pre", "error-context", out.join("\n")));
        if (yasqe && yasqe.markText) {
          clearMarks();
          var lineText = lines[line - 1];
          var ch = Math.max(0, Math.min(column - 1, lineText.length - 1));
          marked.push(yasqe.markText({ line: line - 1, ch: ch }, { line: line - 1, ch: ch + 1 }, { className: "rcm-error-mark" }));
          yasqe.addLineClass(line - 1, "background", "rcm-error-line");
          marked.push({ clear: function () { yasqe.removeLineClass(line - 1, "background", "rcm-error-line"); } });
        }
      }
    }
    if (err.hint) { box.appendChild(el("p", "hint", err.hint)); }
    return box;
  }

  /* ---------------------------------------------------------------- YASGUI */

  Yasgui.Yasr.registerPlugin("table", RcmTable);
  Yasgui.Yasr.registerPlugin("barchart", window.RcmCharts.BarChart);
  Yasgui.Yasr.registerPlugin("timeline", window.RcmCharts.Timeline);
  Yasgui.Yasr.defaults.errorRenderers = [renderError];

  var params = new URLSearchParams(location.search);
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    autofocus: false,
    persistenceId: params.has("query") || params.has("example") ? null : "rcm-graph-query",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: cfg.defaultQuery, resizeable: true, editorHeight: "280px" },
    yasr: { prefixes: allPrefixes, pluginOrder: ["table", "barchart", "timeline", "response"], defaultPlugin: "table", errorRenderers: [renderError] }
  });
  window.rcmYasgui = yasgui;
  yasgui.on("query", function () {
    queryStarted = performance.now();
    clearMarks();
    checkParameters();
  });

  function openQuery(title, query, run) {
    var tab = yasgui.addTab(true, {
      name: title.slice(0, 40),
      yasqe: { value: query },
      yasr: { settings: { selectedPlugin: "table" }, response: undefined }
    });
    tab.setEndpoint(endpoint);
    tab.setQuery(query);
    if (run) { tab.getYasqe().query(); }
    return tab;
  }

  /* Links YASR draws itself (the response view, charts) also open locally. */
  function localise(scope) {
    scope.querySelectorAll("a[href]:not(.iri)").forEach(function (a) {
      var local = localHref(a.getAttribute("href"));
      if (local) {
        a.setAttribute("href", local);
        a.removeAttribute("target");
        a.classList.add("local-iri");
      }
    });
  }
  new MutationObserver(function () { localise(root); }).observe(root, { childList: true, subtree: true });

  /* ---------------------------------------------------------------- parameters */

  var panel = document.getElementById("param-panel");
  var warning = document.getElementById("unbound-warning");

  /* The catalogue query a text is (its "# param:" lines or its body), or null. */
  function normalise(text) {
    return text.split("\n").filter(function (l) { return !/^\s*#/.test(l); }).join(" ").replace(/\s+/g, " ").trim();
  }
  var bodies = cfg.examples.map(function (ex) { return normalise(ex.body); });
  function catalogueEntry(text) {
    var at = bodies.indexOf(normalise(text));
    if (at >= 0) { return cfg.examples[at]; }
    var title = /^#\s*title:\s*(.+)$/m.exec(text);
    if (title) {
      var named = cfg.examples.filter(function (e) { return e.title === title[1].trim(); });
      if (named.length) { return named[0]; }
    }
    return null;
  }
  function declared(text) {
    var out = [], re = /^#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s/gm, m;
    while ((m = re.exec(text))) { out.push(m[1]); }
    return out;
  }
  function isBound(code, name) {
    var v = "[?$]" + name + "(?![A-Za-z0-9_])";
    return new RegExp("VALUES\\s*(\\([^)]*" + v + "|" + v + ")", "i").test(code) ||
      new RegExp("\\bAS\\s+" + v, "i").test(code);
  }
  /* Warn when a catalogue query's parameters are not bound: it would answer nothing. */
  function checkParameters() {
    var yasqe = activeYasqe();
    if (!yasqe || !warning) { return; }
    var text = yasqe.getValue();
    var entry = catalogueEntry(text);
    var names = declared(text);
    if (entry) {
      entry.parameters.forEach(function (p) { if (names.indexOf(p.name) < 0) { names.push(p.name); } });
    }
    var code = text.split("\n").filter(function (l) { return !/^\s*#/.test(l); }).join("\n");
    var unbound = names.filter(function (n) { return !isBound(code, n); });
    warning.textContent = "";
    warning.hidden = !unbound.length;
    if (!unbound.length) { return; }
    warning.appendChild(el("strong", null, T("unbound.strong", { names: unbound.map(function (n) { return "?" + n; }).join(", ") })));
    warning.appendChild(document.createTextNode(
      T(unbound.length > 1 ? "unbound.other" : "unbound.one")));
    if (entry) {
      var fill = el("button", null, T("unbound.fill"));
      fill.type = "button";
      fill.addEventListener("click", function () { showForm(entry); });
      warning.appendChild(fill);
    }
  }

  function showForm(ex) {
    if (!panel) { return; }
    panel.textContent = "";
    panel.hidden = !ex.parameters.length;
    if (!ex.parameters.length) { return; }
    var form = el("form", "param-form");
    form.id = "param-form";
    form.appendChild(el("h2", null, T("params.heading", { name: ex.name })));
    ex.parameters.forEach(function (p) {
      var div = el("div", "param");
      var label = el("label");
      label.htmlFor = "param-" + p.name;
      label.appendChild(el("code", null, p.name));
      label.appendChild(document.createTextNode(" "));
      label.appendChild(el("span", "datatype", p.type));
      if (p.description) { label.appendChild(document.createTextNode(" — " + p.description)); }
      var input = el("input");
      input.id = "param-" + p.name;
      input.name = p.name;
      Object.keys(p.input).forEach(function (k) { input.setAttribute(k, p.input[k]); });
      input.value = p.default || "";
      input.required = p.required;
      input.title = p.expects;
      div.appendChild(label);
      div.appendChild(input);
      form.appendChild(div);
    });
    var run = el("button", null, T("params.run"));
    run.type = "submit";
    form.appendChild(run);
    var problem = el("p", "param-error");
    problem.setAttribute("role", "alert");
    problem.hidden = true;
    form.appendChild(problem);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var values = new URLSearchParams(new FormData(form));
      fetch("/queries/" + encodeURIComponent(ex.name) + ".rq?" + values.toString())
        .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
        .then(function (r) {
          if (!r.ok) {
            var detail = r.text;
            try { var b = JSON.parse(r.text).error; detail = b.detail + (b.hint ? " (" + b.hint + ")" : ""); } catch (x) { /* plain text */ }
            problem.textContent = detail;
            problem.hidden = false;
            return;
          }
          problem.hidden = true;
          var tab = yasgui.getTab();
          tab.setQuery(r.text);
          tab.getYasqe().query();
        });
    });
    panel.appendChild(form);
  }

  /* ---------------------------------------------------------------- toolbar */

  document.querySelectorAll("button[data-example]").forEach(function (button) {
    button.addEventListener("click", function () {
      var ex = cfg.examples[Number(button.getAttribute("data-example"))];
      openQuery(ex.title, ex.query, true);
      showForm(ex);
    });
  });

  function currentQuery() { return yasgui.getTab().getQuery(); }

  function download(accept, filename) {
    var body = new URLSearchParams({ query: currentQuery() });
    fetch(endpoint, { method: "POST", headers: { Accept: accept }, body: body })
      .then(function (r) { return r.blob(); })
      .then(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = filename;
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      });
  }
  document.getElementById("download-csv").addEventListener("click", function () { download("text/csv", "results.csv"); });
  document.getElementById("download-json").addEventListener("click", function () { download("application/sparql-results+json", "results.json"); });
  /* The server's prefix map (users of YASGUI ask for their own prefixes, TriplyDB/Yasgui #239). */
  document.getElementById("add-prefixes").addEventListener("click", function () {
    yasgui.getTab().getYasqe().addPrefixes(cfg.prefixes);
  });
  document.getElementById("share-link").addEventListener("click", function () {
    var url = location.origin + "/query?query=" + encodeURIComponent(currentQuery());
    var out = document.getElementById("share-url");
    out.value = url;
    out.hidden = false;
    out.select();
    history.replaceState(null, "", url);
    if (navigator.clipboard) { navigator.clipboard.writeText(url).catch(function () {}); }
  });

  var checkTimer = null;
  function watchEditor() {
    var yasqe = activeYasqe();
    if (yasqe && !yasqe.rcmWatched) {
      yasqe.rcmWatched = true;
      yasqe.on("change", function () { clearTimeout(checkTimer); checkTimer = setTimeout(checkParameters, 300); });
    }
    checkParameters();
  }
  yasgui.on("tabSelect", function () { setTimeout(watchEditor, 0); });
  yasgui.on("tabAdd", function () { setTimeout(watchEditor, 0); });

  if (params.has("query")) {
    openQuery(params.get("title") || T("shared"), params.get("query"), params.get("run") !== "0");
  } else if (params.has("example")) {
    var named = cfg.examples.filter(function (e) { return e.name === params.get("example"); })[0];
    if (named) { openQuery(named.title, named.query, true); showForm(named); }
  }
  watchEditor();
})();
