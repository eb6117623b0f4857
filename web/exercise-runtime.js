// The page's Python runtime, one per tab (this module is loaded once, so it survives
// Material's instant navigation): a pool of interpreters (web/python/pool.js), each job on
// one of its own, and the job queue (web/python/jobs.js). The widgets use only this file.

import { pythonConfig } from "./page-config.js";
import { JobQueue } from "./python/jobs.js";
import { PythonPool } from "./python/pool.js";

/** @type {import("./page-config.js").PythonConfig | null} */
let config = null;

// Read from the page where the first worker starts: the tab's settings are then fixed, so
// every interpreter of the tab is made alike (and its snapshot fits the next one).
const settings = () => (config = config || pythonConfig());

const pool = new PythonPool(settings);
const jobs = new JobQueue(pool, () => settings().packageBaseUrl);

export const currentState = () => pool.state;

/** Follow the runtime's loading state: {phase: idle|loading|ready|failed, text}. */
export const onState = (listener) => pool.onState(listener);

/** Start Python (idempotent); resolves true once an interpreter is ready. */
export const start = () => pool.start();

/**
 * Queue a job (see Job in web/python/jobs.js). Returns {promise, cancel}; the promise
 * resolves to one outcome.
 * @param {import("./python/jobs.js").Job} job
 */
export const enqueue = (job) => jobs.enqueue(job);
