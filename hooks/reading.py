"""How long a page takes: its words read at a steady pace, plus its questions and exercises.

A page's Markdown has two paths. Everything outside a ``<div class="l2-deeper" markdown>``
block is the **core** path (the source lesson, done well); what is inside is **go deeper**,
and so is the whole of a page whose badge is ``<p class="l2-path l2-deeper-page">``.
The course map (``hooks/progress.py``), the home page's table and ``scripts/count_words.py``
all take their minutes from here, so the times a learner reads are computed, not guessed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hooks import markers

__all__ = [
    "EXERCISE_MINUTES",
    "QUESTION_MINUTES",
    "WORDS_PER_MINUTE",
    "PageTime",
    "page_time",
]

WORDS_PER_MINUTE = 230
QUESTION_MINUTES = 1.0  # read the scenario, choose, read the explanations
EXERCISE_MINUTES = 5.0  # a short function: read the prompt, write, submit, fix once
# The exercises that take longer than a short function: a whole training loop.
LONGER_EXERCISES = {"ridge-gd": 15.0}
EXPLORABLE_MINUTES = 2.0  # an interactive figure: move its controls, read what changes
PREDICTION_MINUTES = 0.5  # a one-click prediction, then the figure it was about

DEEPER_OPEN = re.compile(r'<div\b[^>]*\bclass="[^"]*\bl2-deeper\b[^"]*"')
DEEPER_PAGE = 'class="l2-path l2-deeper-page"'
_DIV_OPEN = re.compile(r"<div\b")
_DIV_CLOSE = re.compile(r"</div>")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_ATTRS = re.compile(r"\{[:.#][^}]*\}")
_EXPLORABLE = re.compile(r'data-explorable="([^"]+)"')
_WORD = re.compile(r"[0-9A-Za-zÀ-ɏͰ-Ͽ]")  # a token with a letter or a digit is a word


@dataclass
class PageTime:
    """Words and widgets of one page, on the core path and in its go-deeper blocks."""

    core_words: int = 0
    deeper_words: int = 0
    core_items: list[tuple[str, str]] = field(default_factory=list)  # (kind, id or name)
    deeper_items: list[tuple[str, str]] = field(default_factory=list)

    @property
    def words(self) -> int:
        return self.core_words + self.deeper_words

    def minutes(self, core_only: bool = False) -> float:
        """Reading at WORDS_PER_MINUTE, plus a minute a question and an exercise's minutes."""
        words = self.core_words if core_only else self.words
        items = self.core_items if core_only else self.core_items + self.deeper_items
        return words / WORDS_PER_MINUTE + sum(item_minutes(kind, i) for kind, i in items)


def item_minutes(kind: str, item_id: str) -> float:
    if kind == "question":
        return QUESTION_MINUTES
    if kind == "explorable":
        return PREDICTION_MINUTES if item_id == "predict" else EXPLORABLE_MINUTES
    return LONGER_EXERCISES.get(item_id, EXERCISE_MINUTES)


def count_words(markdown: str) -> int:
    """Words a reader reads in a stretch of Markdown: prose, table cells, code, inline math;
    not markup, link targets, HTML tags, comments (widget markers) or images."""
    text = _COMMENT.sub(" ", markdown)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _ATTRS.sub(" ", text)
    lines = [line for line in text.splitlines() if not _FENCE.match(line)]
    return sum(1 for token in " ".join(lines).split() if _WORD.search(token))


def _strip_front_matter(markdown: str) -> str:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end >= 0:
            return markdown[end + 5 :]
    return markdown


def page_time(markdown: str) -> PageTime:
    """Split a page into core and go-deeper text, count words and place its widgets."""
    markdown = _strip_front_matter(markdown)
    whole_page = DEEPER_PAGE in markdown  # a page that is go-deeper from top to bottom
    widgets = {m.line: (m.kind, m.arg) for m in markers.find_markers(markdown)}
    result = PageTime()
    depth = 0  # <div> nesting inside the current go-deeper block; 0: on the core path
    chunks: dict[bool, list[str]] = {True: [], False: []}
    in_fence = False
    for number, line in enumerate(markdown.splitlines(), 1):
        if _FENCE.match(line):
            in_fence = not in_fence
        deeper_here = depth > 0 or whole_page
        if not in_fence:
            if depth == 0 and DEEPER_OPEN.search(line):
                deeper_here = True
                depth = len(_DIV_OPEN.findall(line)) - len(_DIV_CLOSE.findall(line))
            elif depth > 0:
                depth += len(_DIV_OPEN.findall(line)) - len(_DIV_CLOSE.findall(line))
        chunks[deeper_here].append(line)
        for name in _EXPLORABLE.findall(line):
            (result.deeper_items if deeper_here else result.core_items).append(("explorable", name))
        if number in widgets:
            (result.deeper_items if deeper_here else result.core_items).append(widgets[number])
    result.core_words = count_words("\n".join(chunks[False]))
    result.deeper_words = count_words("\n".join(chunks[True]))
    return result


def rounded(minutes: float) -> int:
    """Minutes as a page says them: whole minutes, never 0 for a page with any work."""
    return math.ceil(minutes - 0.25) if minutes >= 0.25 else 0


def course_minutes(pages: Mapping[str, str]) -> dict[str, dict[str, int]]:
    """``{source: {"core": minutes, "all": minutes}}`` for Markdown texts keyed by source."""
    times = {source: page_time(text) for source, text in pages.items()}
    return {
        source: {"core": rounded(t.minutes(core_only=True)), "all": rounded(t.minutes())}
        for source, t in times.items()
    }
