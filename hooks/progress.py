"""The course map that web/progress.js reads: which questions and exercises are on which page.

The build writes it once, as ``assets/course/progress.json``, after every page has placed
its widgets. It holds what the browser needs to read a learner's stored answers (ids,
versions) and to list them (page titles, URLs, short labels). It grades nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from hooks.questions import Question
from hooks.widgets import question_version

__all__ = ["PROGRESS_PATH", "course_map", "plain_label"]

PROGRESS_PATH = "assets/course/progress.json"
LABEL_LENGTH = 140

# The few TeX commands the question prompts use, as the characters a label shows instead.
_TEX = {
    r"\lambda": "λ",
    r"\eta": "η",
    r"\approx": "≈",
    r"\times": "×",
    r"\cdot": "·",
    r"\leftarrow": "←",
    r"\sum": "Σ",
}
# TeX's spacing commands read as a space (a negative thin space as none): left to the
# command stripping below, a thin space "\," would show as a comma.
_TEX_SPACE = re.compile(r"\\[,:; ]|\\q?quad\b")
_TEX_NO_SPACE = re.compile(r"\\!")
_MATH = re.compile(r"\$([^$]+)\$")
_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+")
_MARKUP = re.compile(r"\*\*|\*|`|_(?=\w)")
_SENTENCE_END = re.compile(r"(?<=[.?!:])\s")


def _math_to_text(tex: str) -> str:
    tex = _TEX_NO_SPACE.sub("", _TEX_SPACE.sub(" ", tex))
    for command, text in _TEX.items():
        tex = tex.replace(command, text)
    tex = _TEX_COMMAND.sub("", tex)
    return tex.replace("{", "").replace("}", "").replace("\\", "")


def plain_label(markdown: str) -> str:
    """A prompt's first paragraph as plain text on one line (no Markdown, no TeX); one too
    long for a line of a list is cut to the question it asks, or shortened with "…".

    >>> plain_label("What happens when you set the rate to $\\\\lambda = 0$? *Say* why.")
    'What happens when you set the rate to λ = 0? Say why.'
    """
    first = markdown.strip().split("\n\n", 1)[0]  # tables and lists come after a blank line
    text = _MATH.sub(lambda match: _math_to_text(match[1]), first)
    text = _MARKUP.sub("", " ".join(text.split()))
    if len(text) <= LABEL_LENGTH:
        return text
    # Too long for one line of a list: the sentence that asks the question says the most.
    # (A short one, such as "Which is true?", needs its setup: then the start is shown.)
    asked = [s for s in _SENTENCE_END.split(text) if s.endswith("?") and len(s) >= 50]
    label = asked[-1] if asked else text
    if len(label) > LABEL_LENGTH:
        label = label[: LABEL_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return label


def _placements(placed: Mapping[tuple[str, str], str], page: str) -> list[tuple[str, str]]:
    """(kind, id) of the widgets on one page, in the order of their lines."""
    here = []
    for key, where in placed.items():
        source, _, line = where.rpartition(":")
        if source == page:
            here.append((int(line), key))
    return [key for _, key in sorted(here)]


def course_map(
    pages: Iterable[tuple[str, str, str]],
    placed: Mapping[tuple[str, str], str],
    exercises: Mapping[str, Any],
    questions: Mapping[str, Question],
) -> dict[str, Any]:
    """``{"pages": [...]}`` in navigation order, from (source path, URL, title) triples.

    ``placed`` maps ``(kind, id)`` to ``"source:line"``, as the build records placements.
    """
    result = []
    for source, url, title in pages:
        items = []
        for kind, item_id in _placements(placed, source):
            if kind == "exercise":
                spec = exercises[item_id]
                items.append(
                    {"kind": kind, "id": item_id, "version": spec.version, "label": spec.title}
                )
            elif kind == "question":
                question = questions[item_id]
                items.append(
                    {
                        "kind": kind,
                        "id": item_id,
                        "version": question_version(question),
                        "options": len(question.options),  # a work file's answers are checked
                        "label": plain_label(question.prompt),
                    }
                )
        result.append({"url": url, "title": title, "items": items})
    return {"pages": result}
