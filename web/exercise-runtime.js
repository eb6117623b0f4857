// The page's Python runtime, one per tab (this module is loaded once, so it survives
// Material's instant navigation): a pool of interpreters (web/python/pool.js), each job on
// one of its own, and the job queue (web/python/jobs.js). The widgets use only this file.

import { JobQueue } from "./python/jobs.js";
import { PythonPool } from "./python/pool.js";

/* global __PYODIDE_VERSION__ */
const PYODIDE_VERSION = typeof __PYODIDE_VERSION__ === "string" ? __PYODIDE_VERSION__ : "314.0.7";
export const DEFAULT_PACKAGE_URL = `https://cdn.jsdelivr.net/pyodide/v${PYODIDE_VERSION}/full/`;

// Where the site put things, relative to this bundle (<site>/assets/course/*.js), so the
// site works under any sub-path.
const OWN_PYODIDE = new URL("../../pyodide/", import.meta.url).href;
const GRADER_URL = new URL("../grader.zip", import.meta.url).href;

const withSlash = (url) => (url.endsWith("/") ? url : url + "/");
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || "";

let pyodideUrl = ""; // PYODIDE_URL from the page: where packages come from; empty = CDN
let configured = false; // the first worker has started: its settings are fixed

/** Where Pyodide packages such as numpy come from. */
export function packageBaseUrl() {
  return pyodideUrl || DEFAULT_PACKAGE_URL;
}

/** Take PYODIDE_URL from the page once (the first page that says it wins). */
export function configure({ pyodideUrl: url }) {
  if (url && !pyodideUrl && !configured) pyodideUrl = withSlash(new URL(url, location.href).href);
}

// The grader archive's URL names its version, so the HTTP cache can keep it for as long
// as it likes and a new grader is never confused with the old one.
function bootConfig() {
  if (!configured && !pyodideUrl) configure({ pyodideUrl: meta("l2-pyodide-url") });
  configured = true;
  const grader = meta("l2-grader") || "dev";
  // The standard library too: a snapshot holds zipimport's index of the zip it was made with.
  const stdlib = meta("l2-stdlib") || "dev";
  const snapshot = `../python-snapshot-${PYODIDE_VERSION}-${grader}-${stdlib}.bin`;
  return {
    // The core always comes from the site itself; the lock file beside it matches, so any
    // mirror of the version's packages works as PYODIDE_URL.
    indexURL: OWN_PYODIDE,
    packageBaseUrl: packageBaseUrl(),
    graderURL: `${GRADER_URL}?v=${grader}`,
    cacheKey: new URL(snapshot, import.meta.url).href,
  };
}

const pool = new PythonPool(bootConfig);
const jobs = new JobQueue(pool, packageBaseUrl);

export const currentState = () => pool.state;

/** Follow the runtime's loading state: {phase: idle|loading|ready|failed, text}. */
export const onState = (listener) => pool.onState(listener);

/** Start Python (idempotent); resolves true once an interpreter is ready. */
export const start = () => pool.start();

/**
 * Queue a job: {kind: "grade"|"run", exercise, code, requires: string[], timeLimit (ms),
 * onProgress(text), onStart(), owner (the exercise element)}. Returns {promise, cancel};
 * the promise resolves to one outcome (see web/python/jobs.js).
 */
export const enqueue = (job) => jobs.enqueue(job);
