// The course's service worker: keeps one deploy of the site (pages, styles, scripts, the
// Pyodide core and the grader) in Cache Storage, so the course works offline after a
// first visit. The build (hooks/offline.py) writes it to the site's root as sw.js, after a
// line `const BUILD = {version, files, python}` listing every file with its sha256.
//
// One cache per deploy, named by the build's hash, and served whole: a page is never
// mixed with another deploy's grader. A new deploy installs beside the old one (files
// that did not change are copied, not downloaded) and takes over once no tab of the old
// one is open; the old cache is then dropped. The Python files are cached only
// after a page with an exercise has loaded them, so reading a page never downloads them;
// the `onUse` ones (the rest of the standard library) only once something asked for them.

/* global BUILD */
// This file runs as a service worker: its global scope, typed as one (tsconfig.workers.json).
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const PREFIX = "l2-course-site-";
const CACHE = PREFIX + BUILD.version;
const BASE = new URL("./", sw.location.href).href;
const PARALLEL = 6;

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Put one file of this deploy in `cache`, checked against the build's sha256. */
async function keep(cache, [path, hash]) {
  const url = new URL(path, BASE).href;
  const mine = await cache.match(url);
  if (mine && mine.headers.get("x-l2-sha256") === hash) return;
  const earlier = await caches.match(url); // an older deploy's copy, if it is the same file
  let response = earlier && earlier.headers.get("x-l2-sha256") === hash ? earlier : null;
  if (!response) {
    // Revalidate: an HTTP-cached copy from before a deploy must not slip in.
    response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  }
  const body = await response.arrayBuffer();
  if ((await sha256(body)) !== hash) throw new Error(`${url} is not this deploy's file`);
  // The length lets the worker's download bar know a file's size when it comes from here.
  const headers = {
    "content-type": response.headers.get("content-type") || "",
    "content-length": String(body.byteLength),
    "x-l2-sha256": hash,
  };
  await cache.put(url, new Response(body, { headers }));
}

async function keepAll(list) {
  const cache = await caches.open(CACHE);
  const todo = [...list];
  const lane = async () => {
    while (todo.length) await keep(cache, todo.shift());
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
}

sw.addEventListener("install", (event) => {
  event.waitUntil(keepAll(BUILD.files)); // any failure: not installed, tried again next visit
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

// `only: "boot"` (web/prefetch.js, while the learner reads): what a first verdict needs,
// without the optional packages (wheels) that only some exercises load.
sw.addEventListener("message", (event) => {
  if (event.data?.type !== "cache-python") return;
  const boot = event.data.only === "boot";
  const kept = keepAll(boot ? BUILD.python.filter(([path]) => !path.endsWith(".whl")) : BUILD.python);
  // The page that asked hears when they are all here (web/prefetch.js then may boot Python).
  const told = kept.then(() => event.source?.postMessage({ type: "python-kept" }));
  event.waitUntil(told.catch(() => {}));
});

const ON_USE = new Map((BUILD.onUse || []).map(([path, hash]) => [new URL(path, BASE).href, hash]));

async function answer(request) {
  const cache = await caches.open(CACHE);
  // The grader's URL carries its version (?v=...): this deploy has exactly one.
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const url = request.url.split("?")[0];
  if (ON_USE.has(url)) {
    try {
      await keep(cache, [url, ON_USE.get(url)]);
      const kept = await cache.match(url);
      if (kept) return kept;
    } catch {
      // Offline, or not this deploy's file: the network's answer says so.
    }
  }
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode === "navigate") {
      const missing = await cache.match(new URL("404.html", BASE).href);
      if (missing) return missing;
    }
    throw error;
  }
}

sw.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(BASE)) return;
  if (request.headers.has("range")) return; // partial requests: let the network answer
  event.respondWith(answer(request));
});
