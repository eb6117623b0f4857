// One coding exercise in the page: builds the editor, the buttons, the hints, the solution
// and the result panel from the build's placeholder, and wires them to the parts that do
// the work: the editor (exercise-editor.js), the Python runtime (exercise-runtime.js), the
// saved state (exercise-store.js), the help policy (exercise-policy.js), the outcome
// description (exercise-outcome.js) and its drawing (exercise-result.js).
// mountWidget(root, runtime) -> {destroy}; web/exercise.js mounts it.

import { tracked } from "./components.js";
import { mountCodeLink } from "./code-link.js";
import { LIMITS, message } from "./contract.js";
import { createEditor } from "./exercise-editor.js";
import { describeOutcome, describePending, describeSaved } from "./exercise-outcome.js";
import * as policy from "./exercise-policy.js";
import { createResultPanel } from "./exercise-result.js";
import * as store from "./exercise-store.js";

const SAVE_DELAY_MS = 400;
const MOD = /Mac|iPhone|iPad/.test(navigator.platform || "") ? "Cmd" : "Ctrl";
let uid = 0;

// Unsaved edits are written out when the tab is hidden or left: one pair of listeners for
// the whole tab, each mounted exercise adding its flush while it is in the page.
const flushers = new Set();
const flushAll = () => flushers.forEach((flush) => flush());
addEventListener("pagehide", flushAll);
document.addEventListener("visibilitychange", flushAll);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const button = (label, className) => el("button", { type: "button", class: className }, label);

/** The exercise data the build wrote (hooks/widgets.py), once, as JSON in a <template>. */
function readData(root) {
  return JSON.parse(root.querySelector("template.l2-exercise-data").content.textContent);
}

