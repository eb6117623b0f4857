// Bundle the site's own JavaScript and CSS from web/ into build/assets/ (flat: the MkDocs
// hook publishes every file there at <site>/assets/course/<name>).
//
//   page.js      the page's one entry script: mounts every component (web/components.js);
//                imports the editor/widget chunk only on exercise pages
//   worker.js    the module Web Worker that runs Pyodide and the grader
//   python-boot.js  starts that worker from the <head> of exercise pages (shares the runtime chunk)
//   exercise.css widget styles, minified (exercise.js links it on pages with an exercise)
// course.css is not bundled: the hook serves it as it is.
// Output is deterministic: same sources, same bytes (content-hashed chunk names).

import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "web");
const outdir = join(root, "build", "assets");

// The grader's result contract (statuses, limits, learner-facing sentences), written by
// hooks/assets.py from grader/contract.py; web/contract.js reads it as a constant.
const contractFile = join(root, "build", "contract.json");
if (!existsSync(contractFile)) {
  console.error(`build-assets: ${contractFile} is missing; build the site with mkdocs (it writes it)`);
  process.exit(1);
}
const contract = readFileSync(contractFile, "utf8");

const PAGE_SCRIPTS = ["page.js", "python-boot.js"];
const WORKER_SCRIPTS = ["worker.js"];
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

const define = {
  // Its size as the worker reads it (the network sends it gzipped): the progress bar's total.
  __PYODIDE_WASM_BYTES__: String(statSync(join(root, "node_modules", "pyodide", "pyodide.asm.wasm")).size),
  // A string, substituted where it is used: esbuild would hoist an object-valued define
  // into a chunk that every entry imports.
  __L2_CONTRACT__: JSON.stringify(contract),
};

// The page entry, split so the editor chunk loads only on exercise pages.
await build({
  ...common,
  entryPoints: entries(PAGE_SCRIPTS),
  format: "esm",
  splitting: true,
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  define,
});

// The worker on its own: sharing chunks with the page would make the page entry import
// them statically (esbuild hoists shared chunks into every entry that reaches them).
await build({
  ...common,
  entryPoints: entries(WORKER_SCRIPTS),
  format: "esm",
  entryNames: "[name]",
  define,
});

await build({
  ...common,
  entryPoints: entries(STYLES),
  entryNames: "[name]",
});

console.log(`build-assets: wrote ${outdir}`);
