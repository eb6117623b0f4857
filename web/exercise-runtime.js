// The page side of the Python runtime: ONE worker per tab, shared by every exercise on
// every page (this module is loaded once, so it survives Material's instant navigation).
// Jobs run one at a time. A job's time limit counts from the moment its code is handed
// to a ready worker; when it runs out, or the learner presses Stop, the worker is
// terminated and a fresh one started, so the page never freezes and the next job works.

import { message } from "./contract.js";

/* global __PYODIDE_VERSION__ */
const PYODIDE_VERSION = typeof __PYODIDE_VERSION__ === "string" ? __PYODIDE_VERSION__ : "314.0.7";
export const DEFAULT_PACKAGE_URL = `https://cdn.jsdelivr.net/pyodide/v${PYODIDE_VERSION}/full/`;

// Where the site put things, relative to this bundle (<site>/assets/course/*.js), so the
// site works under any sub-path.
const OWN_PYODIDE = new URL("../../pyodide/", import.meta.url).href;
const GRADER_URL = new URL("../grader.zip", import.meta.url).href;
const WORKER_URL = new URL("./worker.js", import.meta.url);

const withSlash = (url) => (url.endsWith("/") ? url : url + "/");

let pyodideUrl = ""; // PYODIDE_URL from the page: where packages come from; empty = CDN
let worker = null;
let generation = 0; // bumps on every restart; replies from an older worker are ignored
let readyPromise = null;
let state = { phase: "idle", text: "" };
const listeners = new Set();
const pending = new Map(); // message id -> {resolve, onProgress, generation}
const queue = [];
let current = null;
let nextId = 1;

/** Where Pyodide packages such as numpy come from. */
export function packageBaseUrl() {
  return pyodideUrl || DEFAULT_PACKAGE_URL;
}

/** Take PYODIDE_URL from the page once (the first page that says it wins). */
export function configure({ pyodideUrl: url }) {
  if (url && !pyodideUrl && !worker) pyodideUrl = withSlash(new URL(url, location.href).href);
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

function send(type, fields, onProgress) {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve, onProgress, generation });
    worker.postMessage({ type, id, ...fields });
  });
}

function onMessage({ data }) {
  const waiting = pending.get(data.id);
  if (!waiting) return;
  if (data.type === "progress") {
    if (waiting.onProgress) waiting.onProgress(data.text);
    return;
  }
  pending.delete(data.id);
  waiting.resolve(data);
}

function dropPending(message) {
  for (const [id, waiting] of pending) {
    pending.delete(id);
    waiting.resolve({ type: "error", id, message, lost: true });
  }
}

/** Start the worker (idempotent); resolves true once Python and the grader are loaded. */
export function start() {
  if (readyPromise) return readyPromise;
  generation += 1;
  const mine = generation;
  setState("loading", message("loading.python"));
  worker = new Worker(WORKER_URL, { type: "module", name: "l2-course-python" });
  worker.onmessage = onMessage;
  worker.onerror = (event) => {
    event.preventDefault();
    dropPending(`the Python worker could not start (${event.message || "script error"})`);
  };
  // The core always comes from the site itself (no third-party request for pages
  // without numpy); the lock file beside it matches, so any mirror of the version's
  // packages works as PYODIDE_URL.
  const indexURL = OWN_PYODIDE;
  readyPromise = send(
    "init",
    { indexURL, packageBaseUrl: packageBaseUrl(), graderURL: GRADER_URL },
    (text) => setState("loading", text),
  ).then((reply) => {
    if (mine !== generation) return false;
    if (reply.type === "ready") {
      setState("ready", message("ready"));
      return true;
    }
    setState("failed", `Python could not start: ${reply.message}`);
    // Let a later job try again from scratch (a network blip should not be final).
    stopWorker();
    return false;
  });
  return readyPromise;
}

function stopWorker() {
  if (worker) worker.terminate();
  worker = null;
  readyPromise = null;
  dropPending("the Python worker was restarted");
}

function restart() {
  stopWorker();
  start();
}

/**
 * Queue a job: {kind: "grade"|"run", exercise, code, requires: string[], timeLimit (ms),
 * onProgress(text), onStart(), owner (the exercise element)}. Returns {promise, cancel}. The promise resolves to one
 * outcome: {outcome: "result", result} | {outcome: "timeout"} | {outcome: "stopped"} |
 * {outcome: "packages", packages, url, message} | {outcome: "failed", message}.
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
    // Only a worker busy with this job needs killing; one that is still loading is kept.
    if (entry.busy) restart();
    pump();
  }
}

async function pump() {
  if (current || queue.length === 0) return;
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
  const packages = entry.requires || [];
  entry.busy = true;
  if (packages.length) {
    const reply = await send("load", { packages }, entry.onProgress);
    if (entry.cancelled) return { outcome: "stopped" };
    if (reply.type !== "ready") {
      return { outcome: "packages", packages, url: packageBaseUrl(), message: reply.message };
    }
  }
  if (entry.onStart) entry.onStart();
  const fields =
    entry.kind === "grade" ? { exercise: entry.exercise, code: entry.code } : { code: entry.code };
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ type: "timeout" }), entry.timeLimit);
  });
  const reply = await Promise.race([send(entry.kind, fields), timeout]);
  clearTimeout(timer);
  if (entry.cancelled) return { outcome: "stopped" };
  if (reply.type === "timeout") {
    restart();
    return { outcome: "timeout" };
  }
  if (reply.type === "result") return { outcome: "result", result: reply.result };
  return { outcome: "failed", message: reply.message };
}
