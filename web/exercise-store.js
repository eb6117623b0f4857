// What an exercise remembers in localStorage: the code, hints revealed, the last verdict
// and the failed-submission count, under a key holding the exercise id and version.
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

/** The saved state of one exercise version, with every invalid field dropped. */
export function load(id, version) {
  const raw = readJson(keyFor(id, version));
  const saved = { code: null, hints: 0, verdict: null, feedback: "", failures: 0 };
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return saved;
  if (isText(raw.code, 200000)) saved.code = raw.code;
  if (isCount(raw.hints)) saved.hints = raw.hints;
  if (VERDICTS.includes(raw.verdict)) saved.verdict = raw.verdict;
  if (isText(raw.feedback, 2000)) saved.feedback = raw.feedback;
  if (isCount(raw.failures)) saved.failures = raw.failures;
  return saved;
}

/** Save the whole state; a full or blocked storage only loses persistence, nothing else. */
export function save(id, version, state) {
  try {
    storage()?.setItem(
      keyFor(id, version),
      JSON.stringify({ ...state, savedAt: new Date().toISOString() }),
    );
    return true;
  } catch {
    return false;
  }
}

/** Code saved for another version of this exercise, newest first (offered, never loaded). */
export function olderCode(id, version) {
  const store = storage();
  const found = [];
  try {
    for (let i = 0; store && i < store.length; i++) {
      const key = store.key(i);
      if (!key || !key.startsWith(`${PREFIX}${id}:`) || key === keyFor(id, version)) continue;
      const raw = readJson(key);
      if (raw && isText(raw.code, 200000) && raw.code.trim()) {
        found.push({ code: raw.code, savedAt: isText(raw.savedAt, 40) ? raw.savedAt : "" });
      }
    }
  } catch {
    return [];
  }
  return found.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
}
