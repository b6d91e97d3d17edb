// Starts Swagger UI on /docs with the settings the page carries in data-config. A file, not
// an inline <script>, so that /docs works under a Content-Security-Policy that runs only
// script files served by this server.
"use strict";

const root = document.getElementById("swagger-ui");
const config = JSON.parse(root.dataset.config);
window.ui = SwaggerUIBundle({
  ...config,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
