// Split Pyodide's standard library in two, so the browser neither compiles at each boot
// nor downloads what a first verdict never imports. Used by hooks/stdlib.py; the split's
// rules are in scripts/split_stdlib.py.
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
// column positions and docstrings left out, PYTHONNODEBUGRANGES and scripts/split_stdlib.py:
// without_docstrings), Pyodide's own packages as they were, and
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
// The split itself is Python (scripts/split_stdlib.py), run here, in the site's Pyodide.
pyodide.runPython(readFileSync(join(root, "scripts", "split_stdlib.py"), "utf8"));
const finder = readFileSync(join(root, "scripts", "sitecustomize.py"), "utf8");
const report = pyodide.globals.get("split")(
  "/tmp/stdlib.zip",
  "/home/pyodide/l2",
  finder,
  "/tmp/boot.zip",
  "/tmp/rest.zip",
);
writeFileSync(boot, pyodide.FS.readFile("/tmp/boot.zip"));
writeFileSync(rest, pyodide.FS.readFile("/tmp/rest.zip"));
const counts = JSON.parse(report);
console.log(`precompiled ${counts.compiled} modules of the standard library; ${counts.rest} files load on first use`);
