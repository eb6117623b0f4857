// Typesets the math that pymdownx.arithmatex (generic mode) leaves in the page, with the
// site's own copy of KaTeX, loaded the first time a page has math.
// Mounted by web/page.js (see web/components.js) on every `.arithmatex` element.

// Relative to this module, so the site works under any sub-path (e.g. /l2-course/).
const KATEX_BASE = new URL("../vendor/katex/", import.meta.url);

/** @type {Promise<any> | null} */
let katexLoading = null;

function loadKatex() {
  if (window.katex) return Promise.resolve(window.katex);
  if (!katexLoading) {
    katexLoading = new Promise((resolve, reject) => {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = new URL("katex.min.css", KATEX_BASE).href;
      document.head.append(style);
      const script = document.createElement("script");
      script.src = new URL("katex.min.js", KATEX_BASE).href;
      script.onload = () => resolve(window.katex);
      script.onerror = () => {
        katexLoading = null;
        reject(new Error("KaTeX could not be loaded"));
      };
      document.head.append(script);
    });
  }
  return katexLoading;
}

// arithmatex wraps inline math in \( \) and display math in \[ \].
function texOf(element) {
  const text = element.textContent.trim();
  const match = /^\\[([]([\s\S]*)\\[)\]]$/.exec(text);
  return match ? match[1] : text;
}

// Display math wider than the column scrolls sideways; what scrolls must be reachable by
// keyboard, so such a block becomes a tab stop (and stops being one when it fits again).
function keepReachable(element) {
  const update = () => {
    if (element.scrollWidth > element.clientWidth) element.setAttribute("tabindex", "0");
    else element.removeAttribute("tabindex");
  };
  // No measuring now: the observer's first call comes after the next layout, with every
  // other block's, instead of forcing a layout per block while the page is still loading.
  const observer = new ResizeObserver(update);
  observer.observe(element);
  return { destroy: () => observer.disconnect() };
}

/** Typeset one arithmatex element; display math is kept reachable while it scrolls. */
export async function mountMath(element) {
  let katex;
  try {
    katex = await loadKatex();
  } catch (error) {
    console.warn(error.message); // the TeX source stays readable
    return;
  }
  if (!element.isConnected || "typeset" in element.dataset) return null;
  const displayMode = element.tagName !== "SPAN";
  try {
    katex.render(texOf(element), element, { displayMode, throwOnError: false });
    element.dataset.typeset = "";
  } catch (error) {
    console.warn("KaTeX:", error.message);
  }
  return displayMode ? keepReachable(element) : null;
}
