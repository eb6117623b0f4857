// The widget's download bar: while Python's boot files come (web/python/download.js counts
// them in the worker), how many MB have arrived of how many, and which files are still
// coming. A real progress bar (role="progressbar" with its values) that screen readers
// can query; it is not a live region, and its value text changes only every tenth of the
// way, so it is announced sparingly (web/exercise.js announces the loading phases once).
// createDownloadBar() -> {element, show(state)}; the widget calls show() with the
// runtime's state.

import { message } from "./contract.js";

const MB = 1e6;
const STEPS = 10; // the value text (what is read out) moves in tenths

const mb = (bytes) => (bytes / MB).toFixed(1);

export function createDownloadBar() {
  const element = document.createElement("div");
  element.className = "l2-ex__loadbar";
  element.hidden = true;
  const bar = document.createElement("div");
  bar.className = "l2-ex__loadbar-bar";
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-label", message("loading.bar"));
  bar.setAttribute("aria-valuemin", "0");
  const fill = document.createElement("div");
  fill.className = "l2-ex__loadbar-fill";
  bar.append(fill);
  const label = document.createElement("span");
  label.className = "l2-ex__loadbar-text";
  element.append(bar, label);
  let step = -1;

  /** @param {{phase: string, bytes?: {loaded: number, total: number, waiting: string[]}}} state */
  function show({ phase, bytes }) {
    if (phase !== "loading" || !bytes || !bytes.total) {
      element.hidden = true;
      return;
    }
    element.hidden = false;
    const loaded = Math.min(bytes.loaded, bytes.total);
    bar.setAttribute("aria-valuemax", String(bytes.total));
    bar.setAttribute("aria-valuenow", String(loaded));
    fill.style.width = `${(100 * loaded) / bytes.total}%`;
    const text = message("loading.bytes", { loaded: mb(loaded), total: mb(bytes.total) });
    const files = bytes.waiting.map((kind) => message(`loading.file.${kind}`)).join(", ");
    label.textContent = files ? `${text}; ${message("loading.waiting_for", { files })}` : text;
    const now = Math.floor((STEPS * loaded) / bytes.total);
    if (now !== step) {
      step = now;
      bar.setAttribute("aria-valuetext", text);
    }
  }

  return { element, show };
}
