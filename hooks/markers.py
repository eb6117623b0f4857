"""Find the widget markers in a page's Markdown: ``<!-- md:KIND ID -->`` alone on a line.

Markers inside fenced code blocks and inline code are text about markers, not markers, so
they are masked: a page can show how to write one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Marker", "MarkerError", "find_markers", "replace_markers"]

# One regex dispatches every marker; the kind decides what it becomes.
MARKER = re.compile(
    r"^(?P<indent>[ \t]*)<!--[ \t]*md:(?P<kind>[\w-]+)(?:[ \t]+(?P<arg>[^\s>]+))?[ \t]*-->[ \t]*$",
    re.MULTILINE,
)
# Anything that looks like the start of a marker, to catch one that is not alone on its line.
MARKER_START = re.compile(r"<!--[ \t]*md:")
FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
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
    """Yield (start, end) offsets of fenced code blocks; an unclosed fence runs to the end."""
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
        yield start, len(text)


def _masked_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced blocks and of inline code spans between them."""
    spans = list(_fenced_spans(text))
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
    markers = []
    for match in MARKER.finditer(text):
        if _is_masked(match.start("kind"), spans):
            continue
        line = _line_of(text, match.start("kind"))
        if not match["arg"]:
            raise MarkerError(f"marker 'md:{match['kind']}' has no id", line)
        markers.append(
            Marker(match["kind"], match["arg"], line, match.start(), match.end(), match["indent"])
        )
    taken = [(m.start, m.end) for m in markers]
    for match in MARKER_START.finditer(text):
        if not _is_masked(match.start(), spans + taken):
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
