// The grader's result contract as the page sees it: statuses, limits and every
// learner-facing outcome sentence, exported by the build from grader/contract.py.
// Nothing here defines wording or limits; it only fills placeholders in.

/* global __L2_CONTRACT__ */
export const CONTRACT = JSON.parse(__L2_CONTRACT__);

export const STATUSES = CONTRACT.statuses;
export const LIMITS = CONTRACT.limits;

/** "5 seconds", "1 second" (as grader.contract.seconds_text). */
export const secondsText = (seconds) => `${seconds} second${seconds === 1 ? "" : "s"}`;

/** The sentence `key` with its `{name}` placeholders filled from `values`. */
export function message(key, values = {}) {
  const template = CONTRACT.messages[key];
  if (typeof template !== "string") throw new Error(`no learner message named ${key}`);
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
