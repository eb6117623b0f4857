// Draws a result description (web/exercise-outcome.js) into an exercise's result panel.
// The panel's first line is the live region (role="status", carrying data-verdict or
// data-run): it holds only the verdict and the headline, so that is all a screen reader
// announces; the error, the checks and the output sit below it, in the panel.
// Everything that came from the learner's code or from Python is set as text, never HTML.

import { message } from "./contract.js";

const ICONS = { pass: "✓", fail: "✗", error: "⚠", timeout: "⏱" };

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

function paragraph(sentence, className) {
  const p = el("p", className);
  p.append(...withCode(sentence));
  return p;
}

// Output and tracebacks may scroll: the keyboard must be able to reach what scrolls.
function scroller(className, label, text) {
  const pre = el("pre", className, text);
  for (const [name, value] of Object.entries({ tabindex: "0", role: "region", "aria-label": label })) {
    pre.setAttribute(name, value);
  }
  return pre;
}

function errorBlock(error) {
  if (!error) return null;
  const box = el("div", "l2-ex__error");
  const where = Number.isInteger(error.line) ? message("panel.line", { line: error.line }) : "";
  const type = error.type ? `${error.type}: ` : "";
  box.append(el("p", "l2-ex__error-line", `${where}${type}${error.message ?? ""}`));
  if (error.traceback?.trim()) {
    box.append(scroller("l2-ex__traceback", message("panel.traceback"), error.traceback));
  }
  return box;
}

function outputBlock(stdout) {
  if (!stdout) return null;
  const box = el("div", "l2-ex__output");
  box.append(
    el("p", "l2-ex__label", message("panel.printed")),
    scroller("l2-ex__stdout", message("panel.output"), stdout),
  );
  return box;
}

function checkItem(check) {
  const item = el("li", check.passed ? "l2-ex__check is-pass" : "l2-ex__check is-fail");
  const icon = el("span", "l2-ex__icon", check.passed ? "✓" : "✗");
  icon.setAttribute("aria-hidden", "true");
  item.append(
    icon,
    " ",
    el("span", "l2-ex__check-word", message(check.passed ? "panel.passed" : "panel.failed")),
    ": ",
  );
  item.append(el("span", "l2-ex__check-name", check.name));
  if (check.message) {
    const text = el("div", "l2-ex__check-message");
    text.append(...withCode(check.message));
    item.append(text);
  }
  return item;
}

function list(checks) {
  const ul = el("ul", "l2-ex__check-list");
  ul.append(...checks.map(checkItem));
  return ul;
}

// One row per way of failing: the first check that failed so, whole, then the names of
// the others that failed with the very same message.
function groupItem({ first, others }) {
  const item = checkItem(first);
  if (others.length) {
    const names = others.map((check) => check.name).join(", ");
    item.append(
      el("div", "l2-ex__check-message l2-ex__check-more", message("panel.same", { count: others.length, names })),
    );
  }
  return item;
}

// The failures, grouped, in view; every check, one by one, behind a disclosure.
function checksBlock(checks) {
  if (!checks) return null;
  const { all, passed, groups, total } = checks;
  const box = el("div", "l2-ex__checks");
  box.append(el("p", "l2-ex__label", message("panel.checks", { passed: passed.length, total })));
  if (groups.length) {
    const ul = el("ul", "l2-ex__check-list l2-ex__failures");
    ul.append(...groups.map(groupItem));
    box.append(ul);
  }
  const fold = el("details", "l2-ex__all-checks");
  fold.append(el("summary", null, message("panel.all", { total })), list(all));
  box.append(fold);
  return box;
}

function setFlag(node, name, value) {
  if (value) node.dataset[name] = value;
  else delete node.dataset[name];
}

/** Build an empty result panel; `show(description)` fills it in. */
export function createResultPanel() {
  const element = el("div", "l2-ex__result");
  const status = el("p", "l2-ex__headline");
  status.setAttribute("role", "status");
  const details = el("div", "l2-ex__details");
  element.append(status, details);

  function show(description) {
    const { verdict, run, word, headline } = description;
    const parts = [];
    if (word) {
      const icon = el("span", "l2-ex__icon", ICONS[verdict] || "");
      icon.setAttribute("aria-hidden", "true");
      parts.push(icon, " ", el("strong", null, word), " ");
    }
    parts.push(...withCode(headline));
    status.replaceChildren(...parts);
    status.classList.toggle("l2-ex__pending", !verdict && !run && Boolean(headline));
    setFlag(status, "verdict", verdict);
    setFlag(status, "run", run);
    setFlag(element, "verdict", verdict);
    details.replaceChildren(
      ...[
        ...description.details.map((sentence) => paragraph(sentence)),
        errorBlock(description.error),
        checksBlock(description.checks),
        outputBlock(description.stdout),
        description.note ? paragraph(description.note, "l2-ex__muted") : null,
      ].filter(Boolean),
    );
  }

  return { element, status, show };
}
