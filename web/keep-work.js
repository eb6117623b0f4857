// Asks the browser, quietly and once, to keep the site's storage (navigator.storage.persist)
// as soon as the learner has a graded submission: from then on there is work to lose.
// Mounted on each page's article by web/page.js; it only watches exercises' verdicts.

const ASKED_KEY = "l2-course:work:persist-asked";

function asked() {
  try {
    return localStorage.getItem(ASKED_KEY) !== null;
  } catch {
    return true; // no storage: nothing to keep either
  }
}

function askOnce() {
  if (asked()) return;
  try {
    localStorage.setItem(ASKED_KEY, new Date().toISOString());
  } catch {
    return;
  }
  // Chromium answers without a prompt; whatever the answer, the recap page reports it.
  navigator.storage?.persist?.().catch(() => {});
}

const graded = (node) => node.closest?.("[data-exercise]") && node.hasAttribute("data-verdict");

/** Watch the article's exercises for a first verdict; returns {destroy}. */
export function mountKeepWork(article) {
  if (asked()) return null;
  if ([...article.querySelectorAll("[data-exercise] [data-verdict]")].length) {
    askOnce();
    return null;
  }
  const observer = new MutationObserver((records) => {
    if (!records.some((record) => graded(record.target))) return;
    observer.disconnect();
    askOnce();
  });
  observer.observe(article, { subtree: true, attributes: true, attributeFilter: ["data-verdict"] });
  return { destroy: () => observer.disconnect() };
}
