// The page's components and their one way in. Each component registers a CSS selector and
// a mount function; ONE subscription to Material's document$ (page load and every instant
// navigation) mounts each matching element once, and destroys the components whose
// elements the navigation removed, so nothing they listened to piles up.
//
// To add a component (e.g. web/progress.js, web/explorables.js):
//
//   // web/progress.js
//   export function mountProgress(element) {
//     const onStorage = () => { ... };
//     addEventListener("storage", onStorage);
//     return { destroy: () => removeEventListener("storage", onStorage) };
//   }
//
//   // web/page.js
//   import { mountProgress } from "./progress.js";
//   register(".l2-progress", mountProgress);
//
// A mount function receives the element, may be async, and returns (or resolves to)
// `{destroy}` (or nothing, when it holds nothing that outlives its element). It must not
// subscribe to document$ itself.

const registry = []; // {selector, mount}
const live = new Map(); // element -> {destroy} | Promise of it
let subscriptions = 0; // live subscriptions to page-wide sources (see tracked)

// Counts for tests (tests/browser/test_exercises.py): components mounted, subscriptions.
function publish() {
  document.documentElement.dataset.l2Components = String(live.size);
  document.documentElement.dataset.l2Subscriptions = String(subscriptions);
}

/**
 * Count a subscription to something that outlives a page (the Python runtime's state):
 * `tracked(runtime.onState(fn))` returns the unsubscribe function, counted, so a test can
 * see that subscriptions do not pile up across instant navigation.
 */
export function tracked(unsubscribe) {
  subscriptions += 1;
  publish();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    subscriptions -= 1;
    publish();
    unsubscribe();
  };
}

/** Mount `mount(element)` on every element matching `selector`, on this and later pages. */
export function register(selector, mount) {
  registry.push({ selector, mount });
}

async function destroy(element, handle) {
  live.delete(element);
  try {
    const instance = await handle;
    if (instance && typeof instance.destroy === "function") instance.destroy();
  } catch (error) {
    console.error("l2-course: could not tear a component down", error);
  }
}

/** Destroy the components whose element left the page; mount the new ones. */
export function update(root = document) {
  for (const [element, handle] of live) {
    if (!element.isConnected) destroy(element, handle);
  }
  for (const { selector, mount } of registry) {
    for (const element of root.querySelectorAll(selector)) {
      if (live.has(element)) continue;
      const handle = Promise.resolve()
        .then(() => mount(element))
        .catch((error) => {
          console.error("l2-course: could not mount", selector, error);
          return null;
        });
      live.set(element, handle);
    }
  }
  publish();
}

/**
 * Subscribe once: on Material's document$ when there is one, else on this page's load.
 * `accept()` is asked first on every page: false means the page is not to be mounted.
 */
export function start(accept = () => true) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => accept() && update());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => update(), { once: true });
  } else {
    update();
  }
}
