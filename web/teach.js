// The teacher's page (docs/teach.md): a folder of work files in, the gradebook out, as
// `python -m grader gradebook` makes it (SPEC §7): the same columns, the same statuses.
// Each exercise of each file is graded in a Python no other code has touched, thrown away
// after it (web/python/pool.js), so one learner's code cannot see another's; the rows, the
// CSV and the summary are then made by the CLI's own code (grader/grades.py) in one more
// such Python, which runs no learner's code. The page's
// Content-Security-Policy (hooks/teach.py) forbids every connection to another site; it
// reaches the Python workers because they are started from blob: URLs, which inherit it.
// mountGradebook(element) -> {destroy}, mounted by web/page.js.

import { LIMITS, message } from "./contract.js";
import { pythonConfig } from "./page-config.js";
import { JobQueue } from "./python/jobs.js";
import { PythonPool } from "./python/pool.js";
import { MAX_FILE_BYTES, readWorkFile, WorkFileError } from "./work-file.js";

// The URL this JavaScript first ran at: a page reached by instant navigation kept the
// document (and the policy) of the page it came from, so it is loaded in full instead.
const FIRST_PAGE = location.pathname;

/**
 * A worker started from a blob: URL that imports the real one (same-origin module). The
 * import is dynamic: a static one would be fetched as a worker, which worker-src blob:
 * refuses; allowing the site's own worker URLs would let learner code start a nested
 * worker.js of its own, outside the policy, and hand it code to run.
 */
function blobWorker(url) {
  const at = url.indexOf("#");
  const [base, hash] = at < 0 ? [url, ""] : [url.slice(0, at), url.slice(at)];
  // Messages that come before the module has set its own handler are kept, then handed to it.
  const source = `const early = [];
self.onmessage = ({ data }) => early.push(data);
import(${JSON.stringify(base)}).then(
  () => early.splice(0).forEach((data) => self.onmessage({ data })),
  (error) => setTimeout(() => { throw error; }),
);
`;
  const blob = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return new Worker(blob + hash, { type: "module", name: "l2-course-teacher-python" });
}

/** @type {{pool: PythonPool, jobs: JobQueue} | null} */
let runtime = null; // one pool for the page's life: its snapshot serves every file

function python() {
  if (!runtime) {
    /** @type {any} */
    let config = null;
    const settings = () => (config = config || { ...pythonConfig(), cacheName: "" });
    const pool = new PythonPool(settings, blobWorker);
    runtime = { pool, jobs: new JobQueue(pool, () => settings().packageBaseUrl) };
  }
  return runtime;
}

const isRight = (question, selected) => {
  const right = new Set(question.right);
  return (
    new Set(selected).size === selected.length && selected.length === right.size && selected.every((i) => right.has(i))
  );
};

/** A status for one exercise's outcome, and a problem to note when it was not graded. */
function statusOf(exercise, outcome) {
  if (outcome.outcome === "result") return { status: outcome.result.status, result: outcome.result };
  if (outcome.outcome === "timeout") return { status: "timeout" };
  if (outcome.outcome === "packages") {
    return {
      status: "error",
      problem: message("teach.no_numpy", { id: exercise.id, packages: outcome.packages.join(", ") }),
    };
  }
  return {
    status: "error",
    problem: message("teach.not_graded", { id: exercise.id, reason: outcome.message || outcome.outcome }),
  };
}

/** Every exercise of one file, graded in a Python of the file's own; outcomes in order. */
async function gradeExercises(exercises, work) {
  if (!exercises.length) return [];
  const items = exercises.map((e) => ({ exercise: e.id, code: work.exercises[e.id].code, requires: e.requires }));
  const job = { kind: "file", items, timeLimit: LIMITS.time_limit_s * 1000 };
  const outcome = await python().jobs.enqueue(job).promise;
  return outcome.outcome === "file" ? outcome.outcomes : exercises.map(() => outcome);
}

