"""Run learner code: compile it, capture what it prints, and describe what went wrong.

Tracebacks and line numbers refer to the learner's own code only; the grader's frames
are cut out, so a learner never reads about files they did not write.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import linecache
import sys
import traceback
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from .contract import LIMITS

__all__ = ["FILENAME", "LearnerError", "OutputBuffer", "describe_exception", "load_module"]

# The name learner code is compiled under; tracebacks keep only frames from it.
FILENAME = "<your code>"
STDOUT_LIMIT = int(LIMITS["stdout_chars"])


class OutputBuffer(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int = STDOUT_LIMIT):
        super().__init__()
        self.limit = limit
        self._parts: list[str] = []
        self._kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self.limit - self._kept
        if room > 0:
            self._parts.append(text[:room])
            self._kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self) -> str:
        text = "".join(self._parts)
        if self.dropped:
            text += f"\n[output cut: {self.dropped:,} more characters not shown]\n"
        return text


@dataclass
class LearnerError(Exception):
    """What went wrong in learner code, ready for the result's ``error`` field."""

    type: str
    message: str
    line: int | None = None
    traceback: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "message": self.message,
            "line": self.line,
            "traceback": self.traceback,
        }


def _learner_frames(tb: TracebackType | None) -> list[traceback.FrameSummary]:
    frames = traceback.extract_tb(tb)
    return [frame for frame in frames if frame.filename == FILENAME]


def describe_exception(exc: BaseException) -> LearnerError:
    """Turn an exception raised by learner code into a ``LearnerError``."""
    if isinstance(exc, SyntaxError):
        line = exc.lineno
        message = exc.msg or "invalid syntax"
        text = "".join(traceback.format_exception_only(type(exc), exc))
        return LearnerError(type(exc).__name__, message, line, text)
    frames = _learner_frames(exc.__traceback__)
    line = frames[-1].lineno if frames else None
    if isinstance(exc, SystemExit):
        message = "your code called exit() or sys.exit(); return a value instead of exiting"
    elif isinstance(exc, MemoryError):
        message = "your code ran out of memory"
    elif isinstance(exc, RecursionError):
        message = f"{exc} (does a function call itself without a way to stop?)"
    else:
        message = str(exc) or type(exc).__name__
    text = "Traceback (most recent call last):\n" if frames else ""
    text += "".join(traceback.format_list(frames))
    text += "".join(traceback.format_exception_only(type(exc), exc))
    return LearnerError(type(exc).__name__, message, line, text)


@contextlib.contextmanager
def captured(buffer: OutputBuffer):
    """Send print() and errors written by learner code to ``buffer``; no input."""
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout = sys.stderr = buffer
    sys.stdin = io.StringIO("")
    try:
        yield buffer
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved


def load_module(source: str, buffer: OutputBuffer, name: str = "submission") -> dict[str, Any]:
    """Execute ``source`` as a module and return its namespace.

    Raises ``LearnerError`` for a syntax error or an exception at module level.
    ``KeyboardInterrupt`` (Pyodide's interrupt, Ctrl+C) is left to propagate.
    """
    if not isinstance(source, str):
        raise LearnerError("TypeError", "the submission must be Python source text")
    try:
        code = compile(source, FILENAME, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:  # ValueError: null bytes in the source
        if isinstance(exc, SyntaxError):
            raise describe_exception(exc) from None
        raise LearnerError("SyntaxError", str(exc)) from None
    # Registering the source lets tracebacks quote the learner's lines.
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    namespace: dict[str, Any] = {"__name__": name, "__builtins__": builtins}
    with captured(buffer):
        try:
            exec(code, namespace)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            raise describe_exception(exc) from None
    return namespace
