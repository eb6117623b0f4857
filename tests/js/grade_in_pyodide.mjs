// Boot the pinned Pyodide core in Node (offline), with the standard library and the grader
// archive that the site ships, and grade through it. Prints one JSON report for
// tests/test_pyodide.py. The request holds {graded: {name: [exercise, code]}, corpus:
// [[name, exercise, code]]}; the corpus is graded in its order in this one interpreter, as
// a tab would. With the rest of the standard library (REST.zip), it is put where the page's
// worker puts it once the first verdicts are in (Node has no address to fetch it from).
//   node grade_in_pyodide.mjs GRADER.zip REQUEST.json [STDLIB.zip [REST.zip]]
import { readFileSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [archivePath, requestPath, stdlibPath, restPath] = process.argv.slice(2);
const pyodide = await loadPyodide(stdlibPath ? { stdLibURL: stdlibPath } : {});
pyodide.unpackArchive(new Uint8Array(readFileSync(archivePath)), "zip", { extractDir: "/home/pyodide/course" });
if (restPath) pyodide.FS.writeFile("/tmp/rest-of-stdlib.zip", new Uint8Array(readFileSync(restPath)));
pyodide.globals.set("request_json", readFileSync(requestPath, "utf8"));
const report = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide/course")
import grader
from grader import all_exercises, grade, run
from grader.verify import verify_exercise

grader.prepare()  # as the browser's worker does, before any learner code
request = json.loads(request_json)
graded = {name: grade(ex, code) for name, (ex, code) in request["graded"].items()}
# Standard library modules imported so far, by where they were loaded from: bytecode (.pyc)
# or source (.py), compiled on the way to these first verdicts (frozen ones say "frozen").
stdlib = next(p for p in sys.path if p.endswith(".zip")) + "/"
loaded = [getattr(getattr(m, "__spec__", None), "origin", None) or "" for m in list(sys.modules.values())]
# Before the rest of the standard library is in place: a module of it cannot be imported,
# and the learner is told why; then it is put where the worker puts it.
rest = {"before": run("import email"), "needed": None}
custom = sys.modules.get("sitecustomize")
if custom is not None and hasattr(custom, "needs_rest"):
    rest["needed"] = custom.needs_rest(["email"])
    import shutil
    shutil.copyfile("/tmp/rest-of-stdlib.zip", custom.REST_PATH)
    rest["after"] = run(
        "import email.mime.text, json.tool, tomllib\\n"
        "print('x'.encode('cp1252'), tomllib.loads('a = 1'), email.mime.text.__file__[-12:])")
    # A submission that imports from the rest is graded like any other.
    rest["graded"] = grade("l2-penalty", "import statistics, wave\\n" + request["graded"]["good"][1])
    rest["from_rest"] = [name in custom.REST for name in ("statistics", "wave")]
import grader.plans
report = {
    "sources_checked": grader.plans.sources_checked(),
    "rest": rest,
    "python": list(sys.version_info[:2]),
    "platform": sys.platform,
    "graded": graded,
    "stdlib_loaded": {
        kind: sorted(f[len(stdlib):] for f in loaded if f.startswith(stdlib) and f.endswith(kind))
        for kind in (".py", ".pyc")
    },
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