/** Read one work file and grade it again (grader/gradebook.py's grade_file). */
export async function gradeFile(name, bytes, course) {
  /** @type {{file: string, read: boolean, learner: string, results: Record<string, {status: string, feedback: string}>, answers: Record<string, string>, claimed_but_failed: string[], problems: string[]}} */
  const grade = {
    file: name,
    read: false,
    learner: "",
    results: {},
    answers: {},
    claimed_but_failed: [],
    problems: [],
  };
  let work;
  try {
    work = readWorkFile(bytes, course.reader);
  } catch (error) {
    if (!(error instanceof WorkFileError)) throw error;
    grade.problems.push(error.message);
    return grade;
  }
  grade.read = true;
  grade.learner = work.learner;
  grade.problems = work.problems.map((p) => p.message);
  const held = course.exercises.filter((e) => work.exercises[e.id]);
  const outcomes = await gradeExercises(held, work);
  for (const [n, exercise] of held.entries()) {
    const entry = work.exercises[exercise.id];
    const { status, result, problem } = statusOf(exercise, outcomes[n]);
    grade.results[exercise.id] = { status, feedback: result?.feedback || "" };
    if (problem) grade.problems.push(problem);
    if (entry.verdict === "pass" && status !== "pass") grade.claimed_but_failed.push(exercise.id);
  }
  for (const question of course.questions) {
    const answer = work.questions[question.id];
    if (!answer) continue;
    grade.answers[question.id] = answer.stale ? "stale" : isRight(question, answer.selected) ? "correct" : "wrong";
  }
  return grade;
}

