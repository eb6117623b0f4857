// Split Pyodide's standard library in two, so the browser neither compiles at each boot
// nor downloads what a first verdict never imports. Used by hooks/stdlib.py.
//
//   node scripts/precompile-stdlib.mjs STDLIB.zip GRADER.zip BOOT.zip REST.zip
//
// Pyodide ships its standard library as Python sources in python_stdlib.zip, and zipimport
// cannot cache bytecode there: a fresh boot compiles ~130 modules (asyncio, typing,
// inspect, ...) before Python is ready, which is most of the boot (measured in headless
// Chromium on 2 cores: loadPyodide() 2.2 s, 0.85 s with them precompiled). Here the site's
// own Pyodide (same interpreter, same bytecode format) boots, imports the grader and grades
// every exercise. BOOT.zip gets each module of the standard library it loaded along the
// way as bytecode (an unchecked hash-based .pyc, which zipimport loads without the source;
// column positions left out, PYTHONNODEBUGRANGES: 25 % smaller), the modules that are
// frozen into the interpreter and Pyodide's own packages as they were, and
// scripts/sitecustomize.py, which loads REST.zip (every other module, as it was) the first
// time one of its modules is imported.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [stdlib, grader, boot, rest] = process.argv.slice(2);
if (!rest) {
  console.error("usage: node scripts/precompile-stdlib.mjs STDLIB.zip GRADER.zip BOOT.zip REST.zip");
  process.exit(2);
}
const { loadPyodide } = await import(join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide({ env: { PYTHONNODEBUGRANGES: "1" } });
pyodide.FS.writeFile("/tmp/stdlib.zip", new Uint8Array(readFileSync(stdlib)));
pyodide.unpackArchive(new Uint8Array(readFileSync(grader)), "zip", { extractDir: "/home/pyodide/l2" });
pyodide.globals.set("finder_source", readFileSync(join(root, "scripts", "sitecustomize.py"), "utf8"));
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
origins = {name: getattr(getattr(m, "__spec__", None), "origin", None) for name, m in list(sys.modules.items())}
hot = {f[len(prefix):] for f in origins.values()
       if isinstance(f, str) and f.startswith(prefix) and f.endswith(".py")}
frozen = set(sys.builtin_module_names) | {name for name, f in origins.items() if f == "frozen"}


def module_name(path):
    return path[: -len(".py")].removesuffix("/__init__").replace("/", ".")


def pyc(source, path):
    code = compile(source, prefix + path, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), False))


def in_boot(name, names):
    if name.endswith(".py"):
        return name in hot or module_name(name) in frozen or name.startswith(("pyodide/", "_pyodide/"))
    # A data file goes with its package: a file of a package of the rest in the boot zip
    # would make that package an empty namespace package there.
    package = name.rsplit("/", 1)[0] + "/__init__.py" if "/" in name else None
    return package is None or package not in names or in_boot(package, names)


with zipfile.ZipFile("/tmp/stdlib.zip") as source:
    infos = [info for info in source.infolist() if not info.is_dir()]
    names = {info.filename for info in infos}
    boot, rest = [], []
    for info in infos:
        (boot if in_boot(info.filename, names) else rest).append(info)
    rest_names = sorted(module_name(i.filename) for i in rest if i.filename.endswith(".py"))
    finder = finder_source.replace("REST = frozenset()", f"REST = frozenset({rest_names!r})", 1)
    assert finder != finder_source, "scripts/sitecustomize.py has no REST = frozenset() line"
    for out, members in (("/tmp/boot.zip", boot), ("/tmp/rest.zip", rest)):
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
            # Folders are listed where they have files (zipimport looks for packages there).
            folders = sorted({m.filename.rsplit("/", 1)[0] + "/" for m in members if "/" in m.filename})
            for folder in folders:
                target.writestr(zipfile.ZipInfo(folder, (2024, 1, 1, 0, 0, 0)), b"")
            for info in members:
                data = source.read(info)
                if info.filename in hot:
                    compiled = zipfile.ZipInfo(info.filename + "c", info.date_time)
                    target.writestr(compiled, pyc(data, info.filename), zipfile.ZIP_DEFLATED, 9)
                else:
                    target.writestr(info, data, zipfile.ZIP_DEFLATED, 9)
            if out == "/tmp/boot.zip":
                target.writestr(zipfile.ZipInfo("sitecustomize.pyc", (2024, 1, 1, 0, 0, 0)),
                                pyc(finder.encode(), "sitecustomize.py"), zipfile.ZIP_DEFLATED, 9)
json.dumps({"compiled": len(hot), "rest": len(rest)})
`);
writeFileSync(boot, pyodide.FS.readFile("/tmp/boot.zip"));
writeFileSync(rest, pyodide.FS.readFile("/tmp/rest.zip"));
const counts = JSON.parse(report);
console.log(`precompiled ${counts.compiled} modules of the standard library; ${counts.rest} files load on first use`);
