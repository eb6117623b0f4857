// "Predict before you look" (lesson pages): a one-click prediction, then the figure. The
// Markdown holds everything (question, options as a list, the figure and its reading in
// .l2-predict-reveal, the key in data-answer, 1-based), so without JavaScript the page
// simply shows it all; here the list becomes buttons and the figure waits for a choice.

import { message } from "./contract.js";
import { html } from "./explorable-kit.js";

let count = 0;

export function mount(root) {
  const question = root.querySelector(":scope > .l2-predict-question");
  const list = root.querySelector(":scope > ol");
  const reveal = root.querySelector(":scope > .l2-predict-reveal");
  if (!question || !list || !reveal) throw new Error("a prediction needs a question, options and a reveal");
  const answer = Number(root.dataset.answer) - 1;
  const texts = [...list.children].map((item) => item.textContent.trim());
  if (!(answer >= 0 && answer < texts.length)) throw new Error(`data-answer out of range`);
  count += 1;
  question.id ||= `l2-predict-${count}`;

  const group = html("div", { class: "l2-predict-options", role: "group", "aria-labelledby": question.id });
  const said = html("p", { class: "l2-predict-said", role: "status", "aria-live": "polite" });
  const buttons = texts.map((label, index) => {
    const button = html("button", { type: "button", class: "l2-predict-option", "aria-pressed": "false" }, label);
    button.addEventListener("click", () => choose(index));
    return button;
  });
  group.append(...buttons);

  function choose(index) {
    for (const [k, button] of buttons.entries()) {
      button.setAttribute("aria-pressed", String(k === index));
      button.dataset.state = k === answer ? "answer" : k === index ? "chosen" : "";
    }
    const verdict =
      index === answer
        ? message("explorable.predict.right")
        : message("explorable.predict.wrong", { answer: texts[answer] });
    said.textContent = message("explorable.predict.said", { choice: texts[index], verdict });
    root.dataset.predicted = String(index + 1);
    reveal.hidden = false;
  }

  list.replaceWith(group);
  group.after(said);
  reveal.hidden = true;
  return () => {
    group.replaceWith(list);
    said.remove();
    reveal.hidden = false;
    delete root.dataset.predicted;
  };
}