/** Every file of a drop, folders walked: [{name, file}] (only .json inside folders). */
async function dropped(items) {
  /** @type {{name: string, file: File}[]} */
  const found = [];
  const walk = async (entry, inFolder) => {
    if (entry.isFile) {
      if (inFolder && !entry.name.toLowerCase().endsWith(".json")) return;
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      found.push({ name: entry.fullPath.replace(/^\//, ""), file });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child, true);
      }
    }
  };
  const entries = [...items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  for (const entry of entries) await walk(entry, false);
  return found;
}

function picked(files) {
  return [...files]
    .map((file) => ({ name: file.webkitRelativePath || file.name, file, inFolder: Boolean(file.webkitRelativePath) }))
    .filter(({ name, inFolder }) => !inFolder || name.toLowerCase().endsWith(".json"));
}

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function layout(root) {
  const input = el("input", { type: "file", multiple: true, id: "l2-teach-folder", className: "l2-teach__input" });
  input.setAttribute("webkitdirectory", "");
  const label = el("label", { htmlFor: input.id, className: "md-button" }, message("teach.pick"));
  const zone = el("div", { className: "l2-teach__drop" }, el("p", {}, label, " ", message("teach.drop")), input);
  const status = el("p", { className: "l2-teach__status" });
  status.setAttribute("role", "status");
  const progress = el("progress", { max: 1, value: 0, hidden: true });
  progress.setAttribute("aria-label", message("teach.pick"));
  const download = el(
    "button",
    { type: "button", className: "md-button md-button--primary", hidden: true },
    message("teach.csv"),
  );
  const summary = el("div", { className: "l2-teach__summary" });
  const table = el("div", { className: "l2-teach__table md-typeset__scrollwrap" });
  root.append(zone, status, progress, download, summary, table);
  return { input, zone, status, progress, download, summary, table };
}

/** The class summary (grader/grades.py's class_summary: [id, passed, [[mistake, n]]]). */
function summaryTable(summary, read, course) {
  const titles = new Map(course.exercises.map((e) => [e.id, e.title]));
  const body = summary.map(([id, passed, common]) =>
    el(
      "tr",
      {},
      el("th", { scope: "row" }, titles.get(id) || id),
      el("td", {}, `${passed}/${read}`),
      el("td", {}, common.map(([name, n]) => `${name} (${n})`).join("; ")),
    ),
  );
  const head = el(
    "tr",
    {},
    ...["teach.exercise", "teach.passed", "teach.mistakes"].map((k) => el("th", { scope: "col" }, message(k))),
  );
  return el(
    "table",
    { className: "l2-teach-summary" },
    el("caption", {}, message("teach.summary")),
    el("thead", {}, head),
    el("tbody", {}, ...body),
  );
}

function gradesTable(header, rows) {
  const table = el("table", { className: "l2-teach-grades" }, el("caption", {}, message("teach.table")));
  const heads = header.map((name, i) => {
    const sort = el("button", { type: "button", className: "l2-teach__sort" }, name);
    sort.setAttribute("aria-label", message("teach.sort", { column: name }));
    const th = el("th", { scope: "col" }, sort);
    th.setAttribute("aria-sort", "none");
    sort.addEventListener("click", () => sortBy(i, th.getAttribute("aria-sort") === "ascending" ? -1 : 1));
    return th;
  });
  const tbody = el("tbody", {});
  const fill = (ordered) =>
    tbody.replaceChildren(...ordered.map((row) => el("tr", {}, ...row.map((text) => el("td", {}, text)))));
  const numeric = (i) => i >= 2 && i <= 6;
  function sortBy(i, direction) {
    const key = (row) => (numeric(i) ? Number(row[i] || -1) : row[i]);
    const ordered = [...rows].sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0));
    heads.forEach((th, j) => {
      th.setAttribute("aria-sort", j === i ? (direction > 0 ? "ascending" : "descending") : "none");
    });
    fill(ordered);
  }
  fill(rows);
  table.append(el("thead", {}, el("tr", {}, ...heads)), tbody);
  return table;
}

export function mountGradebook(root) {
  if (location.pathname !== FIRST_PAGE) {
    root.textContent = message("teach.reload");
    location.reload();
    return;
  }
  const data = JSON.parse(root.querySelector(".l2-gradebook-course").textContent);
  const course = {
    ...data,
    reader: {
      exercises: Object.fromEntries(data.exercises.map((e) => [e.id, e.version])),
      questions: Object.fromEntries(data.questions.map((q) => [q.id, { version: q.version, options: q.options }])),
    },
  };
  const ui = layout(root);
  let csv = "";
  let busy = false;
  python().pool.start(); // the first file need not wait for Python to boot

  async function grade(files) {
    if (busy) return;
    if (!files.length) {
      ui.status.textContent = message("teach.none");
      return;
    }
    busy = true;
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    ui.download.hidden = true;
    ui.progress.hidden = false;
    ui.progress.max = files.length;
    /** @type {any[]} */
    const grades = [];
    for (const [n, { name, file }] of files.entries()) {
      ui.status.textContent = message("teach.grading", { file: name, done: n, total: files.length });
      ui.progress.value = n;
      const bytes = new Uint8Array(await file.slice(0, MAX_FILE_BYTES + 1).arrayBuffer());
      grades.push(await gradeFile(name, bytes, course));
    }
    csv = await showGrades(root, ui, grades, course);
    busy = false;
  }

  listen(ui, grade, () => csv);
  return {};
}

/**
 * The class's rows, CSV and summary, made by grader/grades.py's `table` in a Python that
 * runs no learner's code; null if that Python could not give them.
 * @returns {Promise<{header: string[], rows: string[][], csv: string, summary: [string, number, [string, number][]][]} | null>}
 */
async function tableOf(grades, course) {
  const data = {
    exercises: course.exercises.map((e) => e.id),
    questions: course.questions.map((q) => q.id),
    grades, // each exactly grader/grades.py's FileGrade fields
  };
  const job = { kind: "table", code: JSON.stringify(data), timeLimit: 60000 };
  const outcome = await python().jobs.enqueue(job).promise;
  return outcome.outcome === "result" ? /** @type {any} */ (outcome.result) : null;
}

/** The class's table, summary and CSV on the page, once every file is graded; returns the CSV. */
async function showGrades(root, ui, grades, course) {
  const table = await tableOf(grades, course);
  ui.progress.hidden = true;
  if (!table) {
    ui.status.textContent = message("teach.no_table");
    return "";
  }
  root.dataset.csv = table.csv; // what Download CSV gives, for the browser test to compare
  const read = grades.filter((g) => g.read).length;
  ui.summary.replaceChildren(summaryTable(table.summary, read, course));
  ui.table.replaceChildren(gradesTable(table.header, table.rows));
  ui.download.hidden = false;
  ui.status.textContent = message("teach.done", { total: grades.length, unread: grades.length - read });
  root.dataset.graded = String(grades.length);
  return table.csv;
}

/** The page's controls: pick or drop work files to `grade`, and download the CSV. */
function listen(ui, grade, csvNow) {
  ui.input.addEventListener("change", () => grade(picked(ui.input.files)));
  const over = (event) => {
    event.preventDefault();
    ui.zone.classList.toggle("l2-teach__drop--over", event.type === "dragover");
  };
  ui.zone.addEventListener("dragover", over);
  ui.zone.addEventListener("dragleave", over);
  ui.zone.addEventListener("drop", async (event) => {
    over(event);
    grade(await dropped(event.dataTransfer.items));
  });
  ui.download.addEventListener("click", () => {
    const blob = new Blob([csvNow()], { type: "text/csv" });
    const link = el("a", { href: URL.createObjectURL(blob), download: "grades.csv" });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  });
}
