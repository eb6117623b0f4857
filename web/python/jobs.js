// The job queue: one job at a time, each on an interpreter of its own from the pool, with
// its time limit counted from the moment its code is handed to a ready interpreter.

import { message } from "../contract.js";

/**
 * @typedef {{kind: "grade" | "run" | "table", exercise?: string, code: string, requires?: string[],
 *   timeLimit: number, onProgress?: (text: string) => void, onStart?: () => void,
 *   owner?: Element} | {kind: "file", items: {exercise: string, code: string,
 *   requires?: string[]}[], timeLimit: number}} Job  "file": one work file, one Python
 * @typedef {{outcome: "result", result: import("../contract.js").Result} | {outcome: "timeout"} | {outcome: "stopped"}
 *   | {outcome: "packages", packages: string[], url: string, message: string}
 *   | {outcome: "crashed", message: string} | {outcome: "failed", message: string}
 *   | {outcome: "load-failed", message: string} | {outcome: "file", outcomes: Outcome[]}} Outcome
 */

export class JobQueue {
  /**
   * @param {import("./pool.js").PythonPool} pool
   * @param {() => string} packageUrl  where packages come from, for the learner's message
   */
  constructor(pool, packageUrl) {
    this.pool = pool;
    this.packageUrl = packageUrl;
    this.waiting = [];
    this.current = null;
  }

  /** Queue `job`; returns {promise: Promise<Outcome>, cancel}. */
  enqueue(job) {
    let resolve;
    const promise = new Promise((r) => (resolve = r));
    const entry = { ...job, resolve, cancelled: false, interpreter: null };
    this.waiting.push(entry);
    this.pump();
    return { promise, cancel: () => this.cancel(entry) };
  }

  cancel(entry) {
    if (entry.cancelled) return;
    entry.cancelled = true;
    const index = this.waiting.indexOf(entry);
    if (index >= 0) this.waiting.splice(index, 1);
    entry.resolve({ outcome: "stopped" });
    if (this.current !== entry) return;
    this.current = null;
    // Only an interpreter busy with this job is ended; one still loading is kept for the next.
    if (entry.interpreter) this.pool.retire(entry.interpreter, false);
    this.pump();
  }

  async pump() {
    this.pool.setBusy(Boolean(this.current || this.waiting.length));
    if (this.current || this.waiting.length === 0) return;
    const entry = this.waiting.shift();
    this.current = entry;
    const outcome = await this.run(entry);
    if (this.current !== entry) return; // cancelled: cancel() already answered and moved on
    this.current = null;
    const responsive = outcome.outcome !== "timeout" && outcome.outcome !== "crashed";
    const used = entry.interpreter;
    entry.resolve(outcome);
    // The verdict is drawn first: ending the used worker and starting the next restore (a
    // new Worker, the snapshot posted to it) wait one task; no job is given `used` again.
    setTimeout(() => {
      if (used) this.pool.retire(used, responsive);
      this.pump();
    }, 0);
  }

  /** @returns {Promise<Outcome>} */
  async run(entry) {
    if (entry.kind === "file") return this.runFile(entry);
    const python = await this.interpreter(entry);
    if (!("send" in python)) return python; // an outcome: Python did not start, or Stop
    return this.runOn(python, entry, entry);
  }

  /**
   * A ready, untouched interpreter for `entry`, or the outcome that there is none.
   * @returns {Promise<import("./interpreter.js").Interpreter | Outcome>}
   */
  async interpreter(entry) {
    if (!(await this.pool.start())) {
      return { outcome: "failed", message: this.pool.state.text || message("python.not_started") };
    }
    if (entry.cancelled) return { outcome: "stopped" };
    const python = /** @type {import("./interpreter.js").Interpreter} */ (this.pool.take());
    entry.interpreter = python;
    return python;
  }

  /**
   * One work file (the teacher's page): every exercise in `entry.items` graded in one
   * interpreter of its own, a new one after a time-out or crash; outcomes in item order.
   * @returns {Promise<{outcome: "file", outcomes: Outcome[]} | Outcome>}
   */
  async runFile(entry) {
    const outcomes = [];
    for (const item of entry.items) {
      let python = entry.interpreter;
      if (!python || python.ended) {
        const next = await this.interpreter(entry);
        if (!("send" in next)) return next;
        python = next;
      }
      const outcome = await this.runOn(python, entry, { kind: "grade", ...item });
      if (entry.cancelled) return { outcome: "stopped" };
      outcomes.push(outcome);
      if (!["result", "packages"].includes(outcome.outcome)) {
        this.pool.retire(python, false); // it may still be running the learner's code
        entry.interpreter = null;
      }
    }
    return { outcome: "file", outcomes };
  }

  /**
   * Load and run one job (`job`: kind, exercise, code, requires) on `python`, in one message.
   * @returns {Promise<Outcome>}
   */
  async runOn(python, entry, job) {
    const fields = { kind: job.kind, code: job.code, packages: job.requires || [] };
    if (job.kind === "grade") fields.exercise = job.exercise;
    // The time limit counts from the worker's `started`: what the job needs is loaded first.
    let started = false;
    let timer;
    let onStarted;
    const timeout = new Promise((resolve) => {
      onStarted = () => {
        started = true;
        if (entry.onStart && !entry.cancelled) entry.onStart();
        timer = setTimeout(() => resolve({ type: "timeout" }), entry.timeLimit);
      };
    });
    const reply = await Promise.race([python.send("job", fields, entry.onProgress, onStarted), timeout]);
    clearTimeout(timer);
    if (entry.cancelled) return { outcome: "stopped" };
    if (reply.type === "timeout") return { outcome: "timeout" };
    if (reply.type === "crashed") return { outcome: "crashed", message: message("crashed") };
    if (reply.type === "result") return { outcome: "result", result: reply.result };
    const said = reply.type === "error" ? reply.message : "";
    if (!started && reply.type === "error" && reply.packages?.length) {
      return { outcome: "packages", packages: reply.packages, url: this.packageUrl(), message: said };
    }
    // Anything else that went wrong while loading: the interpreter is ended (pump), its
    // successor is on its way, and the learner is told so.
    if (!started) return { outcome: "load-failed", message: said };
    return { outcome: "failed", message: said };
  }
}
