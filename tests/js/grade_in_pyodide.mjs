// Boot the pinned Pyodide core in Node (offline), unpack the grader archive that the
// site ships, and grade through it. Prints one JSON report for tests/test_pyodide.py.
// The request holds {graded: {name: [exercise, code]}, corpus: [[name, exercise, code]]};
// the corpus is graded in its order in this one interpreter, as a tab would.
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [archivePath, requestPath] = process.argv.slice(2);
const pyodide = await loadPyodide();
pyodide.unpackArchive(new Uint8Array(readFileSync(archivePath)), "zip", { extractDir: "/home/pyodide/course" });
pyodide.globals.set("request_json", readFileSync(requestPath, "utf8"));
const report = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide/course")
import grader
from grader import all_exercises, grade, run
from grader.verify import verify_exercise

grader.prepare()  # as the browser's worker does, before any learner code
request = json.loads(request_json)
report = {
    "python": list(sys.version_info[:2]),
    "platform": sys.platform,
    "graded": {name: grade(ex, code) for name, (ex, code) in request["graded"].items()},
    "corpus": [[name, grade(ex, code)] for name, ex, code in request["corpus"]],
    "run": run("print('hi from pyodide')"),
    "verify": {},
}
for spec in all_exercises().values():
    if spec.requires:
        report["needs_numpy"] = grade(spec.id, spec.solution)
    else:
        report["verify"][spec.id] = verify_exercise(spec)
report["numpy_imported"] = "numpy" in sys.modules
json.dumps(report)
`);
console.log(report);
