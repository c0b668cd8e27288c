// Starts Swagger UI on /docs from the vendored bundle (scripts/install-ui-assets): a file and not
// an inline script, because the pages' Content-Security-Policy allows only our own scripts.
// validatorUrl null: Swagger UI would otherwise send the description to an online validator.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
