// Turns what the grader (or the runtime) said into the result panel. Everything that came
// from the learner's code or from Python is set with textContent, never parsed as HTML.

import { STATUSES, message } from "./contract.js";

const ICONS = { pass: "✓", fail: "✗", error: "⚠", timeout: "⏱" };
const VERDICT_WORDS = Object.fromEntries(
  STATUSES.map((status) => [status, [ICONS[status] || "", message(`verdict.${status}`)]]),
);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// Grader messages quote code between backticks; show those spans as code, still as text.
function withCode(text) {
  const pieces = String(text ?? "").split("`");
  if (pieces.length % 2 === 0) return [String(text ?? "")]; // unbalanced: leave as it is
  return pieces.map((piece, i) => (i % 2 ? el("code", null, piece) : piece));
}

function headline(verdict, sentence) {
  const [icon, word] = VERDICT_WORDS[verdict] || ["", ""];
  const p = el("p", "l2-ex__headline");
  p.append(el("span", "l2-ex__icon", icon), " ", el("strong", null, word), " ", ...withCode(sentence));
  p.firstChild.setAttribute("aria-hidden", "true");
  return p;
}

function errorBlock(error) {
  if (!error || typeof error !== "object") return null;
  const box = el("div", "l2-ex__error");
  const where = Number.isInteger(error.line) ? `Line ${error.line}: ` : "";
  const type = error.type ? `${error.type}: ` : "";
  box.append(el("p", "l2-ex__error-line", `${where}${type}${error.message ?? ""}`));
  if (typeof error.traceback === "string" && error.traceback.trim()) {
    box.append(el("pre", "l2-ex__traceback", error.traceback));
  }
  return box;
}

function outputBlock(stdout) {
  if (typeof stdout !== "string" || stdout === "") return null;
  const box = el("div", "l2-ex__output");
  box.append(el("p", "l2-ex__label", "Your code printed:"), el("pre", "l2-ex__stdout", stdout));
  return box;
}

function checkItem(check) {
  const ok = check.passed === true;
  const item = el("li", ok ? "l2-ex__check is-pass" : "l2-ex__check is-fail");
  const icon = el("span", "l2-ex__icon", ok ? "✓" : "✗");
  icon.setAttribute("aria-hidden", "true");
  item.append(icon, " ", el("span", "l2-ex__check-word", ok ? "passed" : "failed"), ": ");
  item.append(el("span", "l2-ex__check-name", check.name ?? ""));
  if (check.message) {
    const message = el("div", "l2-ex__check-message");
    message.append(...withCode(check.message));
    item.append(message);
  }
  return item;
}

// Failed checks first and in full; passed ones folded away, so the list stays readable.
function checksBlock(checks) {
  if (!Array.isArray(checks) || checks.length === 0) return null;
  const valid = checks.filter((c) => c && typeof c === "object");
  const passed = valid.filter((c) => c.passed === true);
  const failed = valid.filter((c) => c.passed !== true);
  const box = el("div", "l2-ex__checks");
  box.append(el("p", "l2-ex__label", `Checks: ${passed.length} of ${checks.length} passed.`));
  if (failed.length) {
    const list = el("ul", "l2-ex__check-list");
    list.append(...failed.map(checkItem));
    box.append(list);
  }
  if (passed.length) {
    const fold = el("details", "l2-ex__passed");
    fold.append(el("summary", null, `${passed.length} passed check${passed.length === 1 ? "" : "s"}`));
    const list = el("ul", "l2-ex__check-list");
    list.append(...passed.map(checkItem));
    fold.append(list);
    box.append(fold);
  }
  return box;
}

function fill(region, verdict, parts) {
  region.replaceChildren(...parts.filter(Boolean));
  region.removeAttribute("aria-busy");
  if (verdict) region.dataset.verdict = verdict;
  else delete region.dataset.verdict;
}

/** Show that a job is under way; the old verdict goes so nobody reads it as the new one. */
export function showPending(region, text) {
  delete region.dataset.verdict;
  delete region.dataset.run;
  region.setAttribute("aria-busy", "true");
  region.replaceChildren(el("p", "l2-ex__pending", text));
}

/** A grade() result (grader/contract.py). Returns the learner's error line, if any. */
export function showGrade(region, result) {
  const verdict = STATUSES.includes(result?.status)
    ? result.status
    : "error";
  const feedback = typeof result?.feedback === "string" ? result.feedback : "";
  fill(region, verdict, [
    headline(verdict, feedback),
    errorBlock(result?.error),
    checksBlock(result?.checks),
    outputBlock(result?.stdout),
  ]);
  if (Number.isInteger(result?.error?.line)) return result.error.line;
  // A check that raised may say where (an optional `line` on the check).
  const raised = Array.isArray(result?.checks)
    ? result.checks.find((c) => c && !c.passed && Number.isInteger(c.line))
    : null;
  return raised ? raised.line : null;
}

/** A run() result: output and errors, no verdict. Returns the learner's error line. */
export function showRun(region, result) {
  const ok = result?.status === "ok";
  const sentence = ok ? "Your code ran without errors." : "Your code stopped with an error.";
  const p = el("p", "l2-ex__headline", sentence);
  fill(region, null, [p, errorBlock(result?.error), outputBlock(result?.stdout) ||
    (ok ? el("p", "l2-ex__muted", "It printed nothing.") : null)]);
  region.dataset.run = ok ? "ok" : "error";
  return Number.isInteger(result?.error?.line) ? result.error.line : null;
}

/** A message from the page itself (time limit, Stop, numpy missing, Python failed). */
export function showMessage(region, verdict, sentence, details = []) {
  fill(region, verdict, [headline(verdict, sentence), ...details.map(paragraph)]);
}

// A detail is a sentence whose `backtick` spans are shown as code (still as text).
function paragraph(detail) {
  const p = el("p");
  p.append(...withCode(detail));
  return p;
}

/** A run that did not finish: same words as a submission, marked as a run. */
export function showRunMessage(region, kind, sentence, details = []) {
  fill(region, null, [el("p", "l2-ex__headline", sentence), ...details.map(paragraph)]);
  region.dataset.run = kind;
}

/** The words for the last verdict saved in this browser, shown after a reload. */
export function showSaved(region, verdict, feedback) {
  const [, word] = VERDICT_WORDS[verdict] || ["", ""];
  fill(region, verdict, [
    headline(verdict, feedback),
    el("p", "l2-ex__muted", `That was your last submission (${word.replace(".", "").toLowerCase()}), saved in this browser.`),
  ]);
}
