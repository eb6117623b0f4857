// The learner's work as a work file (SPEC §7), to and from what the widgets keep in
// localStorage: exercises under l2-course:exercise:<id>:<version> (web/exercise-store.js),
// answers under l2-course:question:<id> (web/questions.js). Which items exist and their
// versions come from the course map (progress.json, hooks/progress.py). A restore is
// planned in full first and then written all at once, put back as it was on any failure.
// `storage` is a Storage (localStorage), passed in so that Node can test this module.

import { fingerprint } from "./exercise-store.js";
import { FORMAT, FORMAT_VERSION, MAX_CODE } from "./work-file.js";

export const EXERCISE_PREFIX = "l2-course:exercise:";
export const QUESTION_PREFIX = "l2-course:question:";
export const LEARNER_KEY = "l2-course:work:learner";
export const DOWNLOADED_KEY = "l2-course:work:downloaded";

const isRecord = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (n) => Number.isInteger(n) && n >= 0 && n < 1e6;
const VERDICTS = ["pass", "fail", "error", "timeout"];
// The time part of a stored savedAt (exercise-store.js adds "~suffix" to make it unique).
const timeOf = (savedAt) => String(savedAt || "").split("~")[0];

function readJson(storage, key) {
  try {
    const text = storage.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** {exercises: [{id, version, label}], questions: [{id, version, options, label}]} of the map. */
export function itemsOf(map) {
  const items = map.pages.flatMap((page) => page.items.map((item) => ({ ...item, page })));
  return {
    exercises: items.filter((item) => item.kind === "exercise"),
    questions: items.filter((item) => item.kind === "question"),
  };
}

/** The course as web/work-file.js checks a file against it. */
export function courseOf(map) {
  const { exercises, questions } = itemsOf(map);
  return {
    exercises: Object.fromEntries(exercises.map((item) => [item.id, item.version])),
    questions: Object.fromEntries(questions.map((q) => [q.id, { version: q.version, options: q.options }])),
  };
}

/** The stored record of one exercise, as a work-file entry, or null if there is none. */
function exerciseEntry(raw, version) {
  if (!isRecord(raw) || typeof raw.code !== "string") return null;
  return {
    version,
    code: raw.code,
    verdict: VERDICTS.includes(raw.verdict) ? raw.verdict : null,
    failures: isCount(raw.failures) ? raw.failures : 0,
    hints: isCount(raw.hints) ? raw.hints : 0,
    solution_shown: raw.solutionShown === true,
    saved_at: typeof raw.savedAt === "string" && raw.savedAt.length <= 40 ? raw.savedAt : "",
  };
}

/** Every version of `id` this browser holds: [{version, entry}], newest first. */
function storedVersions(storage, id) {
  /** @type {{version: string, entry: any}[]} */
  const found = [];
  const prefix = `${EXERCISE_PREFIX}${id}:`;
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(prefix)) continue;
    const version = key.slice(prefix.length);
    const entry = exerciseEntry(readJson(storage, key), version);
    if (entry) found.push({ version, entry });
  }
  return found.sort((a, b) => (timeOf(a.entry.saved_at) < timeOf(b.entry.saved_at) ? 1 : -1));
}

function storedAnswer(storage, item) {
  const raw = readJson(storage, QUESTION_PREFIX + item.id);
  const valid =
    isRecord(raw) &&
    typeof raw.version === "string" &&
    (raw.verdict === "pass" || raw.verdict === "fail") &&
    Array.isArray(raw.selected) &&
    raw.selected.length > 0 &&
    raw.selected.every((i) => Number.isInteger(i) && i >= 0);
  return valid ? { version: raw.version, selected: [...raw.selected], verdict: raw.verdict } : null;
}

/**
 * The work file of everything this browser holds for the course: each exercise's code for
 * today's version (or, if there is none, its newest older version), each stored answer.
 * Code over the file's limit is left out and named in `tooLong`.
 */
export function exportWork(storage, map, { learner = "", siteUrl = "", build = "", now = new Date() } = {}) {
  const { exercises, questions } = itemsOf(map);
  const work = {
    format: FORMAT,
    format_version: FORMAT_VERSION,
    exported_at: now.toISOString(),
    learner: String(learner).slice(0, 200),
    site: { url: siteUrl, build },
    exercises: {},
    questions: {},
  };
  const tooLong = [];
  for (const item of exercises) {
    const versions = storedVersions(storage, item.id);
    const chosen = versions.find((v) => v.version === item.version) || versions[0];
    if (!chosen) continue;
    if ([...chosen.entry.code].length > MAX_CODE) tooLong.push(item);
    else work.exercises[item.id] = chosen.entry;
  }
  for (const item of questions) {
    const answer = storedAnswer(storage, item);
    if (answer) work.questions[item.id] = answer;
  }
  return { work, tooLong };
}

