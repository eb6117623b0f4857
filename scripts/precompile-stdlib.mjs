// Precompile the part of Pyodide's standard library that every page's Python imports, so
// the browser does not compile it from source on each boot. Used by hooks/stdlib.py.
//
//   node scripts/precompile-stdlib.mjs STDLIB.zip GRADER.zip OUT.zip
//
// Pyodide ships its standard library as Python sources in python_stdlib.zip, and zipimport
// cannot cache bytecode there: a fresh boot compiles ~150 modules (asyncio, typing,
// inspect, ...) before Python is ready, which is most of the boot (measured in headless
// Chromium on 2 cores: loadPyodide() 2.2 s, 0.85 s with this zip). Here the site's own Pyodide
// (same interpreter, same bytecode format) boots, imports the grader and grades every
// exercise, and each module of the standard library it loaded along the way is replaced in
// the zip by its bytecode: an unchecked hash-based .pyc, which zipimport loads without the
// source. Every other module stays as it was. Column positions are left out of that
// bytecode (PYTHONNODEBUGRANGES: 25 % smaller); tracebacks still name the file and line.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [stdlib, grader, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node scripts/precompile-stdlib.mjs STDLIB.zip GRADER.zip OUT.zip");
  process.exit(2);
}
const { loadPyodide } = await import(join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide({ env: { PYTHONNODEBUGRANGES: "1" } });
pyodide.FS.writeFile("/tmp/stdlib.zip", new Uint8Array(readFileSync(stdlib)));
pyodide.unpackArchive(new Uint8Array(readFileSync(grader)), "zip", { extractDir: "/home/pyodide/l2" });
const report = pyodide.runPython(`
import importlib.util, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

zip_path = next(p for p in sys.path if p.endswith(".zip"))
prefix = zip_path + "/"

sys.path.insert(0, "/home/pyodide/l2")
import grader  # what the page's worker does on a fresh boot (web/worker.js SETUP)
grader.prepare()
for spec in grader.all_exercises().values():
    if spec.requires:  # numpy is not in Pyodide's npm core: not on a first verdict's path
        continue
    for code in (spec.solution, *(m.code for m in spec.mistakes), "def broken(:", "1/0"):
        grader.grade(spec.id, code)
grader.run("print(1)")

# Where each module was loaded from (frozen modules, built into the interpreter, say "frozen").
origins = [getattr(getattr(m, "__spec__", None), "origin", None) for m in list(sys.modules.values())]
hot = sorted({
    f[len(prefix):] for f in origins
    if isinstance(f, str) and f.startswith(prefix) and f.endswith(".py")
})
wanted = set(hot)
with zipfile.ZipFile("/tmp/stdlib.zip") as source, \\
        zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
    for info in source.infolist():
        data = source.read(info)
        if info.filename not in wanted:
            target.writestr(info, data, compress_type=info.compress_type, compresslevel=9)
            continue
        code = compile(data, prefix + info.filename, "exec", dont_inherit=True)
        pyc = zipfile.ZipInfo(info.filename + "c", info.date_time)
        pyc.compress_type = zipfile.ZIP_DEFLATED
        target.writestr(pyc, bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), False)))
json.dumps({"compiled": len(hot), "modules": hot})
`);
writeFileSync(out, pyodide.FS.readFile("/tmp/out.zip"));
const { compiled } = JSON.parse(report);
console.log(`precompiled ${compiled} modules of the standard library`);
