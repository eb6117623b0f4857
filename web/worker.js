// The exercise runtime's Web Worker: brings up Pyodide with the grader imported and its
// trusted outcomes computed (grader.prepare()), then answers `grade` and `run` messages by
// calling the grader and posting its plain dict back. It does no checking of its own.
//
// Boot is either a restore of a memory snapshot or a fresh boot, which then takes one
// before any learner code runs. The messages, with their types: web/python/protocol.js.

import { message } from "./contract.js";
import { countDownloads } from "./python/download.js";

const GRADER_DIR = "/home/pyodide/l2-course";

/** @type {any} */
let pyodide = null; // the Pyodide API, once booted
/** @type {any} */
let glue = null; // the grader's grader/worker.py: call, imports_of, rest_path, prepare
/** @type {any} */
let call = null; // glue.call: (kind, a, b) -> JSON string
let dead = false; // after a fatal error nothing more runs here
let image = null; // a fresh boot's memory snapshot, until the page asks for it

const post = (type, id, fields = {}, transfer = []) => self.postMessage({ type, id, ...fields }, transfer);
const textOf = (error) => String(error?.message ? error.message : error);
// A Python exception's text is its whole traceback: the learner reads its last line.
const lastLine = (error) => (textOf(error).trim().split("\n").pop() || "").trim();
// When each boot phase ended, as wall-clock ms (timeOrigin + now), so that ./dev bench can
// place them on the page's own timeline.
const clock = () => performance.timeOrigin + performance.now();
const timings = { script: clock() };
// When the binary's compile starts and ends, and whether it compiles as it streams in.
for (const name of ["instantiateStreaming", "instantiate"]) {
  const original = WebAssembly[name];
  if (typeof original !== "function") continue;
  WebAssembly[name] = function (...args) {
    timings[`wasm ${name}`] ??= clock();
    const done = original.apply(this, args);
    done.then(
      () => (timings[`wasm ${name} done`] ??= clock()),
      () => {},
    );
    return done;
  };
}
/** When each of this worker's own requests ended (its resource timing), into `timings`. */
function timeFetches() {
  for (const entry of /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType("resource"))) {
    const file = new URL(entry.name).pathname.split("/").pop();
    timings[`got ${file}`] = performance.timeOrigin + entry.responseEnd;
  }
}

// The URL names the grader's version (the first 16 hex digits of the archive's sha256):
// an archive that is not that one (another deploy's, from a cache or the network) is
// refused, so a page never runs with a grader it was not built with.
async function graderArchive(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const bytes = await response.arrayBuffer();
  const version = new URL(url).searchParams.get("v");
  if (version && version !== "dev" && !(await sha256(bytes)).startsWith(version)) {
    throw new Error(message("stale_grader")); // another deploy's archive (a stale cache)
  }
  return bytes;
}

