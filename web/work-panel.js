// "Download my work" and "Restore from file" on the recap page (an element with
// data-work-file), and the one line that says where the work is kept. Nothing is sent
// anywhere: the file is made and read in the page. A restore says what the file holds
// and asks before anything changes; it is then written whole or not at all, and the page
// reloads so that every widget shows the restored work.
// mountWorkPanel(root) -> {destroy}; web/page.js mounts it.

import { message } from "./contract.js";
import { pageConfig } from "./page-config.js";
import { courseMap } from "./progress.js";
import { checkSize, MAX_CODE, readWorkFile, WorkFileError } from "./work-file.js";
import { applyWrites, courseOf, DOWNLOADED_KEY, exportWork, fileName, LEARNER_KEY, planRestore } from "./work-store.js";

const SITE_ROOT = new URL("../../", import.meta.url); // bundled into assets/course/
const FLASH_KEY = "l2-course:work:restored"; // sessionStorage: the sentence after the reload
// Safari deletes a site's storage after 7 days without a visit: remind before that.
const REMIND_AFTER_DAYS = 7;
const DAY_MS = 86_400_000;

const plural = (key, count) => message(`${key}.${count === 1 ? "one" : "other"}`, { count });
const exercisesText = (n) => plural("work.exercises", n);
const answersText = (n) => plural("work.answers", n);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function local() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function readLocal(key) {
  try {
    return local()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writeLocal(key, value) {
  try {
    local()?.setItem(key, value);
  } catch {
    // not remembered; nothing else depends on it
  }
}

const dateText = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The honest line: this browser only, whether it agreed to keep it, the last download. */
async function describeKeeping() {
  let kept = false;
  try {
    kept = Boolean(await navigator.storage?.persisted?.());
  } catch {
    kept = false;
  }
  const last = readLocal(DOWNLOADED_KEY);
  const valid = last && !Number.isNaN(Date.parse(last));
  const line = message("work.where", {
    kept: message(kept ? "work.kept" : "work.not_kept"),
    when: valid ? dateText(last) : message("work.never"),
  });
  let remind = "";
  if (!valid) remind = message("work.remind.never");
  else {
    const days = Math.floor((Date.now() - Date.parse(last)) / DAY_MS);
    if (days >= REMIND_AFTER_DAYS) remind = message("work.remind.days", { days });
  }
  return { line, remind, kept };
}

function saveFile(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The panel's parts share one record, `p`: {root, map, course, nameOf, ui}.

/** The panel's elements, placed in `root`. */
function layout(root) {
  const nameId = "l2-work-learner";
  const fileId = "l2-work-file";
  const ui = {
    where: el("p", { class: "l2-work__where" }),
    remind: el("p", { class: "l2-work__remind", hidden: "" }),
    nameInput: el("input", {
      id: nameId,
      type: "text",
      class: "l2-work__learner",
      autocomplete: "name",
      maxlength: "200",
    }),
    download: el(
      "button",
      { type: "button", class: "md-button md-button--primary l2-work__download" },
      message("work.label.download"),
    ),
    fileInput: el("input", { id: fileId, type: "file", class: "l2-work__file", accept: ".json,application/json" }),
    drop: el("div", { class: "l2-work__drop" }),
    // What happened, said once (a screen reader hears it without moving).
    status: el("div", { class: "l2-work__status", role: "status", "aria-live": "polite" }),
    review: el("div", { class: "l2-work__review", role: "group", hidden: "" }),
  };
  ui.nameInput.value = readLocal(LEARNER_KEY) || "";
  const nameBox = el("p", { class: "l2-work__name" });
  nameBox.append(el("label", { for: nameId }, message("work.label.name")), ui.nameInput);
  ui.drop.append(
    el("label", { for: fileId }, message("work.label.restore")),
    ui.fileInput,
    el("span", { class: "l2-work__drop-hint" }, message("work.label.drop")),
  );
  root.replaceChildren(ui.where, ui.remind, nameBox, ui.download, ui.drop, ui.status, ui.review);
  root.classList.add("l2-work");
  return ui;
}

async function showKeeping({ ui }) {
  const { line, remind, kept } = await describeKeeping();
  ui.where.textContent = line;
  ui.where.dataset.persisted = String(kept);
  ui.remind.textContent = remind;
  ui.remind.hidden = !remind;
}

function say({ ui }, ...sentences) {
  ui.status.replaceChildren(...sentences.filter(Boolean).map((text) => el("p", {}, text)));
}

function downloadWork(p) {
  const store = local();
  const learner = p.ui.nameInput.value.trim();
  const now = new Date();
  const build = pageConfig()?.build || "";
  const { work, tooLong } = store
    ? exportWork(store, p.map, { learner, siteUrl: SITE_ROOT.href, build, now })
    : { work: null, tooLong: [] };
  const exercises = work ? Object.keys(work.exercises).length : 0;
  const questions = work ? Object.keys(work.questions).length : 0;
  const skipped = tooLong.length
    ? message("work.too_long", { max: MAX_CODE.toLocaleString("en-US"), names: tooLong.map(p.nameOf).join(", ") })
    : "";
  if (!work || exercises + questions === 0) return say(p, message("work.nothing"), skipped);
  const name = fileName(learner, now);
  saveFile(name, JSON.stringify(work, null, 1) + "\n");
  writeLocal(DOWNLOADED_KEY, now.toISOString());
  say(
    p,
    message("work.downloaded", { file: name, exercises: exercisesText(exercises), questions: answersText(questions) }),
    skipped,
  );
  showKeeping(p);
}

function closeReview({ ui }) {
  ui.review.hidden = true;
  ui.review.replaceChildren();
}

/** Read a chosen or dropped file, then say what it holds and ask (nothing changes yet). */
async function readFile(p, file) {
  closeReview(p);
  say(p, message("work.reading", { file: file.name }));
  let work;
  try {
    checkSize(file.size); // before reading: a 50 MB file is never loaded
    work = readWorkFile(new Uint8Array(await file.arrayBuffer()), p.course);
  } catch (error) {
    if (error instanceof WorkFileError) return say(p, message("work.refused", { reason: error.message }));
    return say(p, message("work.unreadable", { reason: String(error?.name ? error.name : error) }));
  }
  const store = local();
  if (!store) return say(p, message("work.storage_failed", { reason: "blocked" }));
  offer(p, file.name, work, planRestore(store, p.map, work));
}

/** The sentence saying what a file holds. */
function holdsText(name, work) {
  const when = work.exportedAt
    ? message("work.holds.on", { date: dateText(work.exportedAt) })
    : message("work.holds.unknown_time");
  const site = work.siteUrl ? message("work.holds.site", { url: work.siteUrl }) : "";
  return message("work.holds", {
    file: name,
    exercises: exercisesText(Object.keys(work.exercises).length),
    questions: answersText(Object.keys(work.questions).length),
    when,
    site,
  });
}

/** The review's paragraphs: what the file holds, its problems, older and newer work. */
function reviewParts(p, holds, work, plan) {
  const parts = [el("p", { id: "l2-work-review-heading", class: "l2-work__holds" }, holds)];
  if (work.problems.length) {
    parts.push(el("p", {}, message("work.label.problems")));
    const list = el("ul", { class: "l2-work__problems" });
    for (const problem of work.problems) list.append(el("li", { "data-code": problem.code }, problem.message));
    parts.push(list);
  }
  if (plan.older.length) {
    parts.push(el("p", {}, message("work.older_version", { names: plan.older.map(p.nameOf).join(", ") })));
  }
  if (plan.newer.length) {
    parts.push(
      el("p", { class: "l2-work__newer" }, message("work.newer_here", { names: plan.newer.map(p.nameOf).join(", ") })),
    );
  }
  return parts;
}

/** The question to ask and the choices ([label, writes]) to offer. */
function choicesFor(work, plan) {
  const count = Object.keys(work.exercises).length + Object.keys(work.questions).length;
  if (plan.writes.length === 0) {
    return { ask: count ? message("work.restored.none") : message("work.holds.nothing"), choices: [] };
  }
  if (!plan.newer.length) return { ask: message("work.ask"), choices: [[message("work.label.yes"), plan.writes]] };
  const choices = [[message("work.label.replace"), plan.writes]];
  const rest = plan.writes.filter((write) => !write.newer);
  if (rest.length) choices.push([message("work.label.keep"), rest]);
  return { ask: message("work.ask.newer"), choices };
}

function offer(p, name, work, plan) {
  const holds = holdsText(name, work);
  const parts = reviewParts(p, holds, work, plan);
  const { ask, choices } = choicesFor(work, plan);
  parts.push(el("p", choices.length ? { class: "l2-work__ask" } : {}, ask));
  const actions = el("div", { class: "l2-work__actions" });
  for (const [label, writes] of choices) {
    const yes = el("button", { type: "button", class: "md-button md-button--primary l2-work__restore" }, label);
    yes.addEventListener("click", () => restore(p, name, writes));
    actions.append(yes);
  }
  const cancel = el("button", { type: "button", class: "md-button l2-work__cancel" }, message("work.label.cancel"));
  cancel.addEventListener("click", () => {
    closeReview(p);
    say(p, message("work.cancelled"));
    p.ui.fileInput.focus();
  });
  actions.append(cancel);
  parts.push(actions);
  p.ui.review.replaceChildren(...parts);
  p.ui.review.setAttribute("aria-labelledby", "l2-work-review-heading");
  p.ui.review.hidden = false;
  say(p, holds);
  (actions.querySelector(".l2-work__restore") || cancel).focus();
}

function restore(p, name, writes) {
  const outcome = applyWrites(local(), writes);
  if (!outcome.ok) {
    closeReview(p);
    return say(p, message("work.storage_failed", { reason: outcome.error || "" }));
  }
  const exercises = writes.filter((w) => w.kind === "exercise").length;
  const questions = writes.filter((w) => w.kind === "question").length;
  const sentence = message("work.restored", {
    exercises: exercisesText(exercises),
    questions: answersText(questions),
    file: name,
  });
  try {
    sessionStorage.setItem(FLASH_KEY, sentence);
  } catch {
    // the page still reloads; only the sentence is not said again
  }
  location.reload(); // every widget, mark and count on this page then shows the work
}

/** The file picker and drag-and-drop both read the file given. */
function wireFiles(p) {
  const { fileInput, drop } = p.ui;
  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    if (file) readFile(p, file);
    fileInput.value = ""; // the same file can be chosen again
  });
  drop.addEventListener("dragover", (event) => {
    if (![...(event.dataTransfer?.types || [])].includes("Files")) return;
    event.preventDefault();
    drop.classList.add("is-over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
  drop.addEventListener("drop", (event) => {
    const file = event.dataTransfer?.files?.[0];
    drop.classList.remove("is-over");
    if (!file) return;
    event.preventDefault();
    readFile(p, file);
  });
}

/** The sentence a restore left for after its reload, said once. */
function sayRestored(p) {
  /** @type {string | null} */
  let flash = null;
  try {
    flash = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
  } catch {
    flash = null;
  }
  if (!flash) return;
  say(p, flash);
  p.root.scrollIntoView({ block: "start" });
}

/** Turn the recap page's placeholder into the download and restore panel. */
export async function mountWorkPanel(root) {
  const map = await courseMap();
  if (!root.isConnected) return null;
  const labels = new Map(
    map.pages.flatMap((page) => page.items.map((item) => [`${item.kind}:${item.id}`, item.label])),
  );
  const nameOf = (item) => (item ? labels.get(`${item.kind}:${item.id}`) || item.id : "");
  const p = { root, map, course: courseOf(map), nameOf, ui: layout(root) };
  showKeeping(p);
  p.ui.nameInput.addEventListener("input", () => writeLocal(LEARNER_KEY, p.ui.nameInput.value));
  p.ui.download.addEventListener("click", () => downloadWork(p));
  wireFiles(p);
  sayRestored(p);
  return { destroy: () => closeReview(p) };
}
