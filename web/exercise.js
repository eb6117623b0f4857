// Page entry for coding exercises. Tiny on purpose: it finds the exercise placeholders
// on each page Material shows (document$ fires on load and after instant navigation) and
// only then imports the editor and widget code, and starts Python right away.

const SELECTOR = ".l2-exercise[data-exercise]";

function addStylesheet() {
  const href = new URL("./exercise.css", import.meta.url).href;
  if ([...document.styleSheets].some((sheet) => sheet.href === href)) return;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href }));
}

let runtimeLoaded = null; // the runtime module, once a page with an exercise loaded it

async function mountAll() {
  // A runaway job of an exercise on the page just left must not hold up this page.
  if (runtimeLoaded) runtimeLoaded.cancelDetached();
  const roots = [...document.querySelectorAll(SELECTOR)].filter((root) => !root.dataset.l2Mounted);
  if (roots.length === 0) return;
  for (const root of roots) root.dataset.l2Mounted = "pending";
  addStylesheet();
  try {
    const [{ mount }, runtime] = await Promise.all([
      import("./exercise-widget.js"),
      // Python starts as soon as its small module is here, not after the editor's chunk.
      import("./exercise-runtime.js").then((runtime) => (runtime.start(), runtime)),
    ]);
    runtimeLoaded = runtime;
    for (const root of roots) {
      try {
        mount(root);
        root.dataset.l2Mounted = "yes";
      } catch (error) {
        root.dataset.l2Mounted = "failed";
        console.error("l2-course: exercise", root.dataset.exercise, error);
      }
    }
  } catch (error) {
    for (const root of roots) root.dataset.l2Mounted = "failed";
    console.error("l2-course: could not load the exercise code", error);
  }
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => mountAll());
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll);
} else {
  mountAll();
}
