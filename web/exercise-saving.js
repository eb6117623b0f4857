// The exercise's code and progress in this browser: nothing the learner typed is ever
// lost. Saves soon after an edit and before anything runs; takes in another tab's newer
// work (offering this tab's back); says when a save failed and offers the code to
// download; offers code saved for an older version of the exercise.

import { message } from "./contract.js";
import { button, el, MOD } from "./exercise-dom.js";
import { renderHints } from "./exercise-help.js";
import { describeSaved } from "./exercise-outcome.js";
import * as policy from "./exercise-policy.js";
import * as store from "./exercise-store.js";

const SAVE_DELAY_MS = 400;

// Unsaved edits are written out when the tab is hidden or left: one pair of listeners for
// the whole tab, each mounted exercise adding its flush while it is in the page.
const flushers = new Set();
const flushAll = () => {
  for (const flush of flushers) flush();
};
addEventListener("pagehide", flushAll);
document.addEventListener("visibilitychange", flushAll);

/** Save now; returns the store's outcome ({ok, savedAt} | {newer} | {error}). */
export function saveNow(w) {
  clearTimeout(w.saveTimer);
  w.saveTimer = null;
  const outcome = store.save(w.data.id, w.data.version, { code: w.editor.getCode(), ...w.state }, w.seen);
  if (outcome.ok) {
    w.seen = outcome.savedAt;
    if (w.ui.notice.dataset.kind === "failed") w.ui.notice.replaceChildren(); // saving works again
  } else if (outcome.newer) {
    adopt(w, outcome.newer); // another tab saved since: its work is not overwritten
  } else {
    saveFailed(w, outcome.error);
  }
  return outcome;
}

export function saveSoon(w) {
  if (w.adopting) return;
  clearTimeout(w.saveTimer);
  w.saveTimer = setTimeout(() => saveNow(w), SAVE_DELAY_MS);
}

/** Write out a pending edit at once when the tab is hidden or left; returns the undo. */
export function flushOnLeave(w) {
  const flush = () => w.saveTimer && saveNow(w);
  flushers.add(flush);
  return () => (flush(), flushers.delete(flush));
}

/** The saved verdict is for the code in the editor (not for code edited since). */
export const isCurrent = (w, s) => !s.gradedCode || s.gradedCode === store.fingerprint(w.editor.getCode());

/** Another tab saved this exercise: show its work, and offer this tab's back. */
function adopt(w, newer) {
  w.seen = newer.savedAt;
  const mine = w.editor.getCode();
  w.state = policy.initialState(newer, w.data.hints.length);
  w.root.dataset.failures = String(w.state.failures);
  renderHints(w);
  if (newer.code !== null && newer.code !== mine) {
    w.adopting = true;
    w.editor.replaceCode(newer.code);
    w.adopting = false;
    const restoreBtn = button(message("widget.restore.tab"), "l2-ex__restore-tab");
    w.ui.notice.replaceChildren(el("p", {}, message("save.other_tab")), restoreBtn);
    w.ui.notice.dataset.kind = "other-tab";
    restoreBtn.addEventListener("click", () => {
      w.editor.replaceCode(mine); // an edit like any other: saved, and Undo takes it back
      w.ui.notice.replaceChildren();
      w.editor.focus();
    });
  }
  if (w.state.verdict) w.ui.result.show(describeSaved(w.state.verdict, w.state.feedback, isCurrent(w, w.state)));
}

/** Follow saves made by other tabs; returns the unsubscribe function. */
export function watchOtherTabs(w) {
  return store.watch(w.data.id, w.data.version, (newer) => {
    if (newer.savedAt === w.seen) return;
    clearTimeout(w.saveTimer); // this tab's pending edit would overwrite it: it is offered instead
    w.saveTimer = null;
    adopt(w, newer);
  });
}

/** A save that failed: said in the widget, with the code to download. */
function saveFailed(w, reason) {
  const download = button(message("widget.download"), "l2-ex__download");
  w.ui.notice.replaceChildren(el("p", {}, message("save.failed", { reason: reason || "blocked" })), download);
  w.ui.notice.dataset.kind = "failed";
  download.addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([w.editor.getCode()], { type: "text/x-python" }));
    const link = el("a", { href: url, download: `${w.data.id}.py` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
}

/** Code from an older version of this exercise: offered, never loaded silently. */
export function offerOlderCode(w, saved) {
  const previous = saved.code === null ? store.olderCode(w.data.id, w.data.version)[0] : null;
  if (!previous) return;
  const restoreBtn = button(message("widget.restore.older"), "l2-ex__restore");
  w.ui.older.append(el("p", {}, message("widget.older")), restoreBtn);
  restoreBtn.addEventListener("click", () => {
    w.editor.replaceCode(previous.code);
    w.ui.older.replaceChildren(el("p", {}, message("widget.restored", { mod: MOD })));
    w.editor.focus();
  });
}
