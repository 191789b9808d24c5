// Runs first in <body>: tells the design system's CSS that its JavaScript will run.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