/** The snapshot kept by an earlier visit, if it is there and whole; else null. */
async function storedSnapshot(cacheName, cacheKey) {
  try {
    const cache = await caches.open(cacheName);
    const response = await cache.match(cacheKey);
    if (!response) return null;
    const bytes = await response.arrayBuffer();
    const expected = response.headers.get("x-l2-sha256");
    if (expected && expected === (await sha256(bytes))) return { bytes, sha256: expected };
    await cache.delete(cacheKey); // corrupt or cut short: never try it again
  } catch {
    // No Cache Storage here (private mode, old browser): boot normally.
  }
  return null;
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

let restURL = "";

/** @param {import("./python/protocol.js").InitRequest} request */
async function init({ id, indexURL, packageBaseUrl, graderURL, snapshot, cacheName, cacheKey }) {
  timings.init = clock();
  restURL = indexURL + REST_OF_STDLIB;
  // Where scripts/sitecustomize.py finds the rest of the standard library for an import
  // that load() did not see coming (it loads it synchronously, as only a worker can).
  const env = { L2_STDLIB_REST_URL: restURL };
  // How much of the boot files has come, for the page's progress bar, until Python is up.
  const text = message("loading.python");
  const uncount = countDownloads((bytes) => post("progress", id, { text, bytes }));
  try {
    await boot({ id, indexURL, packageBaseUrl, graderURL, snapshot, cacheName, cacheKey, env });
  } finally {
    uncount();
  }
}

async function boot({ id, indexURL, packageBaseUrl, graderURL, snapshot, cacheName, cacheKey, env }) {
  const archive = graderArchive(graderURL); // in parallel with Python's own files
  // (A failure is reported where the archive is awaited; here it is only timed.)
  archive.then(
    () => (timings.archive = clock()),
    () => {},
  );
  post("progress", id, { text: message("loading.python") });
  // The snapshot is looked up while the loader downloads.
  const found = snapshot ? snapshot.arrayBuffer() : cacheName ? storedSnapshot(cacheName, cacheKey) : null;
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  timings.loader = clock();
  const stored = snapshot ? null : await found;
  const bytes = snapshot ? await found : stored?.bytes;
  timings.found = clock();
  if (bytes) {
    try {
      pyodide = await loadPyodide({ indexURL, packageBaseUrl, env, _loadSnapshot: bytes });
      pyodide.unpackArchive(await archive, "zip", { extractDir: GRADER_DIR });
      useGlue(); // imported before the snapshot was made: taken from sys.modules
      if (pyodide.runPython("1 + 1") !== 2 || typeof call !== "function") throw new Error("bad");
    } catch (error) {
      // A snapshot that does not restore: the page starts a fresh worker without it.
      if (cacheName)
        caches
          .open(cacheName)
          .then((c) => c.delete(cacheKey))
          .catch(() => {});
      return post("error", id, { message: textOf(error), snapshotFailed: true });
    }
    timings.python = clock();
    timeFetches();
    post("ready", id, { boot: "snapshot", timings });
    // The page restores its next interpreters from this copy, not from Cache Storage again.
    if (stored) post("snapshot", 0, { blob: new Blob([bytes]), sha256: stored.sha256, stored: true });
    return;
  }
  pyodide = await loadPyodide({ indexURL, packageBaseUrl, env, _makeSnapshot: true });
  timings.python = clock();
  post("progress", id, { text: message("loading.grader") });
  pyodide.unpackArchive(await archive, "zip", { extractDir: GRADER_DIR });
  const sys = pyodide.pyimport("sys");
  sys.path.insert(0, GRADER_DIR);
  sys.destroy();
  useGlue();
  timings.import = clock();
  glue.prepare();
  timings.grader = clock();
  // Before any learner code: this is the state every later worker starts from. The image
  // is a copy, so packing and checksumming it (~0.1 s for 30 MB) waits until the page asks,
  // once the first verdict is shown (see giveSnapshot).
  image = pyodide.makeMemorySnapshot();
  timings.snapshot = clock();
  timeFetches();
  post("ready", id, { boot: "fresh", timings });
}

function useGlue() {
  glue = pyodide.pyimport("grader.worker");
  call = glue.call;
}

async function giveSnapshot() {
  if (!image) return;
  const bytes = image;
  image = null;
  post("snapshot", 0, { blob: new Blob([bytes]), sha256: await sha256(bytes) });
}

/** The module names the code imports (and their parents); none if it does not parse. */
function importsOf(code) {
  const names = glue.imports_of(code);
  try {
    return names.toJs();
  } finally {
    names.destroy();
  }
}

/** Python names the code imports -> Pyodide packages that provide them (not yet loaded). */
function packagesFor(names, declared) {
  const wanted = new Set(declared);
  const byImport = new Map();
  for (const [name, info] of Object.entries(pyodide.lockfile.packages)) {
    for (const module of info.imports || []) byImport.set(module, name);
  }
  for (const name of names) if (byImport.has(name)) wanted.add(byImport.get(name));
  return [...wanted].filter((name) => !pyodide.loadedPackages[name]);
}

// The standard library's modules that no first verdict imports are in a second zip
// (hooks/stdlib.py), which scripts/sitecustomize.py loads on first import. When the code
// names one, or a package is about to load (numpy imports a few), it is fetched here,
// before the job's time limit starts counting.
const REST_OF_STDLIB = "python_stdlib_rest.zip";

async function loadRestOfStdlib(id, names, always) {
  const path = glue.rest_path(names, always);
  if (!path) return;
  post("progress", id, { text: message("loading.stdlib") });
  try {
    const response = await fetch(restURL);
    if (!response.ok) return; // the import says so, in the learner's own result
    pyodide.FS.writeFile(path, new Uint8Array(await response.arrayBuffer()));
  } catch {
    // Offline and never kept: the import itself reports it.
  }
}

/**
 * Load the exercise's packages and those the code imports (and the rest of the standard
 * library when needed). Returns null once everything is in, else what went wrong.
 * @param {import("./python/protocol.js").JobRequest} request
 * @returns {Promise<{message: string, packages?: string[]} | null>}
 */
async function load({ id, packages, code }) {
  const names = importsOf(code || "");
  const missing = packagesFor(names, packages || []);
  await loadRestOfStdlib(id, names, missing.length > 0);
  if (missing.length === 0) return null;
  post("progress", id, { text: message("loading.packages", { packages: missing.join(", ") }) });
  const problems = [];
  const options = { messageCallback: () => {}, errorCallback: (text) => problems.push(text) };
  try {
    if (code) await pyodide.loadPackagesFromImports(code, options);
    const declared = missing.filter((name) => !pyodide.loadedPackages[name]);
    if (declared.length) await pyodide.loadPackage(declared, options);
  } catch (error) {
    problems.push(textOf(error));
  }
  // loadPackage may report a failed download only through errorCallback: trust what got in.
  const still = missing.filter((name) => !pyodide.loadedPackages[name]);
  if (still.length === 0) return null;
  return {
    message: problems.join("\n") || message("python.not_loaded", { packages: still.join(", ") }),
    packages: still,
  };
}

/**
 * One job in one message: what it needs is loaded, then `started` tells the page its time
 * limit starts, then the code runs. One message, not two: the page's main thread is
 * busiest right after a Submit, and a second round trip through it waits for that.
 * @param {import("./python/protocol.js").JobRequest} request
 */
async function job(request) {
  const { id, kind, exercise, code, nonce } = request;
  // A table's code is the teacher's page's data, not Python: nothing to load for it.
  const failed = kind === "table" ? null : await load(request);
  if (failed) return post("error", id, { ...failed, nonce });
  post("started", id, { nonce });
  answer({ id, type: kind, exercise, code, nonce });
}

/** @param {{id: number, type: "grade" | "run" | "table", exercise?: string, code: string, nonce?: string}} request */
function answer({ id, type, exercise, code, nonce }) {
  let json;
  try {
    json = type === "grade" ? call("grade", exercise, code) : call(type === "table" ? "table" : "run", code, null);
  } catch (error) {
    json = error;
  }
  // grade() and run() catch everything the learner's code raises and return a JSON
  // string: anything else is Pyodide itself failing (a fatal error, the JS stack
  // overflowing). This interpreter cannot be trusted again.
  if (typeof json !== "string") {
    dead = true;
    return post("crashed", id, { message: textOf(json), nonce });
  }
  post("result", id, { result: JSON.parse(json), nonce });
}

// One message at a time: a `grade` must not start while `init` is still loading.
let queue = Promise.resolve();
function enqueue(data) {
  queue = queue.then(async () => {
    if (dead) return post("crashed", data.id, { message: message("python.stopped"), nonce: data.nonce });
    try {
      if (data.type === "init") await init(data);
      else if (data.type === "job") await job(data);
      else post("error", data.id, { message: `unknown message type ${data.type}` });
    } catch (error) {
      post("error", data.id, { message: data.type === "job" ? lastLine(error) : textOf(error), nonce: data.nonce });
    }
  });
}

self.onmessage = ({ data }) => {
  // Outside the queue: packing the image never runs learner code, and a job may go on
  // while its checksum is computed.
  if (data.type === "snapshot") return void giveSnapshot();
  enqueue(data);
};

// A worker started as `worker.js#init=<JSON of init's fields>` boots as soon as its script
// runs: an `init` message has to be relayed by the page's main thread, which on a cold
// load is busy parsing and delivers it ~0.1 s late.
const initFromUrl = new URLSearchParams(self.location.hash.slice(1)).get("init");
if (initFromUrl) {
  try {
    enqueue({ ...JSON.parse(initFromUrl), type: "init" });
  } catch (error) {
    post("error", 0, { message: `bad init in the worker's URL: ${textOf(error)}` });
  }
}
