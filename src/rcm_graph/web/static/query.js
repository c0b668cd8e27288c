/* The query page: YASGUI (vendored, no CDN) wired to this server's /sparql endpoint, the
 * catalogue's queries as one-click examples, our prefixes, chart views, downloads and a
 * shareable link. Configuration comes from the JSON block #rcm-query-config (not executed). */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("rcm-query-config").textContent);
  var root = document.getElementById("yasgui-root");
  if (!window.Yasgui) { return; }
  var Yasgui = window.Yasgui;
  var endpoint = location.origin + cfg.endpoint;

  Yasgui.Yasr.registerPlugin("barchart", window.RcmCharts.BarChart);
  Yasgui.Yasr.registerPlugin("timeline", window.RcmCharts.Timeline);
  if (Yasgui.Yasr.plugins.table && Yasgui.Yasr.plugins.table.defaults) {
    Yasgui.Yasr.plugins.table.defaults.openIriInNewWindow = false;
  }

  var params = new URLSearchParams(location.search);
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    populateFromUrl: false,
    autofocus: false,
    persistenceId: params.has("query") || params.has("example") ? null : "rcm-graph-query",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: cfg.defaultQuery, resizeable: true, editorHeight: "280px" },
    yasr: { prefixes: Object.assign({}, cfg.prefixes, cfg.displayPrefixes), pluginOrder: ["table", "barchart", "timeline", "response"], defaultPlugin: "table" }
  });
  window.rcmYasgui = yasgui;

  function openQuery(title, query, run) {
    var tab = yasgui.addTab(true, {
      name: title.slice(0, 40),
      yasqe: { value: query },
      yasr: { settings: { selectedPlugin: "table", pluginsConfig: { table: { isEllipsed: false, compact: true } } }, response: undefined }
    });
    tab.setEndpoint(endpoint);
    tab.setQuery(query);
    if (run) { tab.getYasqe().query(); }
    return tab;
  }

  /* IRIs of this dataset open their page on this server, not at the (maybe not yet deployed) base. */
  function localise(scope) {
    scope.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href.indexOf(cfg.base + "id/") === 0) {
        a.setAttribute("href", "/" + href.slice(cfg.base.length));
        a.removeAttribute("target");
        a.classList.add("local-iri");
      } else if (href.indexOf(cfg.ontology) === 0) {
        a.setAttribute("href", "/ontology" + href.slice(cfg.ontology.length));
        a.removeAttribute("target");
      }
    });
  }
  new MutationObserver(function () { localise(root); }).observe(root, { childList: true, subtree: true });

  document.querySelectorAll("button[data-example]").forEach(function (button) {
    button.addEventListener("click", function () {
      var ex = cfg.examples[Number(button.getAttribute("data-example"))];
      openQuery(ex.title, ex.query, true);
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

  if (params.has("query")) {
    openQuery(params.get("title") || "Shared query", params.get("query"), params.get("run") !== "0");
  } else if (params.has("example")) {
    var named = cfg.examples.filter(function (e) { return e.name === params.get("example"); })[0];
    if (named) { openQuery(named.title, named.query, true); }
  }
})();
