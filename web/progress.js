// Progress across the course, read from what the widgets already store in localStorage:
// a check mark in the navigation for every page whose questions and exercises are all done,
// a "Reset this page's answers" button on pages with questions, and the overview on the
// recap page (an element with data-progress-overview). Which widgets are on which page
// comes from progress.json, written by the build (hooks/progress.py). Nothing is graded
// here: a question's stored verdict comes from questions.js, an exercise's from the grader.

import { message, STATUSES } from "./contract.js";
import { readJson, storage } from "./exercise-store.js";

const QUESTION_PREFIX = "l2-course:question:"; // + id          (web/questions.js)
const EXERCISE_PREFIX = "l2-course:exercise:"; // + id:version  (web/exercise-store.js)
const MAP_URL = new URL("./progress.json", import.meta.url);
const SITE_ROOT = new URL("../../", import.meta.url); // bundled into assets/course/page.js

const WORDS = {
  question: {
    pass: message("progress.question.pass"),
    fail: message("progress.question.fail"),
    todo: message("progress.question.todo"),
  },
  exercise: {
    pass: message("progress.exercise.pass"),
    fail: message("progress.exercise.fail"),
    todo: message("progress.exercise.todo"),
  },
  kind: { question: message("progress.kind.question"), exercise: message("progress.kind.exercise") },
};

/** @type {Promise<any> | null} */
let mapPromise = null;
/** The course map the build wrote (progress.json), fetched once per tab. */
export function courseMap() {
  if (!mapPromise) {
    mapPromise = fetch(MAP_URL)
      .then((response) => {
        if (!response.ok) throw new Error(`${MAP_URL} answered ${response.status}`);
        return response.json();
      })
      .catch((error) => {
        mapPromise = null; // try again on the next page
        throw error;
      });
  }
  return mapPromise;
}

const isRecord = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** "pass", "fail" or "todo" for one item of the course map, from what is stored. */
function statusOf(item) {
  if (item.kind === "question") {
    const record = readJson(QUESTION_PREFIX + item.id);
    // questions.js drops a record for another version of the question; so do we.
    if (!isRecord(record) || record.version !== item.version) return "todo";
    return record.verdict === "pass" || record.verdict === "fail" ? record.verdict : "todo";
  }
  const record = readJson(`${EXERCISE_PREFIX}${item.id}:${item.version}`);
  if (!isRecord(record) || !STATUSES.includes(record.verdict)) return "todo";
  return record.verdict === "pass" ? "pass" : "fail";
}

const isDone = (page) => page.items.length > 0 && page.items.every((i) => statusOf(i) === "pass");
const questionsOf = (page) => page.items.filter((item) => item.kind === "question");

function pathOf(url) {
  return new URL(url, document.baseURI).pathname.replace(/index\.html$/, "");
}

