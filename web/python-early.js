// Inlined by hooks/head.py at the very top of the <head> of pages with an exercise, after
// the page's config island (<script id="l2-config">, web/page-config.js), as a classic
// script: it starts the Python worker, its `init` in the URL, while the page is still being
// parsed, well before the module scripts could (they wait on their imports and on the
// parser). web/python/pool.js adopts this worker if its config is the one the runtime
// reads (one key: the config's JSON), else ends it and starts its own. Only creates a
// worker: Python never runs on the main thread. Resolving the URLs is pythonConfig()'s
// rule in web/page-config.js, in the ES5 a classic inline script can rely on.
(function () {
  if (!window.Worker || window.__l2PythonEarly) return;
  try {
    var python = JSON.parse(/** @type {HTMLElement} */ (document.getElementById("l2-config")).textContent || "").python;
    var init = { id: 0, snapshot: null, cacheName: "caches" in self ? python.cacheName : "" };
    for (var name in python.urls) init[name] = new URL(python.urls[name], location.href).href;
    // `init` rides in the URL's fragment: the worker starts booting as soon as its script
    // runs, without waiting for this busy main thread to relay a message.
    var url = init.workerURL + "#init=" + encodeURIComponent(JSON.stringify(init));
    var worker = new Worker(url, { type: "module", name: "l2-course-python" });
    var early = { worker: worker, key: JSON.stringify(python), messages: /** @type {any[]} */ ([]) };
    worker.onmessage = function (event) {
      early.messages.push(event.data);
    };
    window.__l2PythonEarly = early;
  } catch (_error) {
    // The runtime starts Python itself, a little later.
  }
})();
