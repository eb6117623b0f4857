// Grade under the site's own Python (the pinned Pyodide in Node), each submission in an
// interpreter no learner code has touched, as the page does: for `python -m grader check
// --python site` and the gradebook (grader/site_python.py starts and speaks to it).
//
//   node scripts/site-python.mjs PYODIDE_DIR GRADER.zip STDLIB.zip [REST.zip]
//
// One boot makes a memory snapshot of Python with the grader imported and its plans ready
// (grader.prepare()) and grades the first job; every later job runs in a new worker
// thread restored from it (its own JavaScript realm too, as the page's worker is), which
// is thrown away after the job. The next worker is restored once a job is over.
//
// stdin, one JSON object a line: first {token}, then jobs {id, exercise, code, timeout}
// (seconds). stdout, one line each, "TOKEN JSON": {type: "ready", python, boot_ms}, then
// per job {type: "start", id} when its code is about to run, then one of
//   {type: "result", id, result}   grader.grade()'s dict
//   {type: "timeout", id}          its time ran out (counted from "start"); worker ended
//   {type: "crashed", id, message} Pyodide itself failed (the page says message("crashed"))
//   {type: "needs", id, packages}  packages this Pyodide does not have here (numpy): the
//                                  caller grades it elsewhere
// The token is known only to this thread, so learner code (which can reach Node through
// Pyodide's `js` module) cannot print a line the caller would believe.
import { randomUUID } from "node:crypto";
import { constants as fsConstants, readFileSync, writeSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

const GRADER_DIR = "/home/pyodide/l2-course";

async function boot({ pyodideDir, stdlib, snapshot, silent, wasm }) {
  if (wasm) {
    // The interpreter's code, compiled once by the main thread: each worker would otherwise
    // compile the same 10 MB again (most of a restore).
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async (_bytes, imports) => ({ instance: await instantiate(wasm, imports), module: wasm });
  }
  if (process.permission) {
    // Under Node's permission model process.binding() is refused; Emscripten's NODEFS only
    // reads the file-system constants from it, which node:fs also has.
    const refused = process.binding;
    process.binding = (name) => (name === "constants" ? { fs: fsConstants, os: osConstants } : refused(name));
  }
  const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
  const quiet = silent ? { stdout: () => {}, stderr: () => {} } : {};
  return loadPyodide({
    indexURL: pyodideDir + "/",
    stdLibURL: stdlib,
    ...quiet,
    ...(snapshot ? { _loadSnapshot: snapshot } : { _makeSnapshot: true }),
  });
}

if (!isMainThread) {
  // A worker: either the one fresh boot that makes the snapshot, or a restored interpreter
  // that grades exactly one job.
  const postRaw = parentPort.postMessage.bind(parentPort); // before any learner code runs
  const post = postRaw;
  const { archive, rest, snapshot } = workerData;
  const pyodide = await boot({ ...workerData, silent: true });
  pyodide.unpackArchive(archive, "zip", { extractDir: GRADER_DIR });
  if (!snapshot) {
    pyodide.runPython(`import sys; sys.path.insert(0, "${GRADER_DIR}")`);
    pyodide.pyimport("grader.worker").prepare();
    const version = pyodide.runPython("import sys; list(sys.version_info[:3])").toJs();
    const image = pyodide.makeMemorySnapshot();
    const restPath = pyodide.runPython("import sitecustomize as s; getattr(s, 'REST_PATH', '')");
    workerData.restPath = restPath;
    post({ type: "snapshot", image, version, restPath }, [image.buffer]);
  }
  {
    // This interpreter is still untouched (a fresh boot grades the first job, as the
    // page's first worker does). The page's worker fetches the rest of the standard
    // library when a job needs it; here it is on disk, so it is always put in place.
    if (rest && workerData.restPath) pyodide.FS.writeFile(workerData.restPath, rest);
    const glue = pyodide.pyimport("grader.worker");
    const lock = pyodide.lockfile.packages;
    const byImport = new Map();
    for (const [name, info] of Object.entries(lock)) {
      for (const module of info.imports || []) byImport.set(module, name);
    }
    post({ type: "ready" });
    parentPort.once("message", ({ id, exercise, code, requires, nonce }) => {
      // Only what carries the job's nonce is believed: learner code can post messages too.
      const post = (message) => postRaw({ ...message, nonce });
      // The packages the page would load for this job: none of them is here, offline.
      const names = glue.imports_of(code).toJs();
      const wanted = new Set(requires);
      for (const name of names) if (byImport.has(name)) wanted.add(byImport.get(name));
      const missing = [...wanted].filter((name) => !pyodide.loadedPackages[name]);
      if (missing.length) return post({ type: "needs", id, packages: missing });
      post({ type: "start", id });
      let json;
      try {
        json = glue.call("grade", exercise, code);
      } catch (error) {
        json = error;
      }
      if (typeof json !== "string") {
        return post({ type: "crashed", id, message: String(json?.message || json) });
      }
      post({ type: "result", id, json });
    });
  }
} else {
  const [pyodideDir, archivePath, stdlib, restPath] = process.argv.slice(2);
  if (!stdlib) {
    console.error("usage: node scripts/site-python.mjs PYODIDE_DIR GRADER.zip STDLIB.zip [REST.zip]");
    process.exit(2);
  }
  const started = performance.now();
  const archive = new Uint8Array(readFileSync(archivePath));
  const rest = restPath ? new Uint8Array(readFileSync(restPath)) : null;
  const wasm = WebAssembly.compile(readFileSync(join(pyodideDir, "pyodide.asm.wasm")));
  const self = new URL(import.meta.url);
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const first = await lines.next();
  const token = first.done ? "" : JSON.parse(first.value).token;
  if (!token) process.exit(2);
  const say = (message) => writeSync(1, `${token} ${JSON.stringify(message)}\n`);

  const spawn = (data) => new Worker(self, { workerData: { pyodideDir, stdlib, archive, ...data } });
  /** The first message of `worker` (with `nonce`, if given), or its exit, as a promise. */
  const next = (worker, nonce) =>
    new Promise((resolve) => {
      const done = (message) => {
        if (nonce && message.nonce !== nonce && message.type !== "exit") return;
        worker.off("message", done);
        worker.off("exit", gone);
        resolve(message);
      };
      const gone = (code) => done({ type: "exit", code });
      worker.on("message", done);
      worker.once("exit", gone);
    });

  const maker = spawn({ rest });
  const made = await next(maker);
  if (made.type !== "snapshot") {
    console.error("Python did not start under Pyodide");
    process.exit(1);
  }
  const { image, version } = made;
  const module = await wasm;
  say({ type: "ready", python: version, boot_ms: Math.round(performance.now() - started) });

  /** A restored interpreter, once it says it is ready; null if it did not come up. */
  const spare = () => {
    const worker = spawn({ snapshot: image, rest, restPath: made.restPath, wasm: module });
    return next(worker).then((message) => (message.type === "ready" ? worker : null));
  };
  let ready = next(maker).then((message) => (message.type === "ready" ? maker : null));
  for (;;) {
    const line = await lines.next();
    if (line.done) break;
    const job = JSON.parse(line.value);
    const worker = await ready;
    if (!worker) {
      ready = spare();
      say({ type: "crashed", id: job.id, message: "a restored Python did not start" });
      continue;
    }
    const nonce = randomUUID();
    const answer = next(worker, nonce);
    worker.postMessage({ id: job.id, exercise: job.exercise, code: job.code, requires: job.requires || [], nonce });
    let reply = await answer;
    if (reply.type === "start") {
      say({ type: "start", id: job.id });
      let timer;
      const limit = new Promise((resolve) => {
        timer = setTimeout(() => resolve({ type: "timeout", id: job.id }), job.timeout * 1000);
      });
      reply = await Promise.race([next(worker, nonce), limit]);
      clearTimeout(timer);
    }
    worker.terminate();
    // The next interpreter is restored once this job is over, not while it runs: on a busy
    // machine the restore would take CPU from the job's time limit.
    ready = spare();
    if (reply.type === "result") say({ type: "result", id: job.id, result: JSON.parse(reply.json) });
    else if (reply.type === "exit") say({ type: "crashed", id: job.id, message: `the worker ended (${reply.code})` });
    else if (reply.type === "needs") say({ type: "needs", id: job.id, packages: reply.packages });
    else if (reply.type === "crashed") say({ type: "crashed", id: job.id, message: String(reply.message) });
    else say(reply); // timeout
  }
  process.exit(0);
}
