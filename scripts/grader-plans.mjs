// Compute the grader's shipped plans (grader.plans.shipped_plans) under the site's own
// Pyodide, so they are exactly what the browser would compute (same Python, same float
// maths), and check every exercise here as `python -m grader verify` does (an exercise
// can break under Pyodide alone). Used by hooks/grader_archive.py at build time.
//   node scripts/grader-plans.mjs SOURCES.zip OUT.pickle PROBLEMS.txt
// PROBLEMS.txt gets verify's FAIL lines (empty when every exercise is sound).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [archive, out, problems] = process.argv.slice(2);
if (!problems) {
  console.error("usage: node scripts/grader-plans.mjs SOURCES.zip OUT.pickle PROBLEMS.txt");
  process.exit(2);
}
const { loadPyodide } = await import(join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide();
const sources = new Uint8Array(readFileSync(archive));
pyodide.unpackArchive(sources, "zip", { extractDir: "/home/pyodide/l2" });
// The plans are keyed by this zip and list its files: Python reads it from here.
pyodide.FS.writeFile("/home/pyodide/sources.zip", sources);
let made;
try {
  made = pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide/l2")
from grader.verify import plans_and_problems
with open("/home/pyodide/sources.zip", "rb") as sources:
    made = plans_and_problems(sources.read())
made
`);
} catch (error) {
  // Not an exercise's fault (those are in PROBLEMS.txt): the grader itself did not import
  // or run. A Python traceback's last lines say why; the rest is Pyodide's JavaScript.
  const lines = String(error.message || error)
    .trim()
    .split("\n");
  console.error(lines.slice(-3).join("\n"));
  process.exit(1);
}
const [plans, found] = made.toJs();
writeFileSync(out, plans);
writeFileSync(problems, found.map((line) => line + "\n").join(""));
made.destroy();
