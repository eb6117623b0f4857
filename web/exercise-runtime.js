// The page side of the Python runtime: ONE Python worker per tab, shared by every exercise
// on every page (this module is loaded once, so it survives Material's instant navigation).
// Jobs run one at a time. A job's time limit counts from the moment its code is handed to
// a ready worker; when it runs out, the learner presses Stop, Python crashes, or a
// submission changed the interpreter, the worker is terminated and a new one takes over.
//
// New workers start from a memory snapshot (the interpreter with the grader imported and
// prepared, before any learner code), so a restart takes a fraction of a boot: the first
// fresh boot of a tab takes it, and it is kept in Cache Storage (keyed by the Pyodide,
// grader and standard library versions) so the next visit or tab starts from it too. A
// snapshot that is missing, stale or corrupt just means a normal boot.

import { message } from "./contract.js";

/* global __PYODIDE_VERSION__ */
const PYODIDE_VERSION = typeof __PYODIDE_VERSION__ === "string" ? __PYODIDE_VERSION__ : "314.0.7";
export const DEFAULT_PACKAGE_URL = `https://cdn.jsdelivr.net/pyodide/v${PYODIDE_VERSION}/full/`;

// Where the site put things, relative to this bundle (<site>/assets/course/*.js), so the
// site works under any sub-path.
const OWN_PYODIDE = new URL("../../pyodide/", import.meta.url).href;
const GRADER_URL = new URL("../grader.zip", import.meta.url).href;
const WORKER_URL = new URL("./worker.js", import.meta.url);
const SNAPSHOT_CACHE = "l2-course-python-snapshot";

const withSlash = (url) => (url.endsWith("/") ? url : url + "/");
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || "";

let pyodideUrl = ""; // PYODIDE_URL from the page: where packages come from; empty = CDN
let python = null; // the current worker: {worker, pending, ready}
let snapshot = null; // Blob of this tab's snapshot, for restarts
let spare = null; // a second worker, booted from the snapshot, waiting to take over
const SPARE = true;
const SPARE_DELAY_MS = 300; // after the last job, so a spare never slows one down
let state = { phase: "idle", text: "" };
const listeners = new Set();
const queue = [];
let current = null;
let nextId = 1;

/** Where Pyodide packages such as numpy come from. */
export function packageBaseUrl() {
  return pyodideUrl || DEFAULT_PACKAGE_URL;
}

/** Take PYODIDE_URL from the page once (the first page that says it wins). */
export function configure({ pyodideUrl: url }) {
  if (url && !pyodideUrl && !python) pyodideUrl = withSlash(new URL(url, location.href).href);
}

export const currentState = () => state;

/** Follow the runtime's loading state: {phase: idle|loading|ready|failed, text}. */
export function onState(listener) {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}

function setState(phase, text) {
  state = { phase, text };
  for (const listener of listeners) listener(state);
}

// The grader archive's URL names its version, so the HTTP cache can keep it for as long
// as it likes and a new grader is never confused with the old one.
function graderVersion() {
  return meta("l2-grader") || "dev";
}

/**
 * One worker (`existing`, or a new one, told its `init` in its URL if `init` is given:
 * see web/worker.js) and its outstanding messages.
 */
