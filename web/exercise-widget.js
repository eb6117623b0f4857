// One coding exercise in the page: editor, buttons, hints, solution and the result panel.
// Built from the placeholder the site build emits (see mount()), idempotent per element.

import { createEditor } from "./exercise-editor.js";
import {
  showGrade,
  showMessage,
  showPending,
  showRun,
  showRunMessage,
  showSaved,
} from "./exercise-result.js";
import { LIMITS, message, secondsText } from "./contract.js";
import * as runtime from "./exercise-runtime.js";
import * as store from "./exercise-store.js";

const SAVE_DELAY_MS = 400;
const FAILURES_BEFORE_SOLUTION = 3;
const MOD = /Mac|iPhone|iPad/.test(navigator.platform || "") ? "Cmd" : "Ctrl";
let uid = 0;

// Unsaved edits are written out when the tab is hidden or left, whichever page they are on.
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

// The build's JSON: in <script type="application/json"> or <template>. Material's instant
// navigation re-creates inline scripts without their attributes, so a bare <script> child
// holding the JSON is accepted too.
function dataText(root) {
  const holder =
    root.querySelector(".l2-exercise-data") ||
    [...root.querySelectorAll(":scope > script:not([src])")].find((s) => s.textContent.trim().startsWith("{"));
  if (!holder) return "";
  return holder instanceof HTMLTemplateElement ? holder.content.textContent : holder.textContent;
}

/** Read and check the exercise data the build put in the placeholder; null if unusable. */
function readData(root) {
  try {
    const data = JSON.parse(dataText(root));
    const ok = data && data.id === root.dataset.exercise && typeof data.starter === "string";
    if (!ok) return null;
    return {
      id: data.id,
      title: typeof data.title === "string" ? data.title : data.id,
      version: String(root.dataset.version || data.version || "0"),
      starter: data.starter,
      solution: typeof data.solution === "string" ? data.solution : "",
      hints: Array.isArray(data.hints) ? data.hints.filter((h) => typeof h === "string") : [],
      requires: Array.isArray(data.requires) ? data.requires.filter((r) => typeof r === "string") : [],
    };
  } catch {
    return null;
  }
}

function pyodideUrlFor(root) {
  const meta = document.querySelector('meta[name="l2-pyodide-url"]');
  return root.dataset.pyodideUrl || (meta && meta.content) || "";
}

