// One coding exercise in the page: the layout from the build's placeholder
// (exercise-dom.js), wired to the parts that do the work: the editor (exercise-editor.js),
// the Python runtime (exercise-runtime.js), saving (exercise-saving.js, over
// exercise-store.js), hints, solution and reset (exercise-help.js, exercise-policy.js),
// the outcome description (exercise-outcome.js) and its drawing (exercise-result.js).
// mountWidget(root, runtime) -> {destroy}; web/exercise.js mounts it.
//
// The widget's parts share one record, `w`: {root, runtime, data, ui, editor, state,
// seen, saveTimer, adopting, job, mistakeHintShown, save()}.

import { mountCodeLink } from "./code-link.js";
import { tracked } from "./components.js";
import { LIMITS, message } from "./contract.js";
import { layout } from "./exercise-dom.js";
import { createEditor } from "./exercise-editor.js";
import { renderHints, wireHelp } from "./exercise-help.js";
import { describeOutcome, describePending, describeSaved } from "./exercise-outcome.js";
import * as policy from "./exercise-policy.js";
import * as saving from "./exercise-saving.js";
import * as store from "./exercise-store.js";

/** The exercise data the build wrote (hooks/widgets.py), once, as JSON in a <template>. */
function readData(root) {
  return JSON.parse(root.querySelector("template.l2-exercise-data").content.textContent);
}

// A disabled button loses focus to <body>: focus moves to the button that takes over
// (Stop while busy, the starting button after), so the keyboard stays in the exercise.
function setBusy({ ui }, busy, starter = ui.submitBtn) {
  const focused = document.activeElement;
  ui.runBtn.disabled = busy;
  ui.submitBtn.disabled = busy;
  ui.stopBtn.disabled = !busy;
  if (busy && (focused === ui.runBtn || focused === ui.submitBtn)) ui.stopBtn.focus();
  if (!busy && focused === ui.stopBtn) starter.focus();
}

/** Run or grade the editor's code ("run" | "grade"), and show what came of it. */
async function go(w, kind) {
  if (w.job) return;
  // Saved before anything runs; if another tab's newer work came in instead, the learner
  // sees it first (and can restore this tab's code) rather than having it graded unseen.
  if (w.save().newer) return;
  const { ui, editor, data } = w;
  editor.markLine(null);
  const busyText = message(kind === "grade" ? "checking" : "running");
  const loading = w.runtime.currentState().phase !== "ready";
  ui.result.show(describePending(loading ? message("waiting") : busyText));
  const starter = kind === "grade" ? ui.submitBtn : ui.runBtn;
  setBusy(w, true, starter);
  w.job = w.runtime.enqueue({
    kind,
    exercise: data.id,
    code: editor.getCode(),
    requires: data.requires, // Run needs numpy as much as Submit does
    timeLimit: LIMITS.time_limit_s * 1000,
    owner: w.root,
    onProgress: (text) => ui.result.show(describePending(text)),
    onStart: () => ui.result.show(describePending(busyText)),
  });
  const graded = store.fingerprint(editor.getCode());
  const outcome = await w.job.promise;
  w.job = null;
  setBusy(w, false, starter);
  const description = describeOutcome(kind, outcome, data.id, data.requires);
  ui.result.show(description);
  editor.markLine(description.line);
  if (description.record) record(w, description.record, graded);
}

/** A verdict: counted, saved with the code it graded, and its mistake hint offered. */
function record(w, verdict, graded) {
  w.state = { ...policy.withSubmission(w.state, verdict), gradedCode: graded };
  w.root.dataset.failures = String(w.state.failures);
  w.save();
  w.mistakeHintShown = false; // a new verdict: its own mistake hint, if any, is offered
  renderHints(w);
}

/** Python's loading state, shown beside the buttons; returns the unsubscribe function. */
function followPython({ root, runtime, ui }) {
  return tracked(
    runtime.onState((state) => {
      const { phase, text } = state;
      ui.download.show(state); // bytes of Python arrived, while they come
      ui.engine.textContent = phase === "ready" || phase === "idle" ? "" : text;
      ui.toolbar.classList.toggle("is-loading", phase === "loading");
      root.dataset.python = phase;
    }),
  );
}

/** Replace the placeholder `root` with a working exercise; returns {destroy}. */
export function mountWidget(root, runtime) {
  const data = readData(root);
  const saved = store.load(data.id, data.version);
  const w = { root, runtime, data, ui: layout(root, data), state: policy.initialState(saved, data.hints.length) };
  Object.assign(w, { seen: saved.savedAt, saveTimer: null, adopting: false, job: null, mistakeHintShown: false });
  w.save = () => saving.saveNow(w);
  w.editor = createEditor({
    parent: w.ui.editorBox,
    doc: saved.code ?? data.starter,
    label: message("widget.editor", { title: data.title }),
    describedBy: w.ui.helpId,
    onChange: () => saving.saveSoon(w),
    onSubmit: () => w.ui.submitBtn.disabled || go(w, "grade"),
  });
  root.l2Editor = w.editor; // for scripts and tests: getCode(), replaceCode(code)
  const codeLink = mountCodeLink({ id: data.id, editor: w.editor, root, editorBox: w.ui.editorBox }); // #code=... links
  const unflush = saving.flushOnLeave(w);
  saving.offerOlderCode(w, saved);
  const unwatch = saving.watchOtherTabs(w);
  wireHelp(w);
  w.ui.runBtn.addEventListener("click", () => go(w, "run"));
  w.ui.submitBtn.addEventListener("click", () => go(w, "grade"));
  w.ui.stopBtn.addEventListener("click", () => w.job?.cancel());
  const unfollow = followPython(w);
  setBusy(w, false);
  renderHints(w);
  root.dataset.failures = String(w.state.failures);
  if (w.state.verdict) w.ui.result.show(describeSaved(w.state.verdict, w.state.feedback, saving.isCurrent(w, w.state)));
  return {
    /** The page moved on: save, stop this exercise's job, and let go of everything. */
    destroy() {
      unflush();
      unwatch();
      unfollow();
      if (w.job) w.job.cancel(); // a runaway loop left behind must not hold up the next page
      codeLink.destroy();
      w.editor.destroy();
    },
  };
}
