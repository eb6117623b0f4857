// Inlined by hooks/early_fetch.py in the <head> of pages with an exercise, right after
// web/python-early.js, as a classic script that calls this function with {preload: [URL]}.
//
// 1. It asks at once for every file a first verdict needs (the worker would ask for them
//    one hop after another); the worker's own requests then join them in the HTTP cache.
//    fetch(), not <link rel="preload">: a preload would hold the page's load event until
//    the last of Python's files. Made here rather than written in the HTML, so that they
//    are made on a full load only: Material's instant navigation copies new <head> tags
//    into the page (it runs no head script), when the tab's Python is already there; and
//    not when the service worker controls the page (the files are on this device).
// 2. Material's search asks for its index (an XMLHttpRequest) as soon as its bundle runs,
//    on the same link as Python's files, though no first verdict needs it: that one
//    request is held back until the first verdict is shown (or the learner reaches for the
//    search box, or no verdict came in a while); every other request goes out untouched.
(function (early) {
  var controlled = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!controlled && "fetch" in window && "WritableStream" in window) {
    early.preload.forEach(function (href) {
      // Read to the end and dropped: the bytes stay in the HTTP cache for the worker.
      fetch(href, { credentials: "same-origin" })
        .then(function (response) {
          return response.body?.pipeTo(new WritableStream());
        })
        .catch(function () {});
    });
  }
  var XHR = window.XMLHttpRequest;
  if (!XHR || window.__l2SearchHeld) return;
  var waiting = [];
  var released = false;
  var release = function () {
    if (released) return;
    released = true;
    waiting.splice(0).forEach(function (send) {
      send();
    });
  };
  window.__l2SearchHeld = waiting;
  // A learner who never submits still gets it: a while after Python is ready, or later.
  setTimeout(release, 60000);
  document.addEventListener("focusin", function (event) {
    if (event.target && /** @type {HTMLInputElement} */ (event.target).name === "query") release();
  });
  try {
    new MutationObserver(release).observe(document, {
      subtree: true,
      attributeFilter: ["data-verdict"],
    });
    new PerformanceObserver(function (list) {
      if (list.getEntriesByName("l2:python-ready").length) setTimeout(release, 10000);
    }).observe({ type: "mark", buffered: true });
  } catch (_error) {
    release();
  }
  var open = XHR.prototype.open;
  var send = XHR.prototype.send;
  XHR.prototype.open = function (_method, url) {
    this.__l2Held = /\/search\/search_index\.json(\?|$)/.test(String(url));
    // @ts-expect-error `arguments` goes on as the page gave it, whatever its length
    return open.apply(this, arguments);
  };
  XHR.prototype.send = function () {
    var xhr = this;
    var args = arguments;
    // @ts-expect-error `arguments` goes on as the page gave it, whatever its length
    if (!xhr.__l2Held || released) return send.apply(xhr, args);
    waiting.push(function () {
      // @ts-expect-error as above
      send.apply(xhr, args);
    });
  };
});
