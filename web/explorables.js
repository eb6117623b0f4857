// Page entry for the explorables (interactive figures). Tiny on purpose: on each page
// Material shows (document$ fires on load and after instant navigation) it unmounts the
// previous page's explorables, and only if this page has a placeholder
// (<div class="l2-explorable" data-explorable="NAME">) loads that one's code, styles and
// data, all from the site itself. Each module's mount(root, data) returns a destroy().

const MODULES = {
  lambda: { code: "./explorable-lambda.js", data: "../figures/explore-lambda.json" },
  "l1-l2": { code: "./explorable-l1l2.js", data: null },
  "early-stopping": {
    code: "./explorable-stopping.js",
    data: "../figures/explore-early-stopping.json",
  },
};

let mounted = []; // { root, destroy } of the explorables mounted so far

function stylesheet() {
  const href = new URL("./explorables.css", import.meta.url).href;
  const existing = document.querySelector(`link[href="${href}"]`);
  if (existing) return existing.dataset.loaded ? Promise.resolve() : existing.l2Loading;
  const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
  link.l2Loading = new Promise((resolve) => {
    const done = () => {
      link.dataset.loaded = "yes";
      resolve();
    };
    link.addEventListener("load", done);
    link.addEventListener("error", done); // unstyled but working beats nothing
  });
  document.head.append(link);
  return link.l2Loading;
}

async function load(name) {
  const spec = MODULES[name];
  if (!spec) throw new Error(`unknown explorable "${name}"`);
  const [module, data] = await Promise.all([
    import(spec.code),
    spec.data
      ? fetch(new URL(spec.data, import.meta.url)).then((response) => {
          if (!response.ok) throw new Error(`${spec.data}: HTTP ${response.status}`);
          return response.json();
        })
      : null,
  ]);
  return { mount: module.mount, data };
}

async function mountAll() {
  // Tear down what left the page; an explorable still shown stays as it is (document$
  // may fire again for the same page).
  for (const { root, destroy } of mounted) if (!root.isConnected) destroy();
  mounted = mounted.filter(({ root }) => root.isConnected);
  const roots = [...document.querySelectorAll(".l2-explorable[data-explorable]")].filter(
    (root) => !root.dataset.l2Mounted,
  );
  if (roots.length === 0) return;
  for (const root of roots) root.dataset.l2Mounted = "pending";
  await stylesheet();
  for (const root of roots) {
    const name = root.dataset.explorable;
    try {
      const { mount, data } = await load(name);
      if (!root.isConnected) continue; // the page changed while its code loaded
      mounted.push({ root, destroy: mount(root, data) });
      root.dataset.l2Mounted = "yes";
    } catch (error) {
      root.dataset.l2Mounted = "failed";
      console.error(`l2-course: explorable ${name}:`, error);
    }
  }
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => mountAll());
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll);
} else {
  mountAll();
}
