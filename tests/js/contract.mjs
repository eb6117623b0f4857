// Gives unit tests the grader's page contract as the bundle gets it: esbuild defines
// __L2_CONTRACT__ as the JSON text (scripts/build-assets.mjs) and web/contract.js parses
// it. From $L2_CONTRACT (tests/test_js.py writes it) or build/contract.json.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const path = process.env.L2_CONTRACT || fileURLToPath(new URL("../../build/contract.json", import.meta.url));
if (!existsSync(path)) {
  throw new Error(`${path} is missing: run the JS tests through pytest (tests/test_js.py), or build the site first`);
}
globalThis.__L2_CONTRACT__ = readFileSync(path, "utf8");
