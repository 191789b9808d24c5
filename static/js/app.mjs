// Start the NHS.UK frontend components. Every page works without this: it only enhances.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
