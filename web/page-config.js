// The page's settings, written by the build (hooks/head.py, page_config) as one JSON
// island at the top of the <head>, like Material's __config: read here and nowhere else
// (but for web/python-early.js, which runs before any module).

/**
 * @typedef {object} PythonUrls  relative to the page, as the build wrote them
 * @property {string} indexURL  the Pyodide core, on the site itself
 * @property {string} packageBaseUrl  where packages the core lacks (numpy) come from
 * @property {string} graderURL  the grader archive, its version in the query
 * @property {string} workerURL  web/worker.js as bundled
 * @property {string} cacheKey  the Python snapshot's key in Cache Storage
 *
 * @typedef {object} PageConfig
 * @property {string} build  the build the page comes from: its scripts, grader and library
 * @property {{cacheName: string, urls: PythonUrls}} python  what the Python worker needs
 *
 * @typedef {PythonUrls & {cacheName: string, key: string}} PythonConfig  URLs absolute;
 *   `key` tells one config from another (the early worker is adopted on an equal key)
 */

/** @returns {PageConfig | null} the config of the document now shown */
export function pageConfig() {
  const island = document.getElementById("l2-config");
  try {
    return island ? JSON.parse(island.textContent) : null;
  } catch {
    return null;
  }
}

/** @returns {PythonConfig} the Python settings of the page now shown, URLs resolved */
export function pythonConfig() {
  const { python } = pageConfig() || { python: { cacheName: "", urls: {} } };
  const urls = Object.entries(python.urls).map(([name, url]) => [name, new URL(url, location.href).href]);
  const cacheName = "caches" in self ? python.cacheName : "";
  return { ...Object.fromEntries(urls), cacheName, key: JSON.stringify(python) };
}

// This JavaScript came with the document it first ran in.
const running = pageConfig()?.build;

/** The page now shown is another build's (a deploy landed since this JavaScript loaded). */
export const buildChanged = () => pageConfig()?.build !== running;
