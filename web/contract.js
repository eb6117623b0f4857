// The grader's result contract as the page sees it: statuses, limits and every
// learner-facing outcome sentence, exported by the build from grader/contract.py.
// Nothing here defines wording or limits; it only fills placeholders in.

/**
 * grader/contract.py's Check, ErrorInfo and Result, as the worker posts them.
 * @typedef {{name: string, passed: boolean, message: string, line?: number}} Check
 * @typedef {{type: string, message: string, line: number | null, traceback: string}} ErrorInfo
 * @typedef {object} Result  what grader.grade() and grader.run() return
 * @property {string} exercise
 * @property {string} status  one of STATUSES
 * @property {number} score
 * @property {string} feedback  one headline sentence for the learner
 * @property {Check[]} checks
 * @property {ErrorInfo | null} error
 * @property {string} stdout
 *
 * grader/contract.py page_data(): what the page may know of the contract.
 * @typedef {object} Contract
 * @property {string[]} statuses
 * @property {Record<string, number>} limits  LIMITS: time_limit_s, memory_mb, stdout_chars
 * @property {Record<string, string>} messages  every learner-facing sentence, by key
 * @property {{format: string, format_version: number, max_file_bytes: number, max_code: number,
 *   max_count: number, max_learner: number, exercise_verdicts: string[],
 *   question_verdicts: string[], top_keys: string[], time: string}} workfile
 *   the work file's format (grader/workfile.py)
 */

/* global __L2_CONTRACT__ */
/** @type {Contract} */
export const CONTRACT = JSON.parse(__L2_CONTRACT__);

export const STATUSES = CONTRACT.statuses;
export const LIMITS = CONTRACT.limits;

/** "5 seconds", "1 second" (as grader.contract.seconds_text). @param {number} seconds */
export const secondsText = (seconds) => `${seconds} second${seconds === 1 ? "" : "s"}`;

/**
 * The sentence `key` with its `{name}` placeholders filled from `values`.
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
export function message(key, values = {}) {
  const template = CONTRACT.messages[key];
  if (typeof template !== "string") throw new Error(`no learner message named ${key}`);
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
