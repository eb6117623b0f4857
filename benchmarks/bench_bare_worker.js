// The floor's worker (see bench_bare.html): Pyodide, the grader, one grade. Nothing more.
self.onmessage = async ({ data }) => {
  const { loadPyodide } = await import(data.indexURL + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: data.indexURL });
  const archive = await (await fetch(data.graderURL)).arrayBuffer();
  pyodide.unpackArchive(archive, "zip", { extractDir: "/home/pyodide/grader" });
  pyodide.globals.set("exercise", data.exercise);
  pyodide.globals.set("code", data.code);
  const status = pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide/grader")
import grader
grader.grade(exercise, code)["status"]
`);
  self.postMessage({ status });
};
