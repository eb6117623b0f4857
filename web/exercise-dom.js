// The exercise widget's DOM: small builders, and the layout the build's placeholder turns
// into (the parts web/exercise-widget.js and its helpers wire up).

import { message } from "./contract.js";
import { createDownloadBar } from "./exercise-progress.js";
import { createResultPanel } from "./exercise-result.js";

export const MOD = /Mac|iPhone|iPad/.test(navigator.platform || "") ? "Cmd" : "Ctrl";
let uid = 0;

export function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export const button = (label, className) => el("button", { type: "button", class: className }, label);

/**
 * Replace the placeholder `root` with the exercise's parts; returns them by name.
 * @param {HTMLElement} root
 * @param {{title: string}} data
 */
export function layout(root, data) {
  const n = ++uid;
  const helpId = `l2-ex-help-${n}`;
  const ui = {
    n,
    helpId,
    editorBox: el("div", { class: "l2-ex__editor" }),
    help: el("p", { class: "l2-ex__help", id: helpId }, message("widget.help", { mod: MOD })),
    runBtn: button(message("widget.run"), "l2-ex__run"),
    submitBtn: button(message("widget.submit"), "l2-ex__submit"),
    stopBtn: button(message("widget.stop"), "l2-ex__stop"),
    hintBtn: button(message("widget.hint"), "l2-ex__hint"),
    solutionBtn: button(message("widget.solution.show"), "l2-ex__show-solution"),
    resetBtn: button(message("widget.reset"), "l2-ex__reset"),
    // Python's loading progress, shown here; web/exercise.js announces it once per page.
    engine: el("span", { class: "l2-ex__engine" }),
    download: createDownloadBar(), // bytes of Python arrived, while they come
    toolbar: el("div", { class: "l2-ex__toolbar", role: "group", "aria-label": message("widget.toolbar") }),
    older: el("div", { class: "l2-ex__older" }),
    // Says when the code could not be saved, or came from another tab (role=alert: once).
    notice: el("div", { class: "l2-ex__notice", role: "alert" }),
    confirmBox: el("div", { class: "l2-ex__confirm", role: "group", hidden: "" }),
    hintsList: el("ol", { class: "l2-ex__hint-list" }),
    solutionBox: el("div", { class: "l2-ex__solution", hidden: "" }),
    result: createResultPanel(),
  };
  const { runBtn, submitBtn, stopBtn, hintBtn, solutionBtn, resetBtn, engine } = ui;
  ui.toolbar.append(runBtn, submitBtn, stopBtn, hintBtn, solutionBtn, resetBtn, engine, ui.download.element);
  root.replaceChildren(
    ui.notice,
    ui.older,
    ui.editorBox,
    ui.help,
    ui.toolbar,
    ui.confirmBox,
    ui.hintsList,
    ui.solutionBox,
    ui.result.element,
  );
  root.classList.add("l2-ex");
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", message("widget.label", { title: data.title }));
  return ui;
}
