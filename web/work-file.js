// Reads a learner's work file (SPEC §7) as grader/workfile.py reads it, rule for rule: the
// same limits, the same problem codes and the same sentences (tests/js/work-file.test.mjs
// runs both over the corpus in tests/workfiles/). A file is refused whole (WorkFileError,
// one sentence) when it is no work file at all; otherwise an entry that breaks a rule is
// dropped and reported, and an entry for another version is kept, marked stale.

import { CONTRACT, message } from "./contract.js";

const RULES = CONTRACT.workfile;
export const FORMAT = RULES.format;
export const FORMAT_VERSION = RULES.format_version;
export const MAX_FILE_BYTES = RULES.max_file_bytes;
export const MAX_CODE = RULES.max_code;
const TOP_KEYS = new Set(RULES.top_keys);
// Python's pattern as Python applies it: \d is any Unicode digit, $ allows a final newline.
const TIME = new RegExp(RULES.time.replaceAll("\\d", "\\p{Nd}").replace(/\$$/, "\\n?$"), "u");

/** The file cannot be read as a work file; the message is one sentence saying why. */
export class WorkFileError extends Error {}

// A JSON number written with a fraction or an exponent (or NaN, Infinity) is a float to
// Python, never an int: kept as a PyFloat so that "failures": 2.0 is refused here too. An
// int too long for a double stays exact, as a BigInt, as Python's int does.
class PyFloat {
  constructor(value) {
    this.value = value;
  }
}
const FLOAT_KEY = "\u0000l2-float";
const BIG_KEY = "\u0000l2-int";
// Strings are matched whole so that nothing inside one is touched; numbers as JSON writes
// them, so that no invalid text (say 01.5) becomes valid by the rewriting.
const TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/gs;

function parsePythonJson(text) {
  const marked = text.replace(TOKENS, (token) => {
    if (token[0] === '"') return token;
    if (/[.eEIN]/.test(token)) return `{${JSON.stringify(FLOAT_KEY)}:${JSON.stringify(token)}}`;
    return token.length > 15 ? `{${JSON.stringify(BIG_KEY)}:${JSON.stringify(token)}}` : token;
  });
  return JSON.parse(marked, (_key, value) => {
    if (isPlainRecord(value) && Object.keys(value).length === 1) {
      if (Object.hasOwn(value, FLOAT_KEY)) return new PyFloat(Number(value[FLOAT_KEY]));
      if (Object.hasOwn(value, BIG_KEY)) return BigInt(value[BIG_KEY]);
    }
    return value;
  });
}

const isPlainRecord = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isRecord = (v) => isPlainRecord(v) && !(v instanceof PyFloat);
const isInt = (v) => typeof v === "number" || typeof v === "bigint"; // floats are PyFloats
const get = (record, key, fallback) => (Object.hasOwn(record, key) ? record[key] : fallback);

/** Python's len(): code points, not UTF-16 units. */
export function pyLength(text) {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) (n -= 1), (i += 1);
    }
  }
  return n;
}

const isText = (v, limit) => typeof v === "string" && (v.length <= limit || pyLength(v) <= limit);
const isCount = (v) => isInt(v) && v >= 0 && v < RULES.max_count;
const isTime = (v) => typeof v === "string" && pyLength(v) <= 40 && TIME.test(v);

/** Python's repr() of a string, for the sentences that quote an id or key. */
export function pyRepr(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0);
    if (char === "\\" || char === quote) out += "\\" + char;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += char;
  }
  return out + quote;
}

const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

function refuse(key, values) {
  throw new WorkFileError(message(key, values));
}

/**
 * Decode `data` (a Uint8Array of the file, or its text) and read it against `course`
 * ({exercises: {id: version}, questions: {id: {version, options}}}). Returns
 * {learner, exportedAt, siteUrl, siteBuild, exercises, questions, problems}; throws
 * WorkFileError.
 */
