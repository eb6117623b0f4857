// The page's settings, written by the build (hooks/course.py) as one JSON island in the
// <head>, like Material's __config: read here and nowhere else.

/**
 * @typedef {object} PageConfig
 * @property {string} build  the build the page comes from: its scripts, grader and library
 */

/** The config of the document now shown (Material's instant navigation swaps the island). */
export function pageConfig() {
  const island = document.getElementById("l2-config");
  try {
    return /** @type {PageConfig} */ (JSON.parse(island ? island.textContent : "null")) || { build: "" };
  } catch {
    return { build: "" };
  }
}

// This JavaScript came with the document it first ran in.
const running = pageConfig().build;

/** The page now shown is another build's (a deploy landed since this JavaScript loaded). */
export const buildChanged = () => pageConfig().build !== running;