/** Replace the placeholder `root` with a working exercise. */
export function mount(root) {
  const data = readData(root);
  if (!data) {
    root.prepend(el("p", { class: "l2-ex__broken" }, "This exercise could not be loaded."));
    return;
  }
  runtime.configure({ pyodideUrl: pyodideUrlFor(root) });
  const timeLimit = LIMITS.time_limit_s * 1000;
  const saved = store.load(data.id, data.version);
  const state = {
    hints: Math.min(saved.hints, data.hints.length),
    verdict: saved.verdict,
    feedback: saved.feedback,
    failures: saved.failures,
  };
  const n = ++uid;

  // --- DOM ---
  const helpId = `l2-ex-help-${n}`;
  const editorBox = el("div", { class: "l2-ex__editor" });
  const help = el(
    "p",
    { class: "l2-ex__help", id: helpId },
    `Tab indents. To leave the editor with the keyboard, press Escape, then Tab. ${MOD}+Enter submits.`,
  );
  const runBtn = button("Run", "l2-ex__run");
  const submitBtn = button("Submit", "l2-ex__submit");
  const stopBtn = button("Stop", "l2-ex__stop");
  const hintBtn = button("Hint", "l2-ex__hint");
  const solutionBtn = button("Show solution", "l2-ex__show-solution");
  const resetBtn = button("Reset", "l2-ex__reset");
  const engine = el("span", { class: "l2-ex__engine", "aria-live": "polite" });
  const toolbar = el("div", { class: "l2-ex__toolbar", role: "group", "aria-label": "Exercise actions" });
  toolbar.append(runBtn, submitBtn, stopBtn, hintBtn, solutionBtn, resetBtn, engine);
  const older = el("div", { class: "l2-ex__older" });
  const confirmBox = el("div", { class: "l2-ex__confirm", role: "group", hidden: "" });
  const hintsBox = el("div", { class: "l2-ex__hints" });
  const hintsList = el("ol", { class: "l2-ex__hint-list" });
  hintsBox.append(hintsList);
  const solutionBox = el("div", { class: "l2-ex__solution", hidden: "" });
  const result = el("div", { class: "l2-ex__result", role: "status", "aria-live": "polite" });
  root.replaceChildren(older, editorBox, help, toolbar, confirmBox, hintsBox, solutionBox, result);
  root.classList.add("l2-ex");
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", `Exercise: ${data.title}`);

  // --- persistence: nothing the learner typed is ever lost ---
  let saveTimer = null;
  const saveNow = () => {
    clearTimeout(saveTimer);
    saveTimer = null;
    store.save(data.id, data.version, { code: editor.getCode(), ...state });
  };
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
  };
  flushers.add(() => saveTimer && saveNow());

  const editor = createEditor({
    parent: editorBox,
    doc: saved.code ?? data.starter,
    label: `Python code for ${data.title}`,
    describedBy: helpId,
    onChange: saveSoon,
    onSubmit: () => submitBtn.disabled || go("grade"),
  });
  root.l2Editor = editor; // for scripts and tests: getCode(), replaceCode(code)

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

  // --- confirm step (no window.confirm) ---
  function ask(question, yesLabel, onYes) {
    const yes = button(yesLabel, "l2-ex__confirm-yes");
    const no = button("Cancel", "l2-ex__confirm-no");
    confirmBox.replaceChildren(el("p", {}, question), yes, no);
    confirmBox.hidden = false;
    const close = () => {
      confirmBox.hidden = true;
      confirmBox.replaceChildren();
    };
    yes.addEventListener("click", () => (close(), onYes()));
    no.addEventListener("click", () => (close(), editor.focus()));
    yes.focus();
  }

  // --- hints, one at a time ---
  function renderHints() {
    hintsList.replaceChildren();
    for (let i = 0; i < state.hints; i++) {
      const item = el("li", { class: "l2-ex__hint-item" });
      const label = el("p", { class: "l2-ex__hint-label" }, `Hint (${i + 1} of ${data.hints.length})`);
      const body = el("div", { class: "l2-ex__hint-body" });
      body.innerHTML = data.hints[i]; // trusted: rendered by the site build from the spec
      item.append(label, body);
      hintsList.append(item);
    }
    const left = data.hints.length - state.hints;
    hintBtn.disabled = left <= 0;
    hintBtn.title = left > 0 ? `${left} hint${left === 1 ? "" : "s"} left` : "No more hints";
  }
  hintBtn.addEventListener("click", () => {
    if (state.hints >= data.hints.length) return;
    state.hints += 1;
    renderHints();
    saveNow();
    hintsList.lastElementChild?.setAttribute("tabindex", "-1");
    hintsList.lastElementChild?.focus();
  });

  // --- solution ---
  const solutionUnlocked = () =>
    state.verdict === "pass" || state.failures >= FAILURES_BEFORE_SOLUTION;
  function showSolution() {
    const useBtn = button("Use this code", "l2-ex__use-solution");
    const hideBtn = button("Hide solution", "l2-ex__hide-solution");
    const code = el("pre", { class: "l2-ex__solution-code", tabindex: "0" });
    code.append(el("code", { class: "language-python" }, data.solution));
    solutionBox.replaceChildren(el("p", { class: "l2-ex__label" }, "A reference solution:"), code, useBtn, hideBtn);
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
    if (!data.solution) return;
    if (solutionUnlocked()) return showSolution();
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
  setBusy(false);

  function record(verdict, feedback, countsAsFailure) {
    state.verdict = verdict;
    state.feedback = feedback || "";
    if (countsAsFailure) state.failures += 1;
    root.dataset.failures = String(state.failures);
    saveNow();
  }

  async function go(kind) {
    if (job) return;
    saveNow(); // before anything runs
    editor.markLine(null);
    const code = editor.getCode();
    const loading = runtime.currentState().phase !== "ready";
    const busyText = message(kind === "grade" ? "checking" : "running");
    showPending(result, loading ? message("waiting") : busyText);
    setBusy(true);
    job = runtime.enqueue({
      kind,
      exercise: data.id,
      code,
      requires: data.requires, // Run needs numpy as much as Submit does
      timeLimit,
      owner: root,
      onProgress: (text) => showPending(result, text),
      onStart: () => showPending(result, busyText),
    });
    const outcome = await job.promise;
    job = null;
    setBusy(false);
    finish(kind, outcome);
  }

  function finish(kind, outcome) {
    if (outcome.outcome === "result") {
      const line = kind === "grade" ? showGrade(result, outcome.result) : showRun(result, outcome.result);
      editor.markLine(line);
      if (kind === "grade") {
        const verdict = result.dataset.verdict;
        record(verdict, outcome.result.feedback, verdict !== "pass");
      }
      return;
    }
    if (outcome.outcome === "timeout" || outcome.outcome === "stopped") {
      const sentence = outcome.outcome === "timeout"
        ? message("timeout", { seconds: secondsText(LIMITS.time_limit_s) })
        : message("stopped");
      if (kind === "grade") {
        showMessage(result, "timeout", sentence);
        record("timeout", sentence, outcome.outcome === "timeout");
      } else {
        showRunMessage(result, "timeout", sentence);
      }
      return;
    }
    if (outcome.outcome === "packages") {
      const sentence = message("packages", { packages: outcome.packages.join(", "), url: outcome.url });
      const details = [message("packages.detail", { exercise: data.id })];
      if (kind === "grade") showMessage(result, "error", sentence, details);
      else showRunMessage(result, "error", sentence, details);
      return;
    }
    const sentence = message("startup", { reason: outcome.message });
    if (kind === "grade") showMessage(result, "error", sentence);
    else showRunMessage(result, "error", sentence);
  }

  runBtn.addEventListener("click", () => go("run"));
  submitBtn.addEventListener("click", () => go("grade"));
  stopBtn.addEventListener("click", () => job && job.cancel());

  // --- Python's loading state, shown beside the buttons ---
  const unfollow = runtime.onState(({ phase, text }) => {
    if (!root.isConnected && unfollow) return unfollow();
    engine.textContent = phase === "ready" || phase === "idle" ? "" : text;
    toolbar.classList.toggle("is-loading", phase === "loading");
    root.dataset.python = phase;
  });

  renderHints();
  root.dataset.failures = String(state.failures);
  if (state.verdict) showSaved(result, state.verdict, state.feedback);
}
