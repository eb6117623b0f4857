// Compute the grader's shipped plans (grader.grading.shipped_plans) under the site's own
// Pyodide, so they are exactly what the browser would compute (same Python, same float
// maths). Used by hooks/grader_archive.py at build time.
//   node scripts/grader-plans.mjs SOURCES.zip OUT.pickle
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [archive, out] = process.argv.slice(2);
const { loadPyodide } = await import(join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide();
pyodide.unpackArchive(new Uint8Array(readFileSync(archive)), "zip", { extractDir: "/home/pyodide/l2" });
const plans = pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide/l2")
from grader.grading import shipped_plans
shipped_plans()
`);
writeFileSync(out, plans.toJs());
plans.destroy();
