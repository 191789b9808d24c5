// Starts Swagger UI on the API docs page (no inline script: the page's CSP allows scripts from this site only).
(function () {
  "use strict";
  function start() {
    var node = document.getElementById("swagger-ui");
    if (!node || typeof window.SwaggerUIBundle !== "function") {
      return;
    }
    var csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1];
    window.SwaggerUIBundle({
      url: node.getAttribute("data-schema-url"),
      domNode: node,
      deepLinking: false, // a deep link is an anchor inside the operation's button: nested controls (axe)
      // A change tried from the page with the browser's session carries the CSRF token, as a form would.
      requestInterceptor: function (request) {
        if (csrf && request.method && request.method.toUpperCase() !== "GET") {
          request.headers["X-CSRFToken"] = decodeURIComponent(csrf);
        }
        return request;
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
