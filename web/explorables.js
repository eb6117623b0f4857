// The explorables (interactive figures) as a page component (web/components.js): for each
// placeholder <div class="l2-explorable" data-explorable="NAME"> it loads that one's code,
// styles and data, all from the site itself, only on pages that have one. Each module's
// mount(root, data) returns a destroy().

const MODULES = {
  // Literal import() calls, so the bundler gives each explorable a chunk of its own.
  lambda: { code: () => import("./explorable-lambda.js"), data: "../figures/explore-lambda.json" },
  "l1-l2": { code: () => import("./explorable-l1l2.js"), data: null },
  predict: { code: () => import("./explorable-predict.js"), data: null },
  "early-stopping": {
    code: () => import("./explorable-stopping.js"),
    data: "../figures/explore-early-stopping.json",
  },
};

function stylesheet() {
  const href = new URL("./explorables.css", import.meta.url).href;
  /** @type {(HTMLLinkElement & {l2Loading?: Promise<void>}) | null} */
  const existing = document.querySelector(`link[href="${href}"]`);
  if (existing) return existing.dataset.loaded ? Promise.resolve() : existing.l2Loading;
  /** @type {HTMLLinkElement & {l2Loading?: Promise<void>}} */
  const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
  /** @type {Promise<void>} */
  const loading = new Promise((resolve) => {
    const done = () => {
      link.dataset.loaded = "yes";
      resolve();
    };
    link.addEventListener("load", done);
    link.addEventListener("error", done); // unstyled but working beats nothing
  });
  link.l2Loading = loading;
  document.head.append(link);
  return loading;
}

async function load(name) {
  const spec = MODULES[name];
  if (!spec) throw new Error(`unknown explorable "${name}"`);
  const [module, data] = await Promise.all([
    spec.code(),
    spec.data
      ? fetch(new URL(spec.data, import.meta.url)).then((response) => {
          if (!response.ok) throw new Error(`${spec.data}: HTTP ${response.status}`);
          return response.json();
        })
      : null,
  ]);
  return { mount: module.mount, data };
}

/** Mount one placeholder: load its code, styles and data, draw; `{destroy}` undoes it. */
export async function mountExplorable(root) {
  const name = root.dataset.explorable;
  root.dataset.l2Mounted = "pending";
  try {
    const [{ mount, data }] = await Promise.all([load(name), stylesheet()]);
    if (!root.isConnected) return null; // the page changed while its code loaded
    const destroy = mount(root, data);
    root.dataset.l2Mounted = "yes";
    return { destroy };
  } catch (error) {
    root.dataset.l2Mounted = "failed";
    console.error(`l2-course: explorable ${name}:`, error);
    return null;
  }
}
