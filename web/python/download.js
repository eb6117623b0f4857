// How much of Python's boot files has arrived, counted in the worker as their bodies are
// read (web/worker.js), for the page's progress bar (web/exercise-progress.js). Only
// what fetch() brings is seen: the WebAssembly binary, the standard library zip and the
// grader archive, which are nearly all of the bytes.

/* global __PYODIDE_WASM_BYTES__ */
const WASM_BYTES = typeof __PYODIDE_WASM_BYTES__ === "number" ? __PYODIDE_WASM_BYTES__ : 0;
// Progress messages at most this often: the page only redraws a bar.
const EVERY_MS = 150;

/** Which boot file `url` is ("wasm", "stdlib", "grader"), or "" for any other. */
export function bootFile(url) {
  const path = String(url).split("?")[0];
  if (path.endsWith("/pyodide.asm.wasm")) return "wasm";
  if (path.endsWith("/python_stdlib.zip")) return "stdlib";
  if (path.endsWith("/grader.zip")) return "grader";
  return "";
}

/** The body's size as read: the build knows the binary's; a zip is sent as it is. */
function sizeOf(kind, response) {
  if (kind === "wasm" && WASM_BYTES) return WASM_BYTES;
  const encoded = response.headers.get("content-encoding");
  const length = Number(response.headers.get("content-length"));
  return !encoded && length > 0 ? length : 0;
}

/**
 * Wrap `fetch` so that the boot files' bodies are counted; `report({loaded, total,
 * waiting})` hears it (waiting: the kinds still coming). Returns what puts fetch back.
 */
export function countDownloads(report) {
  const native = self.fetch;
  const files = new Map(); // kind -> {loaded, total, done}
  let last = 0;
  const tell = (force) => {
    const now = Date.now();
    if (!force && now - last < EVERY_MS) return;
    last = now;
    let loaded = 0;
    let total = 0;
    const waiting = [];
    for (const [kind, file] of files) {
      loaded += file.done ? Math.max(file.loaded, file.total) : Math.min(file.loaded, file.total || file.loaded);
      total += file.total || file.loaded;
      if (!file.done) waiting.push(kind);
    }
    report({ loaded, total, waiting });
  };
  self.fetch = async (input, init) => {
    const response = await native(input, init);
    // Pyodide passes URL objects, the grader's loader a string.
    const kind = bootFile(input instanceof Request ? input.url : String(input));
    if (!kind || !response.ok || !response.body || files.has(kind)) return response;
    const file = { loaded: 0, total: sizeOf(kind, response), done: false };
    files.set(kind, file);
    const counter = new TransformStream({
      transform(chunk, controller) {
        file.loaded += chunk.byteLength;
        controller.enqueue(chunk);
        tell(false);
      },
      flush() {
        file.done = true;
        tell(true);
      },
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
  };
  return () => {
    self.fetch = native;
  };
}
