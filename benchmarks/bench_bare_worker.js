// The floor's worker (see bench_bare.html): Pyodide, the grader, one grade. Nothing more.
// It notes when each step ended (wall-clock ms) for bench_site.py's timeline.
const clock = () => performance.timeOrigin + performance.now();
const timings = { script: clock() };
self.onmessage = async ({ data }) => {
  timings.init = clock();
  const { loadPyodide } = await import(data.indexURL + "pyodide.mjs");
  timings.loader = clock();
  const pyodide = await loadPyodide({ indexURL: data.indexURL });
  timings.python = clock();
  const archive = await (await fetch(data.graderURL)).arrayBuffer();
  timings.archive = clock();
  pyodide.unpackArchive(archive, "zip", { extractDir: "/home/pyodide/grader" });
  pyodide.globals.set("exercise", data.exercise);
  pyodide.globals.set("code", data.code);
  pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide/grader")
import grader
`);
  timings.grader = clock();
  const status = pyodide.runPython(`grader.grade(exercise, code)["status"]`);
  timings.graded = clock();
  self.postMessage({ status, timings });
};