function pageAt(map, url) {
  const path = pathOf(url);
  return map.pages.find((page) => pathOf(new URL(page.url, SITE_ROOT)) === path) || null;
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

// --- navigation marks ------------------------------------------------------------------

function doneMark(page) {
  const mark = element("span", {
    class: "l2-nav-done",
    title: message("progress.nav.done"),
    "data-page": page.url,
  });
  mark.append(element("span", { "aria-hidden": "true" }, "✓"));
  mark.append(element("span", { class: "l2-sr-only" }, message("progress.nav.done.spoken")));
  return mark;
}

function markNavigation(map) {
  const nav = document.querySelector(".md-nav--primary");
  if (!nav) return;
  for (const item of nav.querySelectorAll("li.md-nav__item")) {
    if (item.closest(".md-nav--secondary")) continue; // the table of contents
    /** @type {HTMLAnchorElement | null} */
    const link = item.querySelector(":scope > a.md-nav__link[href]");
    const page = link && pageAt(map, link.href);
    // The current page has a label (for the mobile table of contents) beside its link.
    for (const target of item.querySelectorAll(":scope > .md-nav__link")) {
      target.querySelector(":scope > .l2-nav-done")?.remove();
      if (page && isDone(page)) target.append(doneMark(page));
    }
  }
}

// --- resetting a page's answers --------------------------------------------------------

function clearForm(form) {
  for (const input of form.querySelectorAll("input")) input.checked = false;
  for (const why of form.querySelectorAll(".l2-option-why")) why.hidden = true;
  for (const option of form.querySelectorAll(".l2-option")) option.dataset.state = "";
  const status = form.querySelector('[role="status"]');
  if (status) {
    delete status.dataset.verdict;
    status.textContent = "";
  }
}

/** Forget the stored answers of a page's questions (and clear them if it is shown). */
function resetAnswers(page) {
  const questions = questionsOf(page);
  for (const item of questions) {
    try {
      storage()?.removeItem(QUESTION_PREFIX + item.id);
    } catch {
      // storage blocked: there was nothing stored either
    }
    const form = document.querySelector(`form[data-question="${CSS.escape(item.id)}"]`);
    if (form) clearForm(form);
  }
  const count = questions.length;
  const kept = page.items.some((item) => item.kind === "exercise") ? message("progress.cleared.kept") : "";
  const cleared = message(count === 1 ? "progress.questions.one" : "progress.questions.other", { count });
  return message("progress.cleared", { questions: cleared, title: page.title, kept });
}

function addResetButton(page, map) {
  const article = document.querySelector("article.md-content__inner");
  if (!article || questionsOf(page).length === 0 || article.querySelector(".l2-page-reset")) return;
  const box = element("div", { class: "l2-page-reset" });
  const button = element("button", { type: "button", class: "md-button" }, message("progress.reset.page"));
  const said = element("p", { class: "l2-page-reset__status", role: "status", "aria-live": "polite" });
  button.addEventListener("click", () => {
    said.textContent = resetAnswers(page);
    refresh(map);
  });
  box.append(button, said);
  article.append(box);
}

// --- the overview on the recap page ----------------------------------------------------

/** A page's time on its two paths, as hooks/reading.py computed it. */
function timeText({ core, all }) {
  if (!core) return message("progress.time.deeper", { all });
  return message("progress.time", { core, all });
}

function renderOverview(root, map) {
  root.replaceChildren();
  const summary = element("p", { class: "l2-progress-summary" });
  const announce = element("p", { class: "l2-progress-announce", role: "status", "aria-live": "polite" });
  root.append(summary);
  for (const page of map.pages) {
    if (page.items.length === 0) continue;
    const section = element("section", { class: "l2-progress-page", "data-page": page.url });
    const heading = element("h3");
    heading.append(element("a", { href: new URL(page.url, SITE_ROOT).href }, page.title));
    const count = element("p", { class: "l2-progress-count" });
    const time = page.minutes ? element("p", { class: "l2-progress-time" }, timeText(page.minutes)) : null;
    const list = element("ul", { class: "l2-progress-items" });
    for (const item of page.items) {
      const row = element("li", { "data-kind": item.kind, "data-id": item.id });
      row.append(
        element("span", { class: "l2-progress-status" }),
        element(
          "span",
          { class: "l2-progress-label" },
          message("progress.item", { kind: WORDS.kind[item.kind], label: item.label }),
        ),
      );
      list.append(row);
    }
    section.append(heading, ...(time ? [time] : []), count, list);
    if (questionsOf(page).length > 0) {
      const button = element(
        "button",
        { type: "button", class: "md-button" },
        message("progress.reset.named", { title: page.title }),
      );
      button.addEventListener("click", () => {
        announce.textContent = resetAnswers(page);
        refresh(map);
      });
      section.append(button);
    }
    root.append(section);
  }
  root.append(announce);
}

function updateOverview(root, map) {
  let done = 0;
  let total = 0;
  for (const page of map.pages) {
    const section = root.querySelector(`section[data-page="${CSS.escape(page.url)}"]`);
    if (!section) continue;
    let pageDone = 0;
    for (const item of page.items) {
      const status = statusOf(item);
      const row = section.querySelector(`li[data-kind="${item.kind}"][data-id="${CSS.escape(item.id)}"]`);
      row.dataset.status = status;
      row.querySelector(".l2-progress-status").textContent = WORDS[item.kind][status];
      if (status === "pass") pageDone += 1;
    }
    done += pageDone;
    total += page.items.length;
    const all = pageDone === page.items.length ? message("progress.count.all") : "";
    section.querySelector(".l2-progress-count").textContent = message("progress.count", {
      done: pageDone,
      total: page.items.length,
      all,
    });
  }
  root.querySelector(".l2-progress-summary").textContent = message("progress.summary", { done, total });
}

// --- wiring ----------------------------------------------------------------------------

function refresh(map) {
  markNavigation(map);
  const overview = document.querySelector("[data-progress-overview]");
  if (overview) updateOverview(overview, map);
}

/** Mounted on each page's article: nav marks, the reset button, the overview. */
export async function mountProgress() {
  let map;
  try {
    map = await courseMap();
  } catch (error) {
    console.error("l2-course: progress", error);
    const overview = document.querySelector("[data-progress-overview]");
    if (overview) overview.textContent = message("progress.failed");
    return null;
  }
  const page = pageAt(map, location.href);
  if (page) addResetButton(page, map);
  const overview = document.querySelector("[data-progress-overview]");
  if (overview) renderOverview(overview, map);
  refresh(map);
  // A verdict shown on this page (a question checked, an exercise graded) is saved in the
  // same task that shows it, so reading storage when the attribute changes is up to date.
  const content = document.querySelector(".md-content");
  if (!content) return null;
  // Redrawn a task later, once per burst: the verdict itself is drawn first.
  let queued = 0;
  const later = () => {
    queued ||= setTimeout(() => {
      queued = 0;
      refresh(map);
    }, 0);
  };
  const observer = new MutationObserver(later);
  observer.observe(content, { subtree: true, attributes: true, attributeFilter: ["data-verdict"] });
  return {
    destroy: () => {
      observer.disconnect();
      clearTimeout(queued);
    },
  };
}

// Answers given in another tab of the course (one listener for the tab's lifetime).
window.addEventListener("storage", () => {
  courseMap().then(refresh, () => {});
});