export function readWorkFile(data, course) {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  checkSize(bytes.length);
  let raw;
  try {
    const text = typeof data === "string" ? data : new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    raw = parsePythonJson(text);
  } catch {
    refuse("workfile.not_json");
  }
  if (!isRecord(raw) || get(raw, "format") !== FORMAT) refuse("workfile.other_course", { format: pyRepr(FORMAT) });
  const version = get(raw, "format_version");
  if (!isInt(version) || version < 1) refuse("workfile.no_version");
  if (version > FORMAT_VERSION) refuse("workfile.newer", { version, supported: FORMAT_VERSION });
  for (const key of ["exercises", "questions", "site"]) {
    if (Object.hasOwn(raw, key) && !isRecord(raw[key])) refuse("workfile.not_object", { key: pyRepr(key) });
  }
  const site = get(raw, "site") || {};
  /** @type {{learner: string, exportedAt: string, siteUrl: string, siteBuild: string, exercises: Record<string, any>, questions: Record<string, any>, problems: {code: string, message: string}[]}} */
  const work = {
    learner: isText(get(raw, "learner"), RULES.max_learner) ? raw.learner : "",
    exportedAt: isTime(get(raw, "exported_at")) ? raw.exported_at : "",
    siteUrl: isText(get(site, "url"), 2000) ? site.url : "",
    siteBuild: isText(get(site, "build"), 200) ? site.build : "",
    exercises: {},
    questions: {},
    problems: [],
  };
  for (const key of Object.keys(raw)
    .filter((k) => !TOP_KEYS.has(k))
    .sort()) {
    work.problems.push({ code: "unknown-key", message: message("workfile.unknown_key", { key: pyRepr(key) }) });
  }
  for (const [id, entry] of Object.entries(get(raw, "exercises") || {})) readExercise(work, course, id, entry);
  for (const [id, entry] of Object.entries(get(raw, "questions") || {})) readQuestion(work, course, id, entry);
  return work;
}

/** Refuse a file of `size` bytes before reading it, as readWorkFile would. */
export function checkSize(size) {
  if (size > MAX_FILE_BYTES) {
    refuse("workfile.too_big", { size: (size / 1e6).toFixed(1), max: Math.floor(MAX_FILE_BYTES / 1e6) });
  }
}

function badFields(checks) {
  const bad = Object.entries(checks)
    .filter(([, ok]) => !ok)
    .map(([key]) => key);
  return bad.length ? { fields: bad.join(", "), verb: bad.length === 1 ? "is" : "are" } : null;
}

function readExercise(work, course, id, entry) {
  const problem = (code, key, values = {}) =>
    work.problems.push({ code, message: message(key, { id: pyRepr(id), ...values }) });
  if (!Object.hasOwn(course.exercises, id)) return problem("unknown-exercise", "workfile.unknown_exercise");
  if (!isRecord(entry)) return problem("bad-field", "workfile.exercise_not_object");
  const code = get(entry, "code");
  if (typeof code === "string" && code.length > MAX_CODE && pyLength(code) > MAX_CODE) {
    return problem("code-too-long", "workfile.code_too_long", {
      length: grouped(pyLength(code)),
      max: grouped(MAX_CODE),
    });
  }
  const verdict = get(entry, "verdict", null);
  const savedAt = get(entry, "saved_at", "");
  const bad = badFields({
    version: isText(get(entry, "version"), 64),
    code: typeof code === "string",
    verdict: verdict === null || RULES.exercise_verdicts.includes(verdict),
    failures: isCount(get(entry, "failures", 0)),
    hints: isCount(get(entry, "hints", 0)),
    solution_shown: typeof get(entry, "solution_shown", false) === "boolean",
    saved_at: savedAt === "" || isTime(savedAt),
  });
  if (bad) return problem("bad-field", "workfile.exercise_bad", bad);
  const stale = entry.version !== course.exercises[id];
  if (stale) problem("stale-exercise", "workfile.stale_exercise");
  work.exercises[id] = {
    version: entry.version,
    code,
    verdict,
    failures: get(entry, "failures", 0),
    hints: get(entry, "hints", 0),
    solutionShown: get(entry, "solution_shown", false),
    savedAt,
    stale,
  };
}

function readQuestion(work, course, id, entry) {
  const problem = (code, key, values = {}) =>
    work.problems.push({ code, message: message(key, { id: pyRepr(id), ...values }) });
  if (!Object.hasOwn(course.questions, id)) return problem("unknown-question", "workfile.unknown_question");
  if (!isRecord(entry)) return problem("bad-field", "workfile.question_not_object");
  const { version, options } = course.questions[id];
  const selected = get(entry, "selected");
  const verdict = get(entry, "verdict", null);
  const bad = badFields({
    version: isText(get(entry, "version"), 64),
    selected:
      Array.isArray(selected) &&
      selected.length > 0 &&
      selected.length <= 64 &&
      selected.every(isInt) &&
      new Set(selected).size === selected.length,
    verdict: verdict === null || RULES.question_verdicts.includes(verdict),
  });
  if (bad) return problem("bad-field", "workfile.question_bad", bad);
  const stale = entry.version !== version;
  if (!stale && !selected.every((i) => i >= 0 && i < options)) {
    return problem("option-out-of-range", "workfile.option_out_of_range", { count: options });
  }
  if (stale) problem("stale-question", "workfile.stale_question");
  work.questions[id] = { version: entry.version, selected: [...selected], verdict, stale };
}
