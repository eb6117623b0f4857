"""Find the widget markers in a page's Markdown: ``<!-- md:KIND ID -->`` alone on a line.

Markers inside code (fenced blocks, indented blocks, inline code) are text about markers,
not markers, and so is one inside another HTML comment (commented out): they are masked,
so a page can show how to write one, or hide one. A code fence or an HTML comment that is
never closed is an error (it would swallow the rest of the page), named by its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Marker", "MarkerError", "find_markers", "replace_markers"]

# One regex dispatches every marker; the kind decides what it becomes.
MARKER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<comment><!--[ \t]*md:(?P<kind>[\w-]+)(?:[ \t]+(?P<arg>[^\s>]+))?"
    r"[ \t]*-->)[ \t]*$",
    re.MULTILINE,
)
# Anything that looks like the start of a marker, to catch one that is not alone on its line.
MARKER_START = re.compile(r"<!--[ \t]*md:")
FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
HTML_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.DOTALL)
# Lines whose indented continuation is their content, not code: list items, admonitions
# and collapsible blocks (admonition, pymdownx.details), tabs (pymdownx.tabbed).
CONTAINER = re.compile(r"(?:[-*+]|\d+[.)])(?:[ \t]|$)|(?:!!!|\?\?\?\+?|===)[ \t]")
TAB = 4  # Python-Markdown's tab_length: an indented code block is 4 columns in
# A code span may wrap lines but not cross a blank line (that ends the paragraph).
INLINE_CODE = re.compile(
    r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.DOTALL
)


class MarkerError(ValueError):
    """A malformed marker; ``line`` is 1-based within the Markdown that was scanned."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Marker:
    """One marker: ``kind`` (exercise, question), its ``arg`` (the id), where it is."""

    kind: str
    arg: str
    line: int
    start: int
    end: int
    indent: str


def _fenced_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets of fenced code blocks; ``MarkerError`` for one that is
    never closed."""
    offset = 0
    fence: str | None = None
    start = 0
    for line in text.splitlines(keepends=True):
        if fence is None:
            match = FENCE_OPEN.match(line)
            if match:
                fence, start = match["fence"], offset
        else:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                yield start, offset + len(line)
                fence = None
        offset += len(line)
    if fence is not None:
        raise MarkerError(
            f"this code fence ({fence}) is never closed: end the block with a line of {fence}",
            _line_of(text, start),
        )


def _width(indent: str) -> int:
    return len(indent.expandtabs(TAB))


def _indented_spans(text: str, fenced: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets of indented code blocks: after a blank line, a line
    indented 4 columns more than the list item or admonition it is in (if any)."""
    containers: list[int] = []  # the content indent of each open list item, admonition, tab
    after_blank = True
    code: int | None = None  # the indent of the code block being read
    offset = 0
    start = 0
    for line in text.splitlines(keepends=True):
        here, offset = offset, offset + len(line)
        if not line.strip():
            after_blank = True
            continue
        body = line.lstrip(" \t")
        width = _width(line[: len(line) - len(body)])
        if code is not None:
            if width >= code or _is_masked(here, fenced):
                after_blank = False
                continue
            yield start, here
            code = None
        if _is_masked(here, fenced):  # a fence's own lines
            after_blank = False
            continue
        if after_blank:
            while containers and width < containers[-1]:
                containers.pop()
            base = containers[-1] if containers else 0
            if width >= base + TAB:
                code, start, after_blank = base + TAB, here, False
                continue
        if CONTAINER.match(body):
            while containers and containers[-1] > width:
                containers.pop()
            containers.append(width + TAB)
        after_blank = False
    if code is not None:
        yield start, len(text)


def _comment_spans(text: str, code: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Offsets of HTML comments outside code; ``MarkerError`` for one never closed."""
    spans = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        if _is_masked(start, code):
            position = start + 1
            continue
        match = HTML_COMMENT.match(text, start)
        if match is None:
            raise MarkerError(
                "this HTML comment (<!--) is never closed: end it with -->",
                _line_of(text, start),
            )
        spans.append(match.span())
        position = match.end()
    return spans


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced and indented code blocks, and of inline code spans between them."""
    fenced = list(_fenced_spans(text))
    spans = sorted(fenced + list(_indented_spans(text, fenced)))
    inline: list[tuple[int, int]] = []
    previous = 0
    for start, end in [*spans, (len(text), len(text))]:
        for match in INLINE_CODE.finditer(text, previous, start):
            inline.append(match.span())
        previous = end
    return sorted(spans + inline)


def _is_masked(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def find_markers(text: str) -> list[Marker]:
    """Return the markers outside code, in order.

    Raises ``MarkerError`` for a marker that is not alone on its line or has no id.

    >>> [m.arg for m in find_markers("<!-- md:question q1 -->\\n`<!-- md:question q2 -->`")]
    ['q1']
    """
    spans = _masked_spans(text)
    comments = _comment_spans(text, spans)
    markers = []
    for match in MARKER.finditer(text):
        own = match.span("comment")
        if _is_masked(match.start("kind"), spans) or _is_masked(
            match.start("kind"), [c for c in comments if c != own]
        ):
            continue
        line = _line_of(text, match.start("kind"))
        if not match["arg"]:
            raise MarkerError(f"marker 'md:{match['kind']}' has no id", line)
        markers.append(
            Marker(match["kind"], match["arg"], line, match.start(), match.end(), match["indent"])
        )
    taken = [(m.start, m.end) for m in markers]
    # Inside a comment that began before it (commented out), a marker is text.
    inside = [(start + 1, end) for start, end in comments]
    for match in MARKER_START.finditer(text):
        if not _is_masked(match.start(), spans + taken + inside):
            raise MarkerError(
                "a widget marker must stand alone on its line, as <!-- md:KIND ID -->",
                _line_of(text, match.start()),
            )
    return markers


def replace_markers(text: str, render: Callable[[Marker], str]) -> str:
    """Replace every marker with ``render(marker)``, indented like the marker."""
    out = []
    previous = 0
    for marker in find_markers(text):
        out.append(text[previous : marker.start])
        lines = render(marker).split("\n")
        out.append("\n".join(marker.indent + line if line else line for line in lines))
        previous = marker.end
    out.append(text[previous:])
    return "".join(out)
