// Registers the course's service worker (sw.js at the site's root, written by the build)
// so that the course, exercises included, works offline after a first visit. It waits
// until the page has loaded, and on a page with an exercise until Python is ready, so
// that its downloads never compete with them; then it asks the worker to keep the Python
// files too.

const SW_URL = new URL("../../sw.js", import.meta.url);

function whenPythonReady(callback) {
  const seen = () => performance.getEntriesByName("l2:python-ready").length > 0;
  if (seen()) return callback();
  const observer = new PerformanceObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    callback();
  });
  observer.observe({ type: "mark", buffered: true });
}

async function register() {
  try {
    await navigator.serviceWorker.register(SW_URL, { updateViaCache: "none" });
  } catch {
    return; // no sw.js (mkdocs serve) or no service workers here: the site works online
  }
  // On exercise pages only: reading a page never downloads Python.
  whenPythonReady(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (registration.active) registration.active.postMessage({ type: "cache-python" });
  });
}

if ("serviceWorker" in navigator && window.isSecureContext) {
  const later = () =>
    "requestIdleCallback" in window ? requestIdleCallback(register, { timeout: 5000 }) : setTimeout(register, 1000);
  const afterLoad = () => {
    if (document.querySelector("[data-exercise]")) whenPythonReady(later);
    else later();
  };
  if (document.readyState === "complete") afterLoad();
  else addEventListener("load", afterLoad, { once: true });
}
