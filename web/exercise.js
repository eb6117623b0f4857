// The exercise component: mountExercise(root) -> {destroy}, mounted by web/page.js on each
// `.l2-exercise[data-exercise]`. Small on purpose: the editor and the widget are imported
// only on pages with an exercise, and Python starts at once (on exercise pages
// web/python-boot.js has usually started it from the <head> already). Python's
// loading progress is announced once per page (one live region), not once per exercise.

import { tracked } from "./components.js";

/** @type {HTMLElement | null} */
let announcer = null;

function addStylesheet() {
  const href = new URL("./exercise.css", import.meta.url).href;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href }));
}

// One visually hidden live region for the tab, outside Material's swapped content; it says
// "Loading Python…" once and "Python is ready." once, however many exercises a page has.
function announceLoading(runtime) {
  if (announcer) return;
  const region = Object.assign(document.createElement("div"), { className: "l2-sr-only" });
  region.setAttribute("role", "status");
  document.body.append(region);
  announcer = region;
  let phase = null;
  // Kept for the tab's life (the region outlives every page), so never unsubscribed.
  tracked(
    runtime.onState((state) => {
      if (state.phase === phase || state.phase === "idle") return;
      phase = state.phase;
      region.textContent = state.text;
    }),
  );
}

/** Turn the build's placeholder into a working exercise. */
export async function mountExercise(root) {
  addStylesheet();
  const [{ mountWidget }, runtime] = await Promise.all([
    import("./exercise-widget.js"),
    // Python starts as soon as its small module is here, not after the editor's chunk.
    import("./exercise-runtime.js").then((runtime) => (runtime.start(), runtime)),
  ]);
  if (!root.isConnected) return null; // the learner moved on while the code loaded
  const widget = mountWidget(root, runtime);
  announceLoading(runtime);
  return widget;
}
