// Bundle the site's own JavaScript and CSS from web/ into build/assets/ (flat: the MkDocs
// hook publishes every file there at <site>/assets/course/<name>).
//
//   exercise.js  page entry: tiny; imports the editor/widget chunk only on exercise pages
//   worker.js    the module Web Worker that runs Pyodide and the grader
//   python-boot.js  starts that worker from the <head> of exercise pages (shares the runtime chunk)
//   exercise.css widget styles, minified (exercise.js links it on pages with an exercise)
// questions.js, math.js and course.css are not bundled: the hook serves them as they are.
// Output is deterministic: same sources, same bytes (content-hashed chunk names).

import { build } from "esbuild";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "web");
const outdir = join(root, "build", "assets");
const pyodideVersion = JSON.parse(
  readFileSync(join(root, "node_modules", "pyodide", "package.json"), "utf8"),
).version;

// The grader's result contract (statuses, limits, learner-facing sentences), written by
// hooks/assets.py from grader/contract.py; web/contract.js reads it as a constant.
const contractFile = join(root, "build", "contract.json");
if (!existsSync(contractFile)) {
  console.error(`build-assets: ${contractFile} is missing; build the site with mkdocs (it writes it)`);
  process.exit(1);
}
const contract = readFileSync(contractFile, "utf8");

const SCRIPTS = ["exercise.js", "worker.js", "python-boot.js"];
const STYLES = ["exercise.css"];
const entries = (names) => names.map((name) => join(web, name));

rmSync(outdir, { recursive: true, force: true });

const common = {
  bundle: true,
  minify: true,
  target: "es2020",
  outdir,
  logLevel: "warning",
  legalComments: "none",
  charset: "utf8",
};

await build({
  ...common,
  entryPoints: entries(SCRIPTS),
  format: "esm",
  splitting: true,
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  define: {
    __PYODIDE_VERSION__: JSON.stringify(pyodideVersion),
    __L2_CONTRACT__: contract,
  },
});

await build({
  ...common,
  entryPoints: entries(STYLES),
  entryNames: "[name]",
});

console.log(`build-assets: wrote ${outdir}`);
