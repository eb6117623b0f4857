// The job queue: one job at a time, each on an interpreter of its own from the pool, with
// its time limit counted from the moment its code is handed to a ready interpreter.

import { message } from "../contract.js";

/**
 * @typedef {{kind: "grade" | "run", exercise?: string, code: string, requires?: string[],
 *   timeLimit: number, onProgress?: (text: string) => void, onStart?: () => void,
 *   owner?: Element}} Job
 * @typedef {{outcome: "result", result: import("../contract.js").Result} | {outcome: "timeout"} | {outcome: "stopped"}
 *   | {outcome: "packages", packages: string[], url: string, message: string}
 *   | {outcome: "crashed", message: string} | {outcome: "failed", message: string}
 *   | {outcome: "load-failed", message: string}} Outcome
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
    if (entry.interpreter) this.pool.retire(entry.interpreter, responsive);
    entry.resolve(outcome);
    this.pump();
  }

  /** @returns {Promise<Outcome>} */
  async run(entry) {
    if (!(await this.pool.start())) {
      return { outcome: "failed", message: this.pool.state.text || "Python could not start." };
    }
    if (entry.cancelled) return { outcome: "stopped" };
    const python = this.pool.take();
    entry.interpreter = python;
    const packages = entry.requires || [];
    const loaded = await python.send("load", { packages, code: entry.code }, entry.onProgress);
    if (entry.cancelled) return { outcome: "stopped" };
    if (loaded.type === "crashed") return { outcome: "crashed", message: message("crashed") };
    if (loaded.type === "error" && loaded.packages?.length) {
      return { outcome: "packages", packages: loaded.packages, url: this.packageUrl(), message: loaded.message };
    }
    // Anything else that went wrong while loading: the interpreter is ended (pump), its
    // successor is on its way, and the learner is told so.
    if (loaded.type !== "ready") return { outcome: "load-failed", message: loaded.type === "error" ? loaded.message : "" };
    if (entry.onStart) entry.onStart();
    const fields = entry.kind === "grade" ? { exercise: entry.exercise, code: entry.code } : { code: entry.code };
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ type: "timeout" }), entry.timeLimit);
    });
    const reply = await Promise.race([python.send(entry.kind, fields), timeout]);
    clearTimeout(timer);
    if (entry.cancelled) return { outcome: "stopped" };
    if (reply.type === "timeout") return { outcome: "timeout" };
    if (reply.type === "crashed") return { outcome: "crashed", message: message("crashed") };
    if (reply.type === "result") return { outcome: "result", result: reply.result };
    return { outcome: "failed", message: reply.type === "error" ? reply.message : "" };
  }
}
