// The sizes that tell whether web/ reads in one sitting (issue 18): the longest functions
// and modules, in lines. `node scripts/js-sizes.mjs [--max N]` prints them and, with
// --max, exits 1 when a function is longer than N lines (tests/test_js.py runs it so).

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "acorn";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".js") ? [path] : [];
  });

/** Every function in `node`, with its name where the code gives one. */
function* functions(node, name = "") {
  if (!node || typeof node.type !== "string") return;
  if (FUNCTIONS.has(node.type)) {
    yield {
      name: node.id?.name || name || "(anonymous)",
      lines: node.loc.end.line - node.loc.start.line + 1,
      line: node.loc.start.line,
    };
  }
  const named =
    node.key?.name || node.id?.name || (node.type === "AssignmentExpression" && node.left.property?.name) || "";
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === "object") yield* functions(child, named);
    }
  }
}

function measure(path) {
  const text = readFileSync(path, "utf8");
  const options = { ecmaVersion: "latest", locations: true, allowHashBang: true };
  let tree;
  try {
    tree = parse(text, { ...options, sourceType: "module" });
  } catch {
    tree = parse(text, { ...options, sourceType: "script" }); // web/python-early.js: a bare expression
  }
  const file = relative(root, path);
  return {
    file,
    lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0),
    functions: [...functions(tree)].map((f) => ({ ...f, file })),
  };
}

const at = process.argv.indexOf("--max");
const max = at > 0 ? Number(process.argv[at + 1]) : Infinity;
const modules = sources(join(root, "web")).map(measure);
const all = modules.flatMap((m) => m.functions).sort((a, b) => b.lines - a.lines);
const biggest = [...modules].sort((a, b) => b.lines - a.lines);
console.log("longest functions in web/:");
for (const f of all.slice(0, 5)) console.log(`  ${f.lines} lines  ${f.name}  ${f.file}:${f.line}`);
console.log("largest modules in web/:");
for (const m of biggest.slice(0, 3)) console.log(`  ${m.lines} lines  ${m.file}`);
const over = all.filter((f) => f.lines > max);
if (over.length) {
  console.error(
    `functions over ${max} lines: ${over.map((f) => `${f.name} (${f.file}:${f.line}, ${f.lines})`).join(", ")}`,
  );
  process.exit(1);
}
