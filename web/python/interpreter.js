// One Python worker (web/worker.js) seen from the page: the messages it is owed answers to.
// The messages and their types: web/python/protocol.js.

/**
 * @typedef {import("./protocol.js").Reply} Reply
 * @typedef {{loaded: number, total: number, waiting: string[]}} Bytes  of the boot files
 * @typedef {import("./protocol.js").Answer} Answer
 * @typedef {{resolve: (reply: Answer) => void, onProgress?: (text: string, bytes?: Bytes) => void}} Waiting
 */

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
      this.pending.delete(data.id);
      waiting.resolve(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      onCrash(this, event.message || "the Python worker stopped");
    };
  }

  /**
   * Post message `type` and wait for its answer; `onProgress` hears what it says meanwhile.
   * @param {import("./protocol.js").Request["type"]} type
   * @param {object} fields  the request's other fields
   * @param {(text: string) => void} [onProgress]
   * @returns {Promise<Answer>}
   */
  send(type, fields, onProgress) {
    const id = newId();
    const reply = this.waitFor(id, onProgress);
    this.worker?.postMessage({ type, id, ...fields });
    return reply;
  }

  /** @returns {Promise<Answer>} */
  waitFor(id, onProgress) {
    return new Promise((resolve) => this.pending.set(id, { resolve, onProgress }));
  }

  /** Answer everything still owed with `reply` (the worker will not). */
  lose(reply) {
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.resolve({ ...reply, id });
    }
  }

  end(reply = { type: "error", message: "the Python worker was restarted" }) {
    if (this.ended) return;
    this.ended = true;
    if (this.worker) this.worker.terminate();
    this.lose(reply);
  }
}
