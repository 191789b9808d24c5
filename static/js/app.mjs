// Start the NHS.UK frontend components. Every page works without this: it only enhances.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();

// A table wider than a phone's screen scrolls inside its own box (shiftpractice.css). Chromium and Firefox
// let the keyboard scroll such a box; Safari needs it to be focusable, so make it so whenever it overflows.
function focusableWhenScrolling() {
  for (const table of document.querySelectorAll(".nhsuk-main-wrapper table:not([tabindex])")) {
    if (table.scrollWidth > table.clientWidth + 1) table.tabIndex = 0;
  }
}
focusableWhenScrolling();
window.addEventListener("resize", focusableWhenScrolling);
document.addEventListener("toggle", focusableWhenScrolling, true); // a table inside a <details> just opened
