"""Turn one exercise or question into what the page carries (Markdown and HTML).

The HTML here is the contract with the front-end (web/exercise*.js, web/questions.js) and
with the browser tests: class names and data attributes are part of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from typing import Any

from grader.contract import message
from grader.questions import Question, question_version

__all__ = ["exercise_html", "question_html", "question_version", "script_json"]

ToHtml = Callable[[str], str]
_SINGLE_PARAGRAPH = re.compile(r"^<p>(?P<inner>(?:(?!</?p>).)*)</p>$", re.DOTALL)


def script_json(data: Any) -> str:
    """JSON that is safe as raw HTML text (or in a ``<script>``): no ``<``, ``>``, ``&``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _attrs(**attrs: str) -> str:
    return "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())


def _text(key: str, **html: str) -> str:
    """The catalogue's sentence ``key`` as HTML text, its placeholders filled with ``html``
    (markup the build made, such as a ``<code>``), not escaped."""
    marks = {name: f"\x00{name}\x00" for name in html}
    text = escape(message(key, **marks), quote=False)
    for name, value in html.items():
        text = text.replace(marks[name], value)
    return text


def _inline(html: str) -> str:
    """Drop the ``<p>`` around a one-paragraph rendering, so it can sit in a label."""
    match = _SINGLE_PARAGRAPH.match(html.strip())
    return match["inner"] if match else html


def exercise_html(spec: Any, to_html: ToHtml) -> str:
    """The placeholder that web/exercise.js turns into the editor widget."""
    data = {
        "id": spec.id,
        "title": spec.title,
        "function": spec.function,
        "starter": spec.starter,
        "solution": spec.solution,
        "hints": [to_html(hint) for hint in spec.hints],
        # The headline that names a known mistake -> the hint that speaks to it.
        "mistakeHints": {m.message: to_html(m.hint) for m in spec.mistakes if m.hint},
        "requires": list(spec.requires),
        "version": spec.version,
    }
    # The id is the hook browser tests and scripts rely on; everything else is in the JSON, once.
    opening = "<div" + _attrs(**{"class": "l2-exercise"}, data_exercise=spec.id, markdown="0")
    parts = [
        opening + ">",
        # Not a <script>: Material's instant navigation re-runs inline scripts as
        # JavaScript (dropping their type), so the JSON sits in an inert <template>,
        # kept out of the search index (it holds the solution).
        '<template class="l2-exercise-data" data-search-exclude>'
        f"{script_json(data)}</template>",
        "<noscript><p>"
        + _text("build.exercise.noscript",
                command=f"<code>python -m grader check {escape(spec.id)} FILE</code>")
        + "</p></noscript>",
        '<pre class="l2-exercise-fallback"><code>'
        + escape(spec.starter, quote=False)
        + "</code></pre>",
        "</div>",
    ]
    return "\n".join(parts)


def _option(question: Question, index: int, to_html: ToHtml) -> str:
    option = question.options[index]
    input_id = f"l2q-{question.id}-{index}"
    kind = "radio" if question.select == "one" else "checkbox"
    control = "<input" + _attrs(
        type=kind, id=input_id, name=f"l2q-{question.id}", value=str(index)
    ) + ">"
    label = f'<label for="{input_id}">{_inline(to_html(option.text))}</label>'
    why = (
        f'<div class="l2-option-why" id="{input_id}-why" hidden>'
        '<p class="l2-option-mark"></p>'
        f"{to_html(option.why)}</div>"
    )
    return (
        f'<div class="l2-option" data-correct="{str(option.correct).lower()}">'
        f"{control}{label}{why}</div>"
    )


def question_html(question: Question, to_html: ToHtml) -> str:
    """The whole question as HTML (its Markdown rendered)."""
    how = _text("build.question.one" if question.select == "one" else "build.question.many")
    prompt_id, how_id = f"l2q-{question.id}-prompt", f"l2q-{question.id}-how"
    opening = "<form" + _attrs(
        **{"class": "l2-question"},
        data_question=question.id,
        data_select=question.select,
        data_version=question_version(question),
    )
    options = "".join(_option(question, i, to_html) for i in range(len(question.options)))
    parts = [
        opening + ">",
        f'<div class="l2-question-prompt" id="{prompt_id}">{to_html(question.prompt)}</div>',
        # The group is named by the question itself, not by "Choose one answer.".
        f'<fieldset class="l2-question-options" aria-labelledby="{prompt_id}" '
        f'aria-describedby="{how_id}"><p class="l2-question-how" id="{how_id}">{how}</p>'
        f"{options}</fieldset>",
        '<div class="l2-question-actions"><button type="button" class="md-button '
        f'l2-question-check">{_text("build.question.check")}</button></div>',
        '<div class="l2-question-status" role="status" aria-live="polite"></div>',
        f"<noscript><p>{_text('build.question.noscript')}</p></noscript>",
        "</form>",
    ]
    return "\n".join(parts)