function spawn(existing, init) {
  const url = init ? `${WORKER_URL.href}#init=${encodeURIComponent(JSON.stringify(init))}` : WORKER_URL;
  const worker = existing || new Worker(url, { type: "module", name: "l2-course-python" });
  const handle = { worker, pending: new Map(), ready: null };
  worker.onmessage = ({ data }) => {
    if (data.type === "snapshot") return keepSnapshot(data);
    const waiting = handle.pending.get(data.id);
    if (!waiting) return;
    if (data.type === "progress") return waiting.onProgress && waiting.onProgress(data.text);
    handle.pending.delete(data.id);
    waiting.resolve(data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    lose(handle, { type: "crashed", message: event.message || "the Python worker stopped" });
    if (spare === handle) spare = null;
    restart(handle); // even when idle: the next job finds a live worker
  };
  return handle;
}

function send(handle, type, fields, onProgress) {
  const id = nextId++;
  const reply = waitFor(handle, id, onProgress);
  handle.worker.postMessage({ type, id, ...fields });
  return reply;
}

/** The worker's answer to message `id`; `onProgress` hears what it says meanwhile. */
function waitFor(handle, id, onProgress) {
  return new Promise((resolve) => handle.pending.set(id, { resolve, onProgress }));
}

function lose(handle, reply) {
  for (const [id, waiting] of handle.pending) {
    handle.pending.delete(id);
    waiting.resolve({ ...reply, id });
  }
}

function keepSnapshot({ blob, sha256 }) {
  snapshot = blob;
  scheduleSpare();
  caches
    .open(SNAPSHOT_CACHE)
    .then(async (cache) => {
      for (const old of await cache.keys()) await cache.delete(old); // one version is kept
      const headers = { "content-type": "application/octet-stream", "x-l2-sha256": sha256 };
      await cache.put(snapshotKey(), new Response(blob, { headers }));
    })
    .catch(() => {}); // no Cache Storage: the next visit boots normally
}

function snapshotKey() {
  // The standard library too: a snapshot holds zipimport's index of the zip it was made with.
  const stdlib = meta("l2-stdlib") || "dev";
  return new URL(`../python-snapshot-${PYODIDE_VERSION}-${graderVersion()}-${stdlib}.bin`, import.meta.url).href;
}

/** Start the worker (idempotent); resolves true once Python and the grader are loaded. */
export function start() {
  if (python) return python.ready;
  if (!pyodideUrl) configure({ pyodideUrl: meta("l2-pyodide-url") });
  if (spare) {
    // A spare worker restored from the snapshot in the background: a restart costs nothing.
    python = spare;
    spare = null;
    scheduleSpare(); // and the next one
  } else {
    python = boot(snapshot, true);
  }
  if (python.booted) {
    performance.mark("l2:python-ready", { detail: { boot: "spare", timings: {} } });
    setState("ready", message("ready"));
  } else {
    setState("loading", message("loading.python"));
  }
  return python.ready;
}

function boot(image, useCache) {
  // The core always comes from the site itself; the lock file beside it matches, so any
  // mirror of the version's packages works as PYODIDE_URL.
  const fields = {
    indexURL: OWN_PYODIDE,
    packageBaseUrl: packageBaseUrl(),
    graderURL: `${GRADER_URL}?v=${graderVersion()}`,
    snapshot: image,
    cacheName: useCache && !image && "caches" in self ? SNAPSHOT_CACHE : "",
    cacheKey: snapshotKey(),
  };
  const early = adoptEarly(fields);
  const id = nextId++;
  let handle;
  try {
    // A snapshot (a Blob) can only be sent; anything else goes in the new worker's URL.
    handle = early ? spawn(early.worker) : spawn(null, image ? null : { id, ...fields });
  } catch (error) {
    return refused(error); // no worker allowed here (a policy, a privacy mode)
  }
  performance.mark("l2:python-start", { detail: { early: Boolean(early) } });
  const progress = (text) => python === handle && setState("loading", text);
  const init = early ? adopted(handle, early, progress) : waitFor(handle, id, progress);
  if (!early && image) handle.worker.postMessage({ type: "init", id, ...fields });
  handle.ready = init.then((reply) => {
    if (reply.type === "ready") {
      handle.booted = true;
      if (reply.boot === "fresh") askForSnapshot(handle);
      if (python === handle) {
        performance.mark("l2:python-ready", { detail: { boot: reply.boot, timings: reply.timings } });
        setState("ready", message("ready"));
      }
      scheduleSpare();
      return true;
    }
    handle.worker.terminate();
    if (spare === handle) spare = null;
    if (python !== handle) return python ? python.ready : false; // replaced: follow the new one
    python = null;
    if (reply.snapshotFailed) {
      // A snapshot that does not restore is dropped; a normal boot follows.
      snapshot = null;
      python = boot(null, false);
      return python.ready;
    }
    setState("failed", `Python could not start: ${reply.message}`);
    return false; // a later job tries again from scratch (a network blip is not final)
  });
  return handle;
}

/** A stand-in for a worker the browser would not create: it fails, and the next job tries again. */
function refused(error) {
  const handle = { worker: null, pending: new Map(), ready: null };
  handle.ready = Promise.resolve().then(() => {
    if (spare === handle) spare = null;
    if (python !== handle) return false;
    python = null;
    setState("failed", `Python could not start: ${error && error.message ? error.message : error}`);
    return false;
  });
  return handle;
}

/**
 * The worker that the page's inline script started with `init` (id 0) before this module
 * loaded (web/python-early.js), if it was started exactly as `fields` says; else it is
 * ended and null is returned. Taken at most once.
 */
function adoptEarly(fields) {
  const early = window.__l2PythonEarly;
  if (!early || early.taken) return null;
  early.taken = true;
  const same = Object.keys(fields).every((key) => early.fields[key] === fields[key]);
  if (same && !early.failed) return early;
  early.worker.terminate();
  return null;
}

/** Wait for the adopted worker's answer to its `init`, replaying what it said so far. */
function adopted(handle, early, onProgress) {
  const reply = waitFor(handle, 0, onProgress);
  for (const data of early.messages) handle.worker.onmessage({ data });
  early.messages = [];
  return reply;
}

// A fresh boot keeps its snapshot until asked: packing it (a 30 MB copy and its checksum)
// must not delay a job that is waiting for Python. With no job waiting (the learner is
// reading) it is asked for at once, so even a first job's Stop restarts from it; else as
// soon as the jobs are done.
let snapshotOwed = null; // the fresh worker whose snapshot is still to be asked for
function askForSnapshot(handle) {
  snapshotOwed = handle;
  if (python !== handle) return void (snapshotOwed = null); // replaced: its snapshot went with it
  if (current || queue.length) return; // pump() asks again when the jobs are done
  snapshotOwed = null;
  handle.worker.postMessage({ type: "snapshot", id: 0 });
}

// One spare worker, restored from the snapshot while nothing else runs, so that Stop, a
// time-out or a crash hands over to a ready Python at once. It costs one more
// interpreter's memory in the tab (see ./dev bench).
let spareTimer = null;
function scheduleSpare() {
  if (!SPARE || spare || spareTimer || !snapshot) return;
  spareTimer = setTimeout(() => {
    spareTimer = null;
    if (spare || !snapshot) return;
    if (current || !python || !python.booted) return scheduleSpare(); // not while busy
    spare = boot(snapshot, false);
  }, SPARE_DELAY_MS);
}

/** Replace worker `old` (unless that happened already) by a new one, from the snapshot. */
function restart(old) {
  if (!old || python !== old) return;
  python = null;
  old.worker.terminate();
  lose(old, { type: "error", message: "the Python worker was restarted" });
  start();
}

/**
 * Queue a job: {kind: "grade"|"run", exercise, code, requires: string[], timeLimit (ms),
 * onProgress(text), onStart(), owner (the exercise element)}. Returns {promise, cancel}.
 * The promise resolves to one outcome: {outcome: "result", result} | {outcome: "timeout"}
 * | {outcome: "stopped"} | {outcome: "packages", packages, url, message}
 * | {outcome: "crashed"} | {outcome: "failed", message}.
 */
export function enqueue(job) {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  const entry = { ...job, resolve, cancelled: false };
  queue.push(entry);
  pump();
  return { promise, cancel: () => cancel(entry) };
}

/** Drop the jobs of exercises no longer in the page (the learner navigated away). */
export function cancelDetached() {
  for (const entry of [...queue, ...(current ? [current] : [])]) {
    if (entry.owner && !entry.owner.isConnected) cancel(entry);
  }
}

function cancel(entry) {
  if (entry.cancelled) return;
  entry.cancelled = true;
  const index = queue.indexOf(entry);
  if (index >= 0) queue.splice(index, 1);
  entry.resolve({ outcome: "stopped" });
  if (current === entry) {
    current = null;
    // Only a worker busy with this job needs replacing; one that is still loading is kept.
    if (entry.busy) restart(python);
    pump();
  }
}

async function pump() {
  if (current) return;
  if (queue.length === 0) return void (snapshotOwed && askForSnapshot(snapshotOwed));
  const entry = queue.shift();
  current = entry;
  const outcome = await runJob(entry);
  if (current !== entry) return; // cancelled: cancel() already answered and moved on
  current = null;
  entry.resolve(outcome);
  pump();
}

async function runJob(entry) {
  if (!(await start())) {
    return { outcome: "failed", message: state.text || "Python could not start." };
  }
  if (entry.cancelled) return { outcome: "stopped" };
  const handle = python;
  const packages = entry.requires || [];
  entry.busy = true;
  const loaded = await send(handle, "load", { packages, code: entry.code }, entry.onProgress);
  if (entry.cancelled) return { outcome: "stopped" };
  if (loaded.type === "crashed") return crashed(handle);
  if (loaded.type !== "ready") {
    const missing = loaded.packages || packages;
    return { outcome: "packages", packages: missing, url: packageBaseUrl(), message: loaded.message };
  }
  if (entry.onStart) entry.onStart();
  const fields =
    entry.kind === "grade" ? { exercise: entry.exercise, code: entry.code } : { code: entry.code };
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ type: "timeout" }), entry.timeLimit);
  });
  const reply = await Promise.race([send(handle, entry.kind, fields), timeout]);
  clearTimeout(timer);
  if (entry.cancelled) return { outcome: "stopped" };
  if (reply.type === "timeout") {
    restart(handle);
    return { outcome: "timeout" };
  }
  if (reply.type === "crashed") return crashed(handle);
  if (reply.type === "result") {
    // The grader undid what it could; a fresh interpreter makes sure nothing carries over.
    if (reply.result?.error?.type === "ChangedPython") restart(handle);
    return { outcome: "result", result: reply.result };
  }
  return { outcome: "failed", message: reply.message };
}

function crashed(handle) {
  restart(handle);
  return { outcome: "crashed", message: message("crashed") };
}
