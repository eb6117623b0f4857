// Names the page's scripts get from outside their modules, for `tsc --noEmit` (tsconfig.json):
// the bundler's defines (scripts/build-assets.mjs), Material's and KaTeX's globals, the
// window fields the inline head scripts leave, and browser features not every engine has.

/** grader/contract.py page_data(), as JSON text (esbuild `define`). */
declare const __L2_CONTRACT__: string;
/** The size of pyodide.asm.wasm (esbuild `define`); not defined when unbundled. */
declare const __PYODIDE_WASM_BYTES__: number | undefined;

interface Window {
  /** Material's observable of page loads, instant navigation included. */
  document$?: { subscribe(next: () => void): unknown };
  /** KaTeX, once web/math.js has loaded its script. */
  katex?: { render(tex: string, element: Element, options?: object): void };
  /** The Python worker web/python-early.js started while the page was parsed. */
  __l2PythonEarly?: import("./python/protocol.js").EarlyWorker;
  /** The search index requests web/preload.js holds back until the first verdict. */
  __l2SearchHeld?: Array<() => void>;
  /** The address's fragment as the page opened, kept by the head (hooks/head.py). */
  __l2Fragment?: { path: string; hash: string };
}

interface Navigator {
  /** The Network Information API (Chromium only). */
  connection?: { saveData?: boolean };
  /** The Device Memory API, in gigabytes (Chromium only). */
  deviceMemory?: number;
  /** The Battery Status API (Chromium only). */
  getBattery?: () => Promise<{ charging: boolean; level: number }>;
}

interface XMLHttpRequest {
  /** web/preload.js: this request is for the search index, held back. */
  __l2Held?: boolean;
}

/** The service worker's file list, a `const` the build writes above web/service-worker.js. */
declare const BUILD: {
  version: string;
  files: [path: string, sha256: string][];
  python: [path: string, sha256: string][];
  onUse: [path: string, sha256: string][];
};
