// Gives unit tests the grader's page contract as the bundle gets it (esbuild defines
// __L2_CONTRACT__): from $L2_CONTRACT (tests/test_js.py writes it) or build/contract.json.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const path = process.env.L2_CONTRACT || fileURLToPath(new URL("../../build/contract.json", import.meta.url));
if (!existsSync(path)) {
  throw new Error(`${path} is missing: run the JS tests through pytest (tests/test_js.py), or build the site first`);
}
// The bundler substitutes either the JSON object or (main since the worker build was split)
// the JSON text that contract.js parses: give contract.js whichever form it reads.
const text = readFileSync(path, "utf8");
const source = readFileSync(new URL("../../web/contract.js", import.meta.url), "utf8");
globalThis.__L2_CONTRACT__ = source.includes("JSON.parse(__L2_CONTRACT__)") ? text : JSON.parse(text);