/** `l2-course-work-ada-lovelace-2026-12-01.json` (no name part when there is no name). */
export function fileName(learner, now = new Date()) {
  const slug = String(learner || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  const date = now.toISOString().slice(0, 10);
  return `l2-course-work-${slug ? slug + "-" : ""}${date}.json`;
}

// `here` is a work-file entry of this browser, `file` one as web/work-file.js read it.
const sameExercise = (here, file) =>
  here.code === file.code &&
  here.verdict === file.verdict &&
  here.failures === file.failures &&
  here.hints === file.hints &&
  here.solution_shown === file.solutionShown;
const sameAnswer = (a, b) =>
  a.version === b.version && a.verdict === b.verdict && a.selected.join() === b.selected.join();

/**
 * What restoring `work` (as web/work-file.js read it) would write, before anything is:
 * {writes: [{key, value, id, kind}], newer: [item], older: [item], same: number}. `newer`
 * are the items this browser holds newer or other work on (their writes are marked
 * `newer`); `older` the exercises whose code is for another version (stored under that
 * version's key, so the widget offers it and never loads it by itself).
 */
export function planRestore(storage, map, work, { now = new Date() } = {}) {
  const { exercises, questions } = itemsOf(map);
  const byId = new Map([...exercises, ...questions].map((item) => [`${item.kind}:${item.id}`, item]));
  /** @type {{writes: {key: string, value: string, id: string, kind: string, newer: boolean}[], newer: any[], older: any[], same: number}} */
  const plan = { writes: [], newer: [], older: [], same: 0 };
  let unique = 0;
  for (const [id, entry] of Object.entries(work.exercises)) {
    const item = byId.get(`exercise:${id}`);
    const key = `${EXERCISE_PREFIX}${id}:${entry.version}`;
    const here = exerciseEntry(readJson(storage, key), entry.version);
    if (here && sameExercise(here, entry)) {
      plan.same += 1;
      continue;
    }
    const newer = here ? timeOf(here.saved_at) >= timeOf(entry.savedAt) : false;
    if (entry.stale) {
      if (newer) continue; // an older version's code that is newer here: nothing to offer
      plan.older.push(item);
    } else if (newer) {
      plan.newer.push(item);
    }
    const savedAt = entry.savedAt || `${now.toISOString()}~r${(unique++).toString(36)}`;
    const record = {
      code: entry.code,
      hints: entry.hints,
      verdict: entry.verdict,
      feedback: "",
      failures: entry.failures,
      // The verdict is for exactly this code, so the widget shows it as current.
      gradedCode: entry.verdict ? fingerprint(entry.code) : "",
      savedAt,
      ...(entry.solutionShown ? { solutionShown: true } : {}),
    };
    plan.writes.push({ key, value: JSON.stringify(record), id, kind: "exercise", newer });
  }
  for (const [id, entry] of Object.entries(work.questions)) {
    const item = byId.get(`question:${id}`);
    // An answer to another version of a question is stale: the page would not show it.
    if (entry.stale || !entry.verdict) continue;
    const answer = { version: entry.version, selected: entry.selected, verdict: entry.verdict };
    const here = storedAnswer(storage, item);
    if (here && sameAnswer(here, answer)) {
      plan.same += 1;
      continue;
    }
    const newer = Boolean(here && here.version === item.version);
    if (newer) plan.newer.push(item);
    plan.writes.push({ key: QUESTION_PREFIX + id, value: JSON.stringify(answer), id, kind: "question", newer });
  }
  if (work.learner && !storage.getItem(LEARNER_KEY)) {
    plan.writes.push({ key: LEARNER_KEY, value: work.learner, id: "", kind: "learner", newer: false });
  }
  return plan;
}

/**
 * Write every one of `writes` or none: on the first failure every key written so far is
 * put back as it was. Returns {ok: true} or {ok: false, error}.
 */
export function applyWrites(storage, writes) {
  const before = writes.map(({ key }) => [key, storage.getItem(key)]);
  let done = 0;
  try {
    for (const { key, value } of writes) {
      storage.setItem(key, value);
      done += 1;
    }
    return { ok: true };
  } catch (error) {
    // Removed first, so that the room they took is free for the values put back.
    const touched = before.slice(0, done + 1);
    for (const [key] of touched) storage.removeItem(key);
    for (const [key, value] of touched) {
      try {
        if (value !== null) storage.setItem(key, value);
      } catch {
        // a value that fitted before fits again once the restore's own are gone
      }
    }
    return { ok: false, error: String(error?.name ? error.name : error) };
  }
}
