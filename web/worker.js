// The exercise runtime's Web Worker: loads Pyodide and the grader once, then answers
// `grade` and `run` messages by calling the grader and posting its plain dict back.
// It does no checking of its own: the JS renders, Python grades.
//
// Messages, every one {type, id}:
//   page -> worker  init {indexURL, packageBaseUrl, graderURL}
//                   load {packages}            load Pyodide packages (numpy) before grading
//                   grade {exercise, code}     -> result {result: grader.grade(...)}
//                   run {code}                 -> result {result: grader.run(...)}
//   worker -> page  ready                      the answer to init and to load
//                   progress {text}            what is loading, for the page to show
//                   result {result}
//                   error {message, url?}      something outside the learner's code failed

import { message } from "./contract.js";

const GRADER_DIR = "/home/pyodide/l2-course";

let pyodide = null;
let call = null; // Python callable: (kind, a, b) -> JSON string

const post = (type, id, fields = {}) => self.postMessage({ type, id, ...fields });

async function init({ id, indexURL, packageBaseUrl, graderURL }) {
  post("progress", id, { text: message("loading.python") });
  const { loadPyodide } = await import(indexURL + "pyodide.mjs");
  pyodide = await loadPyodide({ indexURL, packageBaseUrl });
  post("progress", id, { text: message("loading.grader") });
  const response = await fetch(graderURL, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${graderURL} answered ${response.status}`);
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: GRADER_DIR });
  call = pyodide.runPython(`
import json, sys
sys.path.insert(0, ${JSON.stringify(GRADER_DIR)})
import grader

def _l2_call(kind, a, b):
    result = grader.grade(a, b) if kind == "grade" else grader.run(a)
    return json.dumps(result)

_l2_call
`);
  post("ready", id);
}

async function load({ id, packages }) {
  const missing = packages.filter((name) => !pyodide.loadedPackages[name]);
  if (missing.length === 0) return post("ready", id);
  post("progress", id, { text: message("loading.packages", { packages: missing.join(", ") }) });
  const problems = [];
  try {
    await pyodide.loadPackage(missing, {
      messageCallback: () => {},
      errorCallback: (message) => problems.push(message),
    });
  } catch (error) {
    problems.push(String(error && error.message ? error.message : error));
  }
  // loadPackage may report a failed download only through errorCallback: trust what got in.
  const still = missing.filter((name) => !pyodide.loadedPackages[name]);
  if (still.length) {
    post("error", id, {
      message: problems.join("\n") || `could not load ${still.join(", ")}`,
      packages: still,
    });
  } else {
    post("ready", id);
  }
}

function answer({ id, type, exercise, code }) {
  const json = type === "grade" ? call("grade", exercise, code) : call("run", code, null);
  post("result", id, { result: JSON.parse(json) });
}

// One message at a time: a `grade` must not start while `init` is still loading.
let queue = Promise.resolve();
self.onmessage = ({ data }) => {
  queue = queue.then(async () => {
    try {
      if (data.type === "init") await init(data);
      else if (data.type === "load") await load(data);
      else if (data.type === "grade" || data.type === "run") answer(data);
      else post("error", data.id, { message: `unknown message type ${data.type}` });
    } catch (error) {
      post("error", data.id, { message: String(error && error.message ? error.message : error) });
    }
  });
};
