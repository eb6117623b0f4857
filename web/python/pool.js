// The tab's Pythons: every job gets an interpreter that no learner code has touched, and
// the one it used is thrown away afterwards, so nothing one submission does can reach the
// next (SPEC §4). While a job runs, the next interpreter is already being restored from
// the memory snapshot (the interpreter with the grader imported and prepared, before any
// learner code), so a job rarely waits for one.
//
// The first interpreter of a tab comes from the worker the page's <head> started
// (web/python-early.js) when it was started the same way, else from a new worker: a
// restore of the snapshot an earlier visit kept in Cache Storage, or a fresh boot, which
// makes the snapshot that every later interpreter of the tab starts from.

import { message } from "../contract.js";
import { Interpreter, newId } from "./interpreter.js";

// A used interpreter that still owes its snapshot is ended after this long even if the
// snapshot never comes (a worker that hangs must not live on).
const SNAPSHOT_GRACE_MS = 10_000;
// Untouched interpreters kept ready: the one the next job takes, and one more, so that
// Stop or a time-out hands over at once. Each costs an interpreter's memory (./dev bench).
const READY = 2;

/**
 * @typedef {{phase: "idle" | "loading" | "ready" | "failed", text: string,
 *   bytes?: import("./interpreter.js").Bytes}} PoolState  bytes: of the boot files, while they come
 */

export class PythonPool {
  /**
   * @param {() => import("../page-config.js").PythonConfig} config  read at each start
   * @param {(url: string) => Worker} [makeWorker]  how a worker is made from its URL (the
   *   teacher's page makes it from a blob: URL, so that the page's policy reaches it)
   */
  constructor(config, makeWorker = moduleWorker) {
    this.config = config;
    this.makeWorker = makeWorker;
    /** @type {Interpreter[]} untouched interpreters, booted or on their way; jobs take the first */
    /** @type {Interpreter[]} */
    this.spares = [];
    /** @type {Blob | null} this tab's snapshot, made by its first fresh boot */
    this.snapshot = null;
    this.snapshotBroken = false; // a snapshot that would not restore: boot without one
    this.retried = false; // a failed boot was tried again, once, since the last good one
    /** @type {PoolState} */
    this.state = { phase: "idle", text: "" };
    this.listeners = new Set();
    this.busy = false; // a job waits or runs: a fresh boot's snapshot is asked for after it
    /** @type {Promise<void> | null} an asked-for snapshot on its way: the next boot waits */
    this.snapshotComing = null;
    this.snapshotArrived = () => {}; // ends the wait for snapshotComing
  }

