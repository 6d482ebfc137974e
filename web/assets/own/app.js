// Starts the NHS.UK frontend's components. Pages work without it: every
// component degrades to plain HTML and every action is a form.
import { initAll } from "NHSUK_FRONTEND_URL";

initAll();
