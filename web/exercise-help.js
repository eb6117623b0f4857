// The exercise's help: hints one at a time (after a named mistake, its own hint first),
// the reference solution, and Reset, each that takes something away behind a confirm step.

import { message } from "./contract.js";
import { button, el, MOD } from "./exercise-dom.js";
import * as policy from "./exercise-policy.js";

/** A confirm step (no window.confirm): a named group, its question as the name. */
function ask(w, question, yesLabel, onYes) {
  const { confirmBox, n } = w.ui;
  const questionId = `l2-ex-confirm-${n}`;
  const yes = button(yesLabel, "l2-ex__confirm-yes");
  const no = button(message("widget.confirm.cancel"), "l2-ex__confirm-no");
  const actions = el("div", { class: "l2-ex__actions" });
  actions.append(yes, no);
  confirmBox.replaceChildren(el("p", { id: questionId }, question), actions);
  confirmBox.setAttribute("aria-labelledby", questionId);
  confirmBox.hidden = false;
  const close = () => {
    confirmBox.hidden = true;
    confirmBox.replaceChildren();
  };
  yes.addEventListener("click", () => (close(), onYes()));
  no.addEventListener("click", () => (close(), w.editor.focus()));
  yes.focus();
}

function hintItem(label, html, className = "l2-ex__hint-item") {
  const item = el("li", { class: className });
  const body = el("div", { class: "l2-ex__hint-body" });
  body.innerHTML = html; // trusted: rendered by the site build from the spec
  item.append(el("p", { class: "l2-ex__hint-label" }, label), body);
  return item;
}

/** The hints shown so far, and what the Hint button offers next. */
export function renderHints(w) {
  const { data, state, ui } = w;
  ui.hintsList.replaceChildren();
  for (let i = 0; i < state.hints; i++) {
    ui.hintsList.append(hintItem(message("widget.hint.title", { n: i + 1, total: data.hints.length }), data.hints[i]));
  }
  const aboutMistake = policy.mistakeHint(state, data.mistakeHints);
  if (aboutMistake && w.mistakeHintShown) {
    const className = "l2-ex__hint-item l2-ex__hint-item--mistake";
    ui.hintsList.append(hintItem(message("widget.hint.mistake"), aboutMistake, className));
  }
  const offered = Boolean(aboutMistake && !w.mistakeHintShown);
  const left = policy.hintsLeft(state, data.hints.length);
  ui.hintBtn.disabled = left === 0 && !offered;
  ui.hintBtn.title = offered
    ? message("widget.hint.mistake")
    : left > 0
      ? message(left === 1 ? "widget.hints.left.one" : "widget.hints.left.other", { count: left })
      : message("widget.hints.none");
}

function showNextHint(w) {
  const aboutMistake = Boolean(policy.mistakeHint(w.state, w.data.mistakeHints) && !w.mistakeHintShown);
  if (aboutMistake) {
    w.mistakeHintShown = true;
  } else {
    w.state = policy.withNextHint(w.state, w.data.hints.length);
    w.save();
  }
  renderHints(w);
  // Focus the hint just revealed: the mistake's own (listed last), or the newest numbered one.
  const list = w.ui.hintsList;
  const items = list.querySelectorAll(".l2-ex__hint-item");
  const generic = list.querySelectorAll(".l2-ex__hint-item:not(.l2-ex__hint-item--mistake)");
  const shown = aboutMistake ? items[items.length - 1] : generic[generic.length - 1];
  shown?.setAttribute("tabindex", "-1");
  shown?.focus();
}

function showSolution(w) {
  const { solutionBox, solutionBtn } = w.ui;
  // Recorded before it shows: the work file tells a teacher the solution was seen.
  const seen = policy.withSolutionShown(w.state);
  if (seen !== w.state) {
    w.state = seen;
    w.save();
  }
  const useBtn = button(message("widget.solution.use"), "l2-ex__use-solution");
  const hideBtn = button(message("widget.solution.hide"), "l2-ex__hide-solution");
  // The <pre> scrolls (not its <code>), so the keyboard can scroll what it focuses.
  const code = el("pre", {
    class: "l2-ex__solution-code",
    tabindex: "0",
    role: "region",
    "aria-label": message("widget.solution.label"),
  });
  code.append(el("code", { class: "language-python" }, w.data.solution));
  const actions = el("div", { class: "l2-ex__actions" });
  actions.append(useBtn, hideBtn);
  solutionBox.replaceChildren(el("p", { class: "l2-ex__label" }, message("widget.solution.title")), code, actions);
  solutionBox.hidden = false;
  useBtn.addEventListener("click", () => {
    w.editor.replaceCode(w.data.solution);
    solutionBox.append(el("p", { class: "l2-ex__muted" }, message("widget.solution.used", { mod: MOD })));
    w.editor.focus();
  });
  hideBtn.addEventListener("click", () => {
    solutionBox.hidden = true;
    solutionBtn.focus();
  });
  code.focus();
}

/** Wire Hint, Show solution and Reset. */
export function wireHelp(w) {
  w.ui.hintBtn.addEventListener("click", () => showNextHint(w));
  w.ui.solutionBtn.addEventListener("click", () => {
    if (policy.solutionEarned(w.state)) return showSolution(w);
    ask(w, message("widget.confirm.solution"), message("widget.confirm.solution.yes"), () => showSolution(w));
  });
  w.ui.resetBtn.addEventListener("click", () => {
    ask(w, message("widget.confirm.reset", { mod: MOD }), message("widget.confirm.reset.yes"), () => {
      w.editor.replaceCode(w.data.starter);
      w.editor.markLine(null);
      w.save();
      w.editor.focus();
    });
  });
}
