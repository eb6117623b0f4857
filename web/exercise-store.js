// What an exercise remembers in localStorage: the code, hints revealed, the last verdict,
// the failed-submission count and whether the solution was shown, under a key holding the exercise id and version.
// Whatever is stored may be corrupt, of the wrong shape, or from another version of the
// exercise: it is validated field by field and never allowed to break the page.

const PREFIX = "l2-course:exercise:";
const VERDICTS = ["pass", "fail", "error", "timeout"];

const keyFor = (id, version) => `${PREFIX}${id}:${version}`;

/** localStorage, or null where it is blocked (progress.js reads the course's keys too). */
export function storage() {
  try {
    return window.localStorage; // may throw (blocked storage, sandboxed frames)
  } catch {
    return null;
  }
}

/** The JSON stored under `key`, or null if there is none or it does not parse. */
export function readJson(key) {
  try {
    const text = storage()?.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

const isCount = (n) => Number.isInteger(n) && n >= 0 && n < 1e6;
const isText = (s, max) => typeof s === "string" && s.length <= max;
// Any code that fits in the browser's storage is kept and read back: what was saved is
// never refused on load (localStorage holds about 5 million characters per site).
const MAX_CODE = 5_000_000;

/** A short fingerprint of `code` (FNV-1a, 32 bits): which code a saved verdict is for. */
export function fingerprint(code) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < code.length; i++) {
    hash ^= code.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** `raw` (a stored record of any shape) as a saved state, every invalid field dropped. */
function parse(raw) {
  /** @type {{code: string | null, hints: number, verdict: string | null, feedback: string, failures: number, gradedCode: string, savedAt: string, solutionShown: boolean}} */
  const saved = {
    code: null,
    hints: 0,
    verdict: null,
    feedback: "",
    failures: 0,
    gradedCode: "",
    savedAt: "",
    solutionShown: false,
  };
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return saved;
  if (isText(raw.code, MAX_CODE)) saved.code = raw.code;
  if (isCount(raw.hints)) saved.hints = raw.hints;
  if (VERDICTS.includes(raw.verdict)) saved.verdict = raw.verdict;
  if (isText(raw.feedback, 2000)) saved.feedback = raw.feedback;
  if (isCount(raw.failures)) saved.failures = raw.failures;
  if (isText(raw.gradedCode, 8)) saved.gradedCode = raw.gradedCode;
  if (isText(raw.savedAt, 40)) saved.savedAt = raw.savedAt;
  if (raw.solutionShown === true) saved.solutionShown = true;
  return saved;
}

/** The saved state of one exercise version, with every invalid field dropped. */
export function load(id, version) {
  return parse(readJson(keyFor(id, version)));
}

/**
 * Save the whole state, unless another tab saved this exercise since this one last saw it
 * (`seen`: the savedAt this tab last wrote or read): then nothing is written and the newer
 * state comes back, for the widget to show. Returns {ok: true, savedAt} |
 * {ok: false, newer: saved state} | {ok: false, error} (storage full or blocked).
 */
export function save(id, version, state, seen) {
  const key = keyFor(id, version);
  const stored = parse(readJson(key));
  if (stored.savedAt && stored.savedAt !== seen) return { ok: false, newer: stored };
  // Unique per write, so two tabs' writes in the same millisecond still differ.
  const savedAt = `${new Date().toISOString()}~${Math.random().toString(36).slice(2, 8)}`;
  try {
    const store = storage();
    if (!store) return { ok: false, error: "blocked" };
    store.setItem(key, JSON.stringify({ ...state, savedAt }));
    return { ok: true, savedAt };
  } catch (error) {
    return { ok: false, error: String(error?.name ? error.name : error) };
  }
}

/** Call `onNewer(saved state)` whenever another tab saves this exercise version. */
export function watch(id, version, onNewer) {
  const key = keyFor(id, version);
  const listener = (event) => {
    if (event.key === key && event.newValue) onNewer(parse(safeJson(event.newValue)));
  };
  addEventListener("storage", listener);
  return () => removeEventListener("storage", listener);
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Code saved for another version of this exercise, newest first (offered, never loaded). */
export function olderCode(id, version) {
  const store = storage();
  /** @type {{code: string, savedAt: string}[]} */
  const found = [];
  try {
    for (let i = 0; store && i < store.length; i++) {
      const key = store.key(i);
      if (!key?.startsWith(`${PREFIX}${id}:`) || key === keyFor(id, version)) continue;
      const raw = readJson(key);
      const saved = parse(raw);
      if (saved.code?.trim()) {
        found.push({ code: saved.code, savedAt: saved.savedAt });
      }
    }
  } catch {
    return [];
  }
  return found.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
}
