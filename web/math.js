// Typesets the math that pymdownx.arithmatex (generic mode) leaves in the page, with the
// site's own copy of KaTeX. Runs on every page Material shows, instant navigation included.

// Relative to this module, so the site works under any sub-path (e.g. /l2-course/).
const KATEX_BASE = new URL("../vendor/katex/", import.meta.url);

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

async function typeset(root = document) {
  const pending = [...root.querySelectorAll(".arithmatex:not([data-typeset])")];
  if (pending.length === 0) return;
  let katex;
  try {
    katex = await loadKatex();
  } catch (error) {
    console.warn(error.message); // the TeX source stays readable
    return;
  }
  for (const element of pending) {
    const displayMode = element.tagName !== "SPAN";
    try {
      katex.render(texOf(element), element, { displayMode, throwOnError: false });
      element.dataset.typeset = "";
    } catch (error) {
      console.warn("KaTeX:", error.message);
    }
  }
}

if (window.document$) {
  window.document$.subscribe(() => typeset());
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => typeset());
} else {
  typeset();
}

export { typeset };
