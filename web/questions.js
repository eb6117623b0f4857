// Multiple-choice self-checks rendered by the build (hooks/widgets.py): a <form> with
// data-question, native inputs, one explanation per option, a Check button and a status
// region. Checking compares the selection with the options' data-correct flags: this is a
// self-check, there is nothing to keep secret. Only fixed strings are written as text.
// Mounted by web/page.js (see web/components.js): mountQuestion(form) -> {destroy}.

import { message } from "./contract.js";

const STORAGE_PREFIX = "l2-course:question:";

function optionsOf(form) {
  return [...form.querySelectorAll(".l2-option")].map((element) => ({
    element,
    input: element.querySelector("input"),
    why: element.querySelector(".l2-option-why"),
    mark: element.querySelector(".l2-option-mark"),
    correct: element.dataset.correct === "true",
  }));
}

function storageKey(form) {
  return STORAGE_PREFIX + form.dataset.question;
}

function save(form, selected, verdict) {
  try {
    const record = { version: form.dataset.version, selected, verdict };
    localStorage.setItem(storageKey(form), JSON.stringify(record));
  } catch {
    // Storage full or disabled: the check still works, it is just not remembered.
  }
}

// A stored answer is used only if it is well formed and for this version of the question.
function load(form, count) {
  let record;
  try {
    record = JSON.parse(localStorage.getItem(storageKey(form)) ?? "null");
  } catch {
    return null;
  }
  const valid =
    record !== null &&
    typeof record === "object" &&
    record.version === form.dataset.version &&
    (record.verdict === "pass" || record.verdict === "fail") &&
    Array.isArray(record.selected) &&
    record.selected.length > 0 &&
    record.selected.every((i) => Number.isInteger(i) && i >= 0 && i < count);
  if (!valid) {
    try {
      localStorage.removeItem(storageKey(form));
    } catch {
      // ignore
    }
    return null;
  }
  return record;
}

function show(form, options, selected) {
  const status = form.querySelector('[role="status"]');
  if (selected.length === 0) {
    delete status.dataset.verdict;
    status.textContent = message("question.empty");
    return null;
  }
  const passed = options.every((option, i) => option.correct === selected.includes(i));
  const verdict = passed ? "pass" : "fail";
  status.dataset.verdict = verdict;
  status.textContent = message(passed ? "question.pass" : "question.fail");
  options.forEach((option, i) => {
    // Explanations of the chosen options; all of them once the answer is right.
    const reveal = passed || selected.includes(i);
    option.why.hidden = !reveal;
    option.element.dataset.state = reveal ? (option.correct ? "right" : "wrong") : "";
    if (option.mark) {
      option.mark.textContent = message(option.correct ? "question.right" : "question.wrong");
    }
    // A screen reader reads an option's explanation with it, once it can be seen.
    if (reveal) option.input.setAttribute("aria-describedby", option.why.id);
    else option.input.removeAttribute("aria-describedby");
  });
  return verdict;
}

function selection(options) {
  return options.flatMap((option, i) => (option.input.checked ? [i] : []));
}

/** Wire one question form; its listeners live on the form, so they go with it. */
export function mountQuestion(form) {
  const options = optionsOf(form);
  const check = () => {
    const selected = selection(options);
    const verdict = show(form, options, selected);
    if (verdict) save(form, selected, verdict);
  };
  const button = form.querySelector(".l2-question-check");
  // Enter in the form (implicit submission) checks the answer; it never navigates.
  const submit = (event) => {
    event.preventDefault();
    check();
  };
  button.addEventListener("click", check);
  form.addEventListener("submit", submit);
  const stored = load(form, options.length);
  if (stored) {
    options.forEach((option, i) => {
      option.input.checked = stored.selected.includes(i);
    });
    show(form, options, stored.selected);
  }
  form.dataset.wired = "";
  return {
    destroy() {
      button.removeEventListener("click", check);
      form.removeEventListener("submit", submit);
    },
  };
}
