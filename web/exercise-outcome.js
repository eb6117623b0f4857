// What a finished job means for the learner, as plain data: the runtime's outcome in, a
// description of the result panel out. Pure (no DOM, no storage), so node --test covers
// every outcome (tests/js/exercise-outcome.test.mjs); web/exercise-result.js draws it.
//
// A description: {
//   verdict: "pass"|"fail"|"error"|"timeout"|null  (a submission's verdict; null for a run)
//   run: "ok"|"error"|"timeout"|null  (how a Run ended; null for a submission)
//   word: "Not yet." (the verdict's word, "" for a run)   headline: one sentence
//   details: [sentence] (`backtick` spans are code)       note: a muted remark or ""
//   error: the learner's error {type, message, line, traceback} | null
//   checks: {all, passed, failed: [check], groups: [{first, others}], total} | null
//   stdout: string
//   line: the learner's line to mark in the editor | null
//   record: {verdict, feedback, failure} (what a submission leaves in the store) | null
// }
// Only `word` and `headline` are announced; everything else waits in the panel.

import { LIMITS, message, secondsText } from "./contract.js";

const blank = {
  verdict: null,
  run: null,
  word: "",
  headline: "",
  details: [],
  note: "",
  error: null,
  checks: null,
  stdout: "",
  line: null,
  record: null,
};

const wordOf = (verdict) => message(`verdict.${verdict}`);

/** The line an error or a raising check points at, if any. */
function errorLine(result) {
  if (Number.isInteger(result.error?.line)) return result.error.line;
  const raised = (result.checks || []).find((c) => !c.passed && Number.isInteger(c.line));
  return raised ? raised.line : null;
}

/**
 * The failed checks grouped by their message, in the order of each message's first
 * failure: [{first, others}], so that 13 checks failing the same way read as one.
 */
export function groupFailures(checks) {
  const groups = new Map();
  for (const check of checks) {
    if (check.passed) continue;
    const group = groups.get(check.message);
    if (group) group.others.push(check);
    else groups.set(check.message, { first: check, others: [] });
  }
  return [...groups.values()];
}

function checksOf(result) {
  const checks = result.checks || [];
  if (checks.length === 0) return null;
  return {
    all: checks,
    failed: checks.filter((c) => !c.passed),
    passed: checks.filter((c) => c.passed),
    groups: groupFailures(checks),
    total: checks.length,
  };
}

// A job that ended without a result: the sentence and how it counts.
function ended(outcome, exercise, requires) {
  switch (outcome.outcome) {
    case "timeout":
      return {
        status: "timeout",
        headline: message("timeout", { seconds: secondsText(LIMITS.time_limit_s) }),
        failure: true,
      };
    case "stopped":
      return { status: "timeout", headline: message("stopped"), failure: false };
    case "crashed":
      return { status: "error", headline: message("crashed"), failure: true };
    case "packages": {
      // A package only the learner's own import asked for: plain Python does the job.
      const imported = outcome.packages.every((name) => !requires.includes(name));
      const key = imported ? "packages.imported" : "packages";
      return {
        status: "error",
        headline: message(key, { packages: outcome.packages.join(", "), url: outcome.url }),
        details: [message(`${key}.detail`, { exercise })],
        recorded: false,
      };
    }
    case "load-failed":
      return {
        status: "error",
        headline: message("load_failed", { reason: outcome.message }),
        recorded: false,
      };
    default: // "failed": Python itself could not start
      return {
        status: "error",
        headline: message("startup", { reason: outcome.message }),
        recorded: false,
      };
  }
}

/**
 * Describe the outcome of a job of `kind` ("grade" or "run") on `exercise`.
 * @param {"grade"|"run"} kind
 * @param {import("./python/jobs.js").Outcome} outcome what runtime.enqueue() resolved to
 * @param {string} exercise the exercise id
 * @param {string[]} [requires] the packages the exercise itself needs
 */
export function describeOutcome(kind, outcome, exercise, requires = []) {
  const grading = kind === "grade";
  if (outcome.outcome === "result") {
    const result = outcome.result;
    const shared = {
      ...blank,
      error: result.error || null,
      stdout: result.stdout || "",
      line: errorLine(result),
    };
    if (!grading) {
      const ok = result.status === "ok";
      return {
        ...shared,
        run: ok ? "ok" : "error",
        headline: message(ok ? "run.ok" : "run.error"),
        note: ok && !shared.stdout ? message("run.silent") : "",
      };
    }
    return {
      ...shared,
      verdict: result.status,
      word: wordOf(result.status),
      headline: result.feedback,
      checks: checksOf(result),
      record: {
        verdict: result.status,
        feedback: result.feedback,
        failure: result.status !== "pass",
      },
    };
  }
  const end = ended(outcome, exercise, requires);
  const details = end.details || [];
  if (!grading) {
    return {
      ...blank,
      run: end.status === "timeout" ? "timeout" : "error",
      headline: end.headline,
      details,
    };
  }
  return {
    ...blank,
    verdict: end.status,
    word: wordOf(end.status),
    headline: end.headline,
    details,
    record: end.recorded === false ? null : { verdict: end.status, feedback: end.headline, failure: end.failure },
  };
}

/** A job under way: only the sentence, and no verdict (the old one must not linger). */
export function describePending(text) {
  return { ...blank, headline: text };
}

/** The last verdict saved in this browser, shown again after a reload. */
export function describeSaved(verdict, feedback, current = true) {
  const word = wordOf(verdict);
  const said = word.replace(/\.$/, "").toLowerCase();
  // A verdict for code that has changed since (a reload while it was being graded, an
  // edit saved after it) is never shown as if it were this code's.
  if (!current) return { ...blank, note: message("panel.saved_other", { verdict: said }) };
  return {
    ...blank,
    verdict,
    word,
    headline: feedback,
    note: message("panel.saved", { verdict: said }),
  };
}

/** What a screen reader hears: the verdict and the headline, never the details. */
export function announcement(description) {
  return [description.word, description.headline].filter(Boolean).join(" ");
}