/** Replace the placeholder `root` with a working exercise; returns {destroy}. */
export function mountWidget(root, runtime) {
  const data = readData(root);
  const pyodideUrl = document.querySelector('meta[name="l2-pyodide-url"]')?.content;
  runtime.configure({ pyodideUrl });
  const saved = store.load(data.id, data.version);
  let state = policy.initialState(saved, data.hints.length);
  const n = ++uid;

  // --- DOM ---
  const helpId = `l2-ex-help-${n}`;
  const editorBox = el("div", { class: "l2-ex__editor" });
  const help = el(
    "p",
    { class: "l2-ex__help", id: helpId },
    "Tab moves to the next control until you type or click in the editor; then Tab " +
      `indents. To leave the editor, press Escape, then Tab. ${MOD}+Enter submits.`,
  );
  const runBtn = button("Run", "l2-ex__run");
  const submitBtn = button("Submit", "l2-ex__submit");
  const stopBtn = button("Stop", "l2-ex__stop");
  const hintBtn = button("Hint", "l2-ex__hint");
  const solutionBtn = button("Show solution", "l2-ex__show-solution");
  const resetBtn = button("Reset", "l2-ex__reset");
  // Python's loading progress, shown here; web/exercise.js announces it once per page.
  const engine = el("span", { class: "l2-ex__engine" });
  const toolbar = el("div", { class: "l2-ex__toolbar", role: "group", "aria-label": "Exercise actions" });
  toolbar.append(runBtn, submitBtn, stopBtn, hintBtn, solutionBtn, resetBtn, engine);
  const older = el("div", { class: "l2-ex__older" });
  // Says when the code could not be saved, or came from another tab (role=alert: once).
  const notice = el("div", { class: "l2-ex__notice", role: "alert" });
  const confirmBox = el("div", { class: "l2-ex__confirm", role: "group", hidden: "" });
  const hintsList = el("ol", { class: "l2-ex__hint-list" });
  const solutionBox = el("div", { class: "l2-ex__solution", hidden: "" });
  const result = createResultPanel();
  root.replaceChildren(notice, older, editorBox, help, toolbar, confirmBox, hintsList, solutionBox, result.element);
  root.classList.add("l2-ex");
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", `Exercise: ${data.title}`);

  // --- persistence: nothing the learner typed is ever lost ---
  let saveTimer = null;
  let seen = saved.savedAt; // the stored record this tab last wrote or read
  let adopting = false; // the editor is being given another tab's code: not an edit
  const saveNow = () => {
    clearTimeout(saveTimer);
    saveTimer = null;
    const outcome = store.save(data.id, data.version, { code: editor.getCode(), ...state }, seen);
    if (outcome.ok) {
      seen = outcome.savedAt;
      if (notice.dataset.kind === "failed") notice.replaceChildren(); // saving works again
    } else if (outcome.newer) {
      adopt(outcome.newer); // another tab saved since: its work is not overwritten
    } else {
      saveFailed(outcome.error);
    }
    return outcome;
  };
  const saveSoon = () => {
    if (adopting) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
  };
  const flush = () => saveTimer && saveNow();
  flushers.add(flush);

  const editor = createEditor({
    parent: editorBox,
    doc: saved.code ?? data.starter,
    label: `Python code for ${data.title}`,
    describedBy: helpId,
    onChange: saveSoon,
    onSubmit: () => submitBtn.disabled || go("grade"),
  });
  root.l2Editor = editor; // for scripts and tests: getCode(), replaceCode(code)
  const codeLink = mountCodeLink({ id: data.id, editor, root, editorBox }); // #code=... links

  // --- code from an older version of this exercise: offered, never loaded silently ---
  const previous = saved.code === null ? store.olderCode(data.id, data.version)[0] : null;
  if (previous) {
    const restoreBtn = button("Restore previous code", "l2-ex__restore");
    older.append(
      el("p", {}, "This exercise changed since you last worked on it, so it starts fresh. " +
        "Your earlier code is still saved in this browser."),
      restoreBtn,
    );
    restoreBtn.addEventListener("click", () => {
      editor.replaceCode(previous.code);
      older.replaceChildren(el("p", {}, `Restored. ${MOD}+Z undoes it.`));
      editor.focus();
    });
  }

  // --- another tab saved this exercise: show its work, offer this tab's back ---
  function adopt(newer) {
    seen = newer.savedAt;
    const mine = editor.getCode();
    state = policy.initialState(newer, data.hints.length);
    root.dataset.failures = String(state.failures);
    renderHints();
    if (newer.code !== null && newer.code !== mine) {
      adopting = true;
      editor.replaceCode(newer.code);
      adopting = false;
      const restoreBtn = button("Restore this tab's code", "l2-ex__restore-tab");
      notice.replaceChildren(el("p", {}, message("save.other_tab")), restoreBtn);
      notice.dataset.kind = "other-tab";
      restoreBtn.addEventListener("click", () => {
        editor.replaceCode(mine); // an edit like any other: saved, and Undo takes it back
        notice.replaceChildren();
        editor.focus();
      });
    }
    if (state.verdict) result.show(describeSaved(state.verdict, state.feedback, isCurrent(state)));
  }
  const unwatch = store.watch(data.id, data.version, (newer) => {
    if (newer.savedAt === seen) return;
    clearTimeout(saveTimer); // this tab's pending edit would overwrite it: it is offered instead
    saveTimer = null;
    adopt(newer);
  });
  const isCurrent = (s) => !s.gradedCode || s.gradedCode === store.fingerprint(editor.getCode());

  // --- a save that failed: said in the widget, with the code to download ---
  function saveFailed(reason) {
    const download = button("Download my code", "l2-ex__download");
    notice.replaceChildren(el("p", {}, message("save.failed", { reason: reason || "blocked" })), download);
    notice.dataset.kind = "failed";
    download.addEventListener("click", () => {
      const url = URL.createObjectURL(new Blob([editor.getCode()], { type: "text/x-python" }));
      const link = el("a", { href: url, download: `${data.id}.py` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
  }

  // --- confirm step (no window.confirm): a named group, its question as the name ---
  function ask(question, yesLabel, onYes) {
    const questionId = `l2-ex-confirm-${n}`;
    const yes = button(yesLabel, "l2-ex__confirm-yes");
    const no = button("Cancel", "l2-ex__confirm-no");
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
    no.addEventListener("click", () => (close(), editor.focus()));
    yes.focus();
  }

  // --- hints, one at a time; after a named mistake, its own hint first ---
  let mistakeHintShown = false; // until the next submission
  const hintItem = (label, html, className = "l2-ex__hint-item") => {
    const item = el("li", { class: className });
    const body = el("div", { class: "l2-ex__hint-body" });
    body.innerHTML = html; // trusted: rendered by the site build from the spec
    item.append(el("p", { class: "l2-ex__hint-label" }, label), body);
    return item;
  };
  function renderHints() {
    hintsList.replaceChildren();
    for (let i = 0; i < state.hints; i++) {
      hintsList.append(hintItem(`Hint (${i + 1} of ${data.hints.length})`, data.hints[i]));
    }
    const aboutMistake = policy.mistakeHint(state, data.mistakeHints);
    if (aboutMistake && mistakeHintShown) {
      const className = "l2-ex__hint-item l2-ex__hint-item--mistake";
      hintsList.append(hintItem("A hint about your last submission", aboutMistake, className));
    }
    const offered = Boolean(aboutMistake && !mistakeHintShown);
    const left = policy.hintsLeft(state, data.hints.length);
    hintBtn.disabled = left === 0 && !offered;
    hintBtn.title = offered
      ? "A hint about your last submission"
      : left > 0 ? `${left} hint${left === 1 ? "" : "s"} left` : "No more hints";
  }
  hintBtn.addEventListener("click", () => {
    const aboutMistake = Boolean(policy.mistakeHint(state, data.mistakeHints) && !mistakeHintShown);
    if (aboutMistake) {
      mistakeHintShown = true;
    } else {
      state = policy.withNextHint(state, data.hints.length);
      saveNow();
    }
    renderHints();
    // Focus the hint just revealed: the mistake's own (listed last), or the newest numbered one.
    const items = hintsList.querySelectorAll(".l2-ex__hint-item");
    const generic = hintsList.querySelectorAll(".l2-ex__hint-item:not(.l2-ex__hint-item--mistake)");
    const shown = aboutMistake ? items[items.length - 1] : generic[generic.length - 1];
    shown?.setAttribute("tabindex", "-1");
    shown?.focus();
  });

  // --- solution ---
  function showSolution() {
    const useBtn = button("Use this code", "l2-ex__use-solution");
    const hideBtn = button("Hide solution", "l2-ex__hide-solution");
    // The <pre> scrolls (not its <code>), so the keyboard can scroll what it focuses.
    const code = el("pre", {
      class: "l2-ex__solution-code", tabindex: "0", role: "region", "aria-label": "Reference solution",
    });
    code.append(el("code", { class: "language-python" }, data.solution));
    const actions = el("div", { class: "l2-ex__actions" });
    actions.append(useBtn, hideBtn);
    solutionBox.replaceChildren(el("p", { class: "l2-ex__label" }, "A reference solution:"), code, actions);
    solutionBox.hidden = false;
    useBtn.addEventListener("click", () => {
      editor.replaceCode(data.solution);
      solutionBox.append(el("p", { class: "l2-ex__muted" },
        `The solution is in the editor now. ${MOD}+Z brings your own code back.`));
      editor.focus();
    });
    hideBtn.addEventListener("click", () => ((solutionBox.hidden = true), solutionBtn.focus()));
    code.focus();
  }
  solutionBtn.addEventListener("click", () => {
    if (policy.solutionEarned(state)) return showSolution();
    ask(
      "Seeing the solution before you solve it takes away the practice. Show it anyway?",
      "Yes, show it",
      showSolution,
    );
  });

  // --- reset ---
  resetBtn.addEventListener("click", () => {
    ask(`Replace your code with the starter code? ${MOD}+Z undoes this.`, "Yes, start over", () => {
      editor.replaceCode(data.starter);
      editor.markLine(null);
      saveNow();
      editor.focus();
    });
  });

  // --- run / submit / stop ---
  let job = null;
  function setBusy(busy) {
    runBtn.disabled = busy;
    submitBtn.disabled = busy;
    stopBtn.disabled = !busy;
  }

  async function go(kind) {
    if (job) return;
    // Saved before anything runs; if another tab's newer work came in instead, the learner
    // sees it first (and can restore this tab's code) rather than having it graded unseen.
    if (saveNow().newer) return;
    editor.markLine(null);
    const busyText = message(kind === "grade" ? "checking" : "running");
    const loading = runtime.currentState().phase !== "ready";
    result.show(describePending(loading ? message("waiting") : busyText));
    setBusy(true);
    job = runtime.enqueue({
      kind,
      exercise: data.id,
      code: editor.getCode(),
      requires: data.requires, // Run needs numpy as much as Submit does
      timeLimit: LIMITS.time_limit_s * 1000,
      owner: root,
      onProgress: (text) => result.show(describePending(text)),
      onStart: () => result.show(describePending(busyText)),
    });
    const graded = store.fingerprint(editor.getCode());
    const outcome = await job.promise;
    job = null;
    setBusy(false);
    const description = describeOutcome(kind, outcome, data.id, data.requires);
    result.show(description);
    editor.markLine(description.line);
    if (description.record) {
      state = { ...policy.withSubmission(state, description.record), gradedCode: graded };
      root.dataset.failures = String(state.failures);
      saveNow();
      mistakeHintShown = false; // a new verdict: its own mistake hint, if any, is offered
      renderHints();
    }
  }

  runBtn.addEventListener("click", () => go("run"));
  submitBtn.addEventListener("click", () => go("grade"));
  stopBtn.addEventListener("click", () => job && job.cancel());

  // --- Python's loading state, shown beside the buttons ---
  const unfollow = tracked(
    runtime.onState(({ phase, text }) => {
      engine.textContent = phase === "ready" || phase === "idle" ? "" : text;
      toolbar.classList.toggle("is-loading", phase === "loading");
      root.dataset.python = phase;
    }),
  );

  setBusy(false);
  renderHints();
  root.dataset.failures = String(state.failures);
  if (state.verdict) result.show(describeSaved(state.verdict, state.feedback, isCurrent(state)));

  return {
    /** The page moved on: save, stop this exercise's job, and let go of everything. */
    destroy() {
      flush();
      flushers.delete(flush);
      unwatch();
      unfollow();
      if (job) job.cancel(); // a runaway loop left behind must not hold up the next page
      codeLink.destroy();
      editor.destroy();
    },
  };
}
