// Bundle the site's own JavaScript and CSS from web/ into build/assets/ (flat: the MkDocs
// hook publishes every file there at <site>/assets/course/<name>).
//
//   exercise.js  page entry: tiny; imports the editor/widget chunk only on exercise pages
//   worker.js    the module Web Worker that runs Pyodide and the grader
//   exercise.css widget styles, minified (exercise.js links it on pages with an exercise)
// questions.js, math.js and course.css are not bundled: the hook serves them as they are.
// Output is deterministic: same sources, same bytes (content-hashed chunk names).

import { build } from "esbuild";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "web");
const outdir = join(root, "build", "assets");
const pyodideVersion = JSON.parse(
  readFileSync(join(root, "node_modules", "pyodide", "package.json"), "utf8"),
).version;

const SCRIPTS = ["exercise.js", "worker.js"];
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
  define: { __PYODIDE_VERSION__: JSON.stringify(pyodideVersion) },
});

await build({
  ...common,
  entryPoints: entries(STYLES),
  entryNames: "[name]",
});

console.log(`build-assets: wrote ${outdir}`);
