"""The texts the page's JavaScript writes come from the catalogue, in the site's language.

One exercise page and the recap page of the pseudo-language build (``pseudo_site`` in
tests/conftest.py; its HTML is scanned by tests/test_pseudo_locale.py) are walked: the
widgets' buttons and labels, a question's feedback, the progress overview.
"""

from __future__ import annotations

import re

import pytest

from .helpers import mounted

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_python")]

WRAPPED = re.compile(r"(?:\s*⟦.*?⟧\s*)+", re.DOTALL)
# Every text the course's scripts wrote: buttons, live regions, labels (content excluded:
# the lesson, the question's prompt and options, the exercise's code).
TEXTS = """([texts, labels]) => {
  const out = [];
  for (const node of document.querySelectorAll(texts)) {
    const text = node.innerText.trim();
    if (text) out.push(text);
  }
  for (const node of document.querySelectorAll(labels)) {
    for (const name of ["aria-label", "title"]) {
      if (node.getAttribute(name)) out.push(node.getAttribute(name));
    }
  }
  return out;
}"""
WIDGET = [
    ", ".join([
        "[data-exercise] button", "[data-exercise] [role=status]", "[data-exercise] .l2-ex__help",
        "[data-exercise] .l2-ex__hint-label", ".l2-question button",
        ".l2-question [role=status]", ".l2-question .l2-option-mark", ".l2-page-reset button",
    ]),
    "[data-exercise], [data-exercise] *, .l2-question *",
]
PROGRESS = [
    ", ".join([
        ".l2-progress-summary", ".l2-progress-count", ".l2-progress-time",
        ".l2-progress-label", ".l2-progress-status", ".l2-progress-page button",
    ]),
    ".l2-progress *",
]


def _unwrapped(texts: list[str]) -> list[str]:
    return [text for text in texts if not WRAPPED.fullmatch(text)]


def test_the_widgets_questions_and_progress_speak_the_sites_language(page, pseudo_site):
    ex_id = "l2-penalty"
    html = (pseudo_site.dir / "l2-regularization" / "index.html").read_text(encoding="utf-8")
    assert f'data-exercise="{ex_id}"' in html and 'class="l2-question"' in html
    page.goto(pseudo_site.url + "l2-regularization/")
    exercise = mounted(page, ex_id)
    exercise.locator(".l2-ex__hint").click()  # a hint's title
    question = page.locator(".l2-question").first
    question.locator(".l2-question-check").click()  # no answer yet
    assert question.get_by_role("status").inner_text().startswith("⟦")
    question.locator("input").first.check()
    question.locator(".l2-question-check").click()
    page.wait_for_function("document.querySelector('.l2-question [role=status]').dataset.verdict")
    texts = page.evaluate(TEXTS, WIDGET)
    assert "⟦Submit⟧" in texts and any(t.startswith("⟦Hint (") for t in texts), texts
    assert _unwrapped(texts) == []

    page.goto(pseudo_site.url + "recap/")
    page.wait_for_selector(".l2-progress-status")
    texts = page.evaluate(TEXTS, PROGRESS)
    assert any(t.startswith("⟦⟦Question⟧") for t in texts), texts
    assert _unwrapped(texts) == []


# What the explorables write: readouts, control names and values, buttons, each drawing's
# name and its axis names and words (not its numbers, nor legends that are only formulas).
EXPLORABLE = """(root) => {
  const out = [];
  const written = ".l2-x-readout, .l2-x-result, .l2-x-control label, button";
  for (const node of root.querySelectorAll(written)) {
    const text = node.innerText.trim();
    if (text) out.push(text);
  }
  for (const node of root.querySelectorAll("svg text")) {
    const text = node.textContent.trim();
    if (/[a-z]{4,}/i.test(text) && !text.startsWith("‖w‖")) out.push(text);
  }
  for (const node of root.querySelectorAll("svg[aria-label], input[aria-valuetext]")) {
    out.push(node.getAttribute("aria-label") || node.getAttribute("aria-valuetext"));
  }
  return out;
}"""


@pytest.mark.parametrize("name, path, label", [
    ("lambda", "regularization-rate/", "⟦Hide the answer and try again⟧"),
    ("l1-l2", "l2-regularization/", "⟦Pull of the data a⟧"),
    ("early-stopping", "early-stopping/", "⟦Patience⟧"),
])
def test_the_explorables_speak_the_sites_language(page, pseudo_site, name, path, label):
    page.goto(pseudo_site.url + path)
    root = page.locator(f'.l2-explorable[data-explorable="{name}"]')
    page.wait_for_selector(f'.l2-explorable[data-explorable="{name}"][data-l2-mounted="yes"]')
    if name == "lambda":
        root.locator(".l2-x-commit").click()  # the result and the revealed curve's words
    texts = root.evaluate(EXPLORABLE)
    assert label in texts and len(texts) >= 8, texts
    assert _unwrapped(texts) == []


def test_a_prediction_speaks_the_sites_language(page, pseudo_site):
    page.goto(pseudo_site.url + "early-stopping/")
    block = page.locator(".l2-predict").first
    block.locator(".l2-predict-option").first.click()
    said = block.locator(".l2-predict-said").inner_text()
    assert said.startswith("⟦You predicted") and said.endswith("The figure is below.⟧"), said
