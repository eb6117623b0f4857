// One Python worker (web/worker.js) seen from the page: the messages it is owed answers to.
// The messages and their types: web/python/protocol.js.

/**
 * @typedef {import("./protocol.js").Reply} Reply
 * @typedef {{loaded: number, total: number, waiting: string[]}} Bytes  of the boot files
 * @typedef {{resolve: (reply: Reply) => void, onProgress?: (text: string, bytes?: Bytes) => void,
 *   onStarted?: () => void, nonce?: string}} Waiting
 */

import { message } from "../contract.js";

let nextId = 1; // shared by every worker of the tab; 0 is the early worker's init

export const newId = () => nextId++;

export class Interpreter {
  /**
   * @param {Worker | null} worker  null: the browser refused to create one
   * @param {{onSnapshot: (data: import("./protocol.js").SnapshotReply) => void, onCrash: (it: Interpreter, message: string) => void}} hooks
   */
  constructor(worker, { onSnapshot, onCrash }) {
    this.worker = worker;
    /** @type {Map<number, Waiting>} */
    this.pending = new Map();
    /** @type {Promise<boolean> | null} resolves true once Python and the grader are up */
    this.ready = null;
    this.booted = false;
    this.boot = ""; // how it came up: fresh | snapshot (Cache Storage) | spare (this tab's image)
    this.owesSnapshot = false; // a fresh boot keeps its image until the page asks for it
    this.ended = false;
    this.retired = false; // used by a job: ended once it has given what it owes
    this.announced = false; // web/python/pool.js has marked it as the one in service
    /** @type {Record<string, number>} when each boot phase ended, for ./dev bench */
    this.timings = {};
    if (!worker) return;
    worker.onmessage = ({ data }) => {
      if (data.type === "snapshot") return onSnapshot(data);
      const waiting = this.pending.get(data.id);
      if (!waiting) return;
      if (data.type === "progress") return waiting.onProgress?.(data.text, data.bytes);
      // A job is answered with its nonce, which the learner's code cannot read: a verdict
      // (or a start) that code posts itself through Pyodide's js module is not taken.
      if (waiting.nonce && data.nonce !== waiting.nonce) return;
      if (data.type === "started") return waiting.onStarted?.();
      this.pending.delete(data.id);
      waiting.resolve(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      onCrash(this, event.message || message("python.worker_stopped"));
    };
  }

  /**
   * Post message `type` and wait for its answer; `onProgress` hears what it says meanwhile.
   * @param {import("./protocol.js").Request["type"]} type
   * @param {object} fields  the request's other fields
   * @param {(text: string) => void} [onProgress]
   * @param {() => void} [onStarted]  a job's code is about to run
   * @returns {Promise<Reply>}
   */
  send(type, fields, onProgress, onStarted) {
    const id = newId();
    const nonce =
      type === "job" ? [...crypto.getRandomValues(new Uint32Array(4))].map((n) => n.toString(36)).join("") : undefined;
    const reply = this.waitFor(id, onProgress, onStarted, nonce);
    this.worker?.postMessage({ type, id, nonce, ...fields });
    return reply;
  }

  /** @returns {Promise<Reply>} */
  waitFor(id, onProgress, onStarted, nonce) {
    return new Promise((resolve) => this.pending.set(id, { resolve, onProgress, onStarted, nonce }));
  }

  /** Answer everything still owed with `reply` (the worker will not). */
  lose(reply) {
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.resolve({ ...reply, id, nonce: waiting.nonce });
    }
  }

  end(reply = { type: "error", message: message("python.worker_restarted") }) {
    if (this.ended) return;
    this.ended = true;
    if (this.worker) this.worker.terminate();
    this.lose(reply);
  }
}