  onState(listener) {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  setState(phase, text, bytes) {
    // The download's figures stay until Python is ready (a later message may not carry them).
    const kept = phase === "loading" ? bytes || this.state.bytes : undefined;
    this.state = kept ? { phase, text, bytes: kept } : { phase, text };
    for (const listener of this.listeners) listener(this.state);
  }

  /** The interpreter the next job takes. */
  get next() {
    return this.spares[0] || null;
  }

  /** Make sure an interpreter is on its way; resolves true once it is ready. */
  start() {
    if (this.next) return this.next.ready;
    // Restoring from the snapshot about to arrive beats a fresh boot of several seconds.
    if (this.snapshotComing) return this.snapshotComing.then(() => this.start());
    const spare = this.spawn();
    this.spares.push(spare);
    return spare.ready;
  }

  /** Hand the ready, untouched interpreter to a job. Call only after start() resolved true. */
  take() {
    const taken = this.spares.shift();
    this.announce();
    // Restores wait until the job is done (two cores: they would slow it down), unless
    // none is left for the job after this one.
    if (!this.next) this.refill();
    return taken;
  }

  /** A job waits or runs (`busy`), or none does; restores go on while none does. */
  setBusy(busy) {
    this.busy = busy;
    if (!busy) this.refill();
  }

  /** Restore one more untouched interpreter, one at a time, up to READY of them. */
  refill() {
    if (this.snapshotComing || this.spares.length >= READY) return;
    if (this.spares.length && (this.busy || !this.snapshot || this.spares.some((it) => !it.booted))) return;
    this.spares.push(this.spawn());
  }

  /** Mark the next job's interpreter as the one in service, once it is ready. */
  announce() {
    const it = this.next;
    if (!it?.booted || it.announced) return;
    it.announced = true;
    performance.mark("l2:python-ready", { detail: { boot: it.boot, timings: it.timings } });
    this.setState("ready", message("ready"));
  }

  drop(it) {
    const index = this.spares.indexOf(it);
    if (index >= 0) this.spares.splice(index, 1);
    return index >= 0;
  }

  /**
   * A job is done with `used`: end it, after it gave its snapshot if it owes one and can
   * still answer (`responsive` is false after a time-out, Stop or crash).
   */
  retire(used, responsive) {
    used.retired = true;
    if (!used.ended && used.owesSnapshot && responsive) {
      const arrived = this.askForSnapshot(used);
      setTimeout(() => {
        used.end();
        arrived(); // it never came: the next interpreter boots without it
      }, SNAPSHOT_GRACE_MS);
      return;
    }
    used.end();
    this.refill(); // the next job finds one ready
  }

  /** The interpreter after `next`: from this tab's snapshot, Cache Storage, or a fresh boot. */
  spawn() {
    const { key, ...fields } = this.config();
    // A snapshot that would not restore is never looked for again in this tab.
    if (this.snapshotBroken) fields.cacheName = "";
    const image = this.snapshotBroken ? null : this.snapshot;
    const early = image ? null : adoptEarly(key);
    const id = early ? 0 : newId();
    let worker;
    try {
      // A snapshot (a Blob) can only be sent; anything else goes in the new worker's URL.
      const init = image ? "" : `#init=${encodeURIComponent(JSON.stringify({ id, ...fields, snapshot: null }))}`;
      worker = early ? early.worker : this.makeWorker(fields.workerURL + init);
    } catch (error) {
      return this.refused(error); // no worker allowed here (a policy, a privacy mode)
    }
    const it = new Interpreter(worker, {
      onSnapshot: (data) => this.keepSnapshot(it, data),
      onCrash: (crashed, text) => this.crashed(crashed, text),
    });
    performance.mark("l2:python-start", { detail: { early: Boolean(early) } });
    const starting = () => this.next === it && this.state.phase !== "ready";
    const progress = (text, bytes) => starting() && this.setState("loading", text, bytes);
    if (this.state.phase !== "ready") this.setState("loading", message("loading.python"));
    const reply = it.waitFor(id, progress);
    if (early) {
      for (const data of early.messages) worker.onmessage({ data });
      early.messages = [];
    } else if (image) {
      worker.postMessage({ type: "init", id, ...fields, snapshot: image, cacheName: "" });
    }
    it.ready = reply.then((answer) => this.booted(it, answer, Boolean(image)));
    return it;
  }

  booted(it, reply, fromImage) {
    if (reply.type === "ready") {
      it.booted = true;
      it.boot = fromImage ? "spare" : reply.boot;
      it.timings = reply.timings || {};
      it.owesSnapshot = reply.boot === "fresh";
      this.retried = false;
      if (it.owesSnapshot && !this.busy) this.askForSnapshot(it); // the learner is reading
      this.announce();
      this.refill();
      return true;
    }
    it.end();
    const wasNext = this.next === it;
    if (!this.drop(it) || !wasNext) return false;
    if (reply.snapshotFailed) {
      // A snapshot that does not restore is dropped; a normal boot follows.
      this.snapshot = null;
      this.snapshotBroken = true;
      return this.start();
    }
    if (!this.retried) {
      // A boot cut off half-way (the network went while a worker fetched its files) is tried
      // once more by a fresh worker, which the service worker serves from its cache.
      this.retried = true;
      return servedSoon().then((served) => (served ? this.start() : this.failed(reply)));
    }
    return this.failed(reply);
  }

  failed(reply) {
    this.setState("failed", message("python.failed", { reason: reply.message }));
    return false; // a later job tries again from scratch (a network blip is not final)
  }

  /** A stand-in for a worker the browser would not create: it fails, and the next job tries again. */
  refused(error) {
    const it = new Interpreter(null, { onSnapshot() {}, onCrash() {} });
    it.ready = Promise.resolve().then(() => {
      this.drop(it);
      const reason = error?.message ? error.message : error;
      this.setState("failed", message("python.failed", { reason }));
      return false;
    });
    return it;
  }

  crashed(it, text) {
    it.end({ type: "crashed", message: text });
    // One that never came up has failed to start (booted() says so): no retry loop.
    if (!it.booted || !this.drop(it)) return;
    this.announce();
    this.start(); // even when idle: the next job finds a live interpreter
  }

  /** Ask `it` for the image of its fresh boot; returns what ends the wait for it. */
  askForSnapshot(it) {
    let arrived = () => {};
    if (!it.owesSnapshot || it.ended) return arrived;
    it.owesSnapshot = false;
    /** @type {Promise<void>} */
    const coming = new Promise((resolve) => {
      arrived = () => {
        if (this.snapshotComing === coming) this.snapshotComing = null;
        resolve();
      };
    });
    this.snapshotComing = coming;
    this.snapshotArrived = arrived;
    it.worker.postMessage({ type: "snapshot", id: 0 });
    return arrived;
  }

  /**
   * A fresh boot's image arrived: restore every later interpreter from it, and keep it.
   * @param {Interpreter} it
   * @param {import("./protocol.js").SnapshotReply} reply
   */
  keepSnapshot(it, { blob, sha256, stored }) {
    this.snapshot = blob;
    this.snapshotBroken = false;
    this.snapshotArrived();
    if (it.retired) it.end(); // a used interpreter waited only to give it
    if (!this.next) this.start(); // the next job's interpreter
    this.refill();
    const { cacheName, cacheKey } = this.config();
    if (stored || !cacheName) return; // it came from Cache Storage, or there is none
    caches
      .open(cacheName)
      .then(async (cache) => {
        for (const old of await cache.keys()) await cache.delete(old); // one version is kept
        const headers = { "content-type": "application/octet-stream", "x-l2-sha256": sha256 };
        await cache.put(cacheKey, new Response(blob, { headers }));
      })
      .catch(() => {}); // no Cache Storage: the next visit boots normally
  }
}

// How long a page whose service worker is still installing waits for it to take over.
const CLAIM_WAIT_MS = 10_000;

/** Whether the course's service worker serves this page now, or as soon as it activates. */
async function servedSoon() {
  const sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  if (!sw) return false;
  if (sw.controller) return true;
  const registration = await sw.getRegistration().catch(() => null);
  if (!registration) return false; // none (mkdocs serve, blocked): nothing to start from
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sw.removeEventListener("controllerchange", done);
      resolve(Boolean(sw.controller));
    };
    const timer = setTimeout(done, CLAIM_WAIT_MS);
    sw.addEventListener("controllerchange", done); // web/service-worker.js claims on activate
  });
}

const moduleWorker = (url) => new Worker(url, { type: "module", name: "l2-course-python" });

/**
 * The worker that the page's inline script started with `init` (id 0) before this module
 * loaded (web/python-early.js), if it was started from the config whose key is `key`;
 * else it is ended and null is returned. Taken at most once.
 */
function adoptEarly(key) {
  const early = window.__l2PythonEarly;
  if (!early || early.taken) return null;
  early.taken = true;
  if (early.key === key && !early.failed) return early;
  early.worker.terminate();
  return null;
}
