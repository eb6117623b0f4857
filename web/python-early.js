// Inlined by hooks/course.py at the very top of the <head> of pages with an exercise, as a
// classic script that calls this function with {root, pyodide, grader, stdlib, packages}:
// it starts the Python worker, its `init` in the URL, while the page is still being parsed,
// ~0.4 s before the module scripts could (they wait on their imports and on the parser).
// web/exercise-runtime.js adopts this worker if it would have started it the same way
// (same fields), else ends it and starts its own. Only creates a worker: Python never runs
// on the main thread.
(function (boot) {
  if (!window.Worker || window.__l2PythonEarly) return;
  try {
    var abs = function (path) {
      return new URL(path, location.href).href;
    };
    var slash = function (url) {
      return url.charAt(url.length - 1) === "/" ? url : url + "/";
    };
    var fields = {
      indexURL: abs(boot.root + "pyodide/"),
      packageBaseUrl: boot.packages
        ? slash(abs(boot.packages))
        : "https://cdn.jsdelivr.net/pyodide/v" + boot.pyodide + "/full/",
      graderURL: abs(boot.root + "assets/grader.zip") + "?v=" + boot.grader,
      snapshot: null,
      cacheName: "caches" in self ? "l2-course-python-snapshot" : "",
      cacheKey: abs(boot.root + "assets/python-snapshot-" + boot.pyodide + "-" + boot.grader + "-" + boot.stdlib + ".bin"),
    };
    // `init` rides in the URL's fragment: the worker starts booting as soon as its script
    // runs, without waiting for this busy main thread to relay a message.
    var init = Object.assign({ id: 0 }, fields);
    var url = abs(boot.root + "assets/course/worker.js") + "#init=" + encodeURIComponent(JSON.stringify(init));
    var worker = new Worker(url, { type: "module", name: "l2-course-python" });
    var early = { worker: worker, fields: fields, messages: [] };
    worker.onmessage = function (event) {
      early.messages.push(event.data);
    };
    window.__l2PythonEarly = early;
  } catch (error) {
    // The runtime starts Python itself, a little later.
  }
})
