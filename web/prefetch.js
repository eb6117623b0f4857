// Python, fetched while the learner reads: on a page with no exercise, once it has loaded,
// the learner has stayed a few seconds and the browser is idle, the course's service
// worker (web/service-worker.js) is asked to keep the files a first verdict needs (the
// Pyodide core, the standard library zip, the lock file, the grader; not optional
// packages such as numpy). The next exercise page then boots Python from Cache Storage
// instead of the network; then, on a device that can afford it, the tab's Python boots in
// idle time, so that it is ready (and its snapshot kept) before the learner gets there.
// Never with Save-Data on, never on a page left at once, and only once per tab.
// mountPrefetch(container) -> {destroy}, mounted by web/page.js.

const SW_URL = new URL("../../sw.js", import.meta.url);
// How long the learner stays on a page before it is worth their bandwidth.
const DWELL_MS = 4000;

let asked = false; // once per tab: the service worker remembers the rest

const saveData = () => Boolean(navigator.connection?.saveData);

function whenLoaded(callback) {
  if (document.readyState === "complete") return callback();
  addEventListener("load", callback, { once: true });
}

function whenIdle(callback) {
  if ("requestIdleCallback" in window) return requestIdleCallback(callback, { timeout: 10_000 });
  return setTimeout(callback, 0);
}

/** Ask the service worker (installing, waiting or active) to keep Python's boot files. */
async function keepPython() {
  let registration;
  try {
    // The same registration web/offline.js makes: whichever runs first creates it.
    registration = await navigator.serviceWorker.register(SW_URL, { updateViaCache: "none" });
  } catch {
    return false; // no sw.js (mkdocs serve), or no service workers here
  }
  // Where service workers are blocked, register() may resolve with nothing.
  const worker = registration && (registration.installing || registration.waiting || registration.active);
  if (!worker) return false;
  const onMessage = ({ data }) => {
    if (data?.type !== "python-kept") return;
    navigator.serviceWorker.removeEventListener("message", onMessage);
    warmUp();
  };
  navigator.serviceWorker.addEventListener("message", onMessage);
  navigator.serviceWorker.startMessages();
  worker.postMessage({ type: "cache-python", only: "boot" });
  performance.mark("l2:python-prefetch");
  return true;
}

/** A device that can spare an interpreter's memory and a few seconds of a core. */
async function canAfford() {
  if (saveData() || (navigator.deviceMemory || 8) < 4 || (navigator.hardwareConcurrency || 2) < 2) {
    return false;
  }
  try {
    const battery = navigator.getBattery ? await navigator.getBattery() : null;
    if (battery && !battery.charging && battery.level < 0.5) return false;
  } catch {
    // No battery figures: a desktop, or a browser that keeps them private.
  }
  return true;
}

// Python's files are in the cache: in idle time, boot the tab's Python (in its worker,
// off the main thread) so that its memory snapshot is made and kept in Cache Storage, and
// the exercise page a link away finds an interpreter ready (the runtime lives as long as
// the tab, across Material's instant navigation).
async function warmUp() {
  if (!(await canAfford())) return;
  whenIdle(async () => {
    const runtime = await import("./exercise-runtime.js");
    performance.mark("l2:python-warm");
    runtime.start();
  });
}

export function mountPrefetch(container) {
  const hasExercise = Boolean(container.querySelector("[data-exercise]"));
  if (asked || hasExercise || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {number | null} */
  let idle = null;
  let gone = false;
  whenLoaded(() => {
    if (gone) return;
    timer = setTimeout(() => {
      idle = whenIdle(async () => {
        if (gone || asked || saveData()) return;
        asked = true;
        if (!(await keepPython())) asked = false; // a later page may try again
      });
    }, DWELL_MS);
  });
  return {
    destroy() {
      // The learner moved on before the dwell ended: this page asks for nothing.
      gone = true;
      clearTimeout(timer);
      if (idle !== null && "cancelIdleCallback" in window) cancelIdleCallback(idle);
    },
  };
}
