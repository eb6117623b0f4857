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
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from .contract import LIMITS, ErrorInfo, make_error
from .portable import portable_text

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
        # str's own methods: a str subclass's __len__ or __getitem__ does not run here.
        size, room = str.__len__(text), self.limit - self._kept
        if room > 0:
            self._parts.append(str.__getitem__(text, slice(0, room)))
            self._kept += min(room, size)
        self.dropped += max(0, size - max(room, 0))
        return size

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

    def as_dict(self) -> ErrorInfo:
        return make_error(self.type, self.message, self.line, self.traceback)


def _learner_frames(tb: TracebackType | None) -> list[traceback.FrameSummary]:
    frames = traceback.extract_tb(tb)
    return [frame for frame in frames if frame.filename == FILENAME]


MESSAGE_LIMIT = 1_000  # characters of an exception's message kept in a result
LINE_LIMIT = 300  # characters of one source line a traceback quotes


def _text(exc: BaseException) -> str:
    """``str(exc)``, bounded; a learner's ``__str__`` may raise or return anything."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001
        return f"{_name(type(exc))} (its message could not be shown: its __str__ failed)"
    if type(text) is not str:
        text = str.__str__(text)
    if len(text) > MESSAGE_LIMIT:
        text = text[:MESSAGE_LIMIT] + f"… [{len(text) - MESSAGE_LIMIT:,} more characters]"
    return text


def _name(kind: type) -> str:
    return str.__str__(type.__dict__["__name__"].__get__(kind))


def describe_exception(exc: BaseException) -> LearnerError:
    """Turn an exception raised by learner code into a ``LearnerError``; never raises."""
    try:
        return _describe(exc)
    except Exception:  # noqa: BLE001 - a learner exception that even this cannot read
        return LearnerError(_name(type(exc)), _name(type(exc)))


def _describe(exc: BaseException) -> LearnerError:
    kind = _name(type(exc))
    if isinstance(exc, SyntaxError):
        line = exc.lineno if type(exc.lineno) is int else None
        message = exc.msg if type(exc.msg) is str and exc.msg else "invalid syntax"
        if len(message) > MESSAGE_LIMIT:
            message = message[:MESSAGE_LIMIT] + "…"
        text = "".join(traceback.format_exception_only(type(exc), _near_error(exc)))
        return LearnerError(kind, message, line, text)
    frames = _learner_frames(exc.__traceback__)
    line = frames[-1].lineno if frames else None
    # Worded as every runtime words it: the page's Python and the command line's differ.
    plain = portable_text(exc, _text(exc))
    if isinstance(exc, SystemExit):
        message = "your code called exit() or sys.exit(); return a value instead of exiting"
    elif isinstance(exc, MemoryError):
        message = "your code ran out of memory"
    elif isinstance(exc, RecursionError):
        message = f"{plain} (does a function call itself without a way to stop?)"
    else:
        message = plain or kind
    text = "Traceback (most recent call last):\n" if frames else ""
    # StackSummary.format folds a deep recursion's repeated lines into one.
    text += "".join(_short(part) for part in traceback.StackSummary.from_list(frames).format())
    text += f"{kind}: {plain}\n" if plain else f"{kind}\n"
    return LearnerError(kind, message, line, text)


def _short(text: str) -> str:
    """``text`` with every line longer than ``LINE_LIMIT`` cut, saying so."""
    return "".join(
        f"{line[:LINE_LIMIT]}… [{len(line) - LINE_LIMIT:,} more characters]\n"
        if len(line) > LINE_LIMIT + 1
        else line
        for line in text.splitlines(True)
    )


def _near_error(exc: SyntaxError) -> SyntaxError:
    """``exc``, or a copy quoting only the part of an overlong line around the error, so
    the caret still points at it."""
    text = exc.text
    if type(text) is not str or len(text) <= LINE_LIMIT:
        return exc
    offset = exc.offset if type(exc.offset) is int and exc.offset > 0 else 1
    start = max(0, min(offset - 1 - LINE_LIMIT // 2, len(text) - LINE_LIMIT))
    end = start + LINE_LIMIT
    shown = ("…" if start else "") + text[start:end].rstrip("\n") + ("…" if end < len(text) else "")
    shift = start - (1 if start else 0)
    stop = exc.end_offset if type(exc.end_offset) is int and exc.end_lineno == exc.lineno else 0
    stop = min(stop - shift, len(shown) + 1) if stop > offset else offset - shift + 1
    return SyntaxError(exc.msg, (exc.filename, exc.lineno, offset - shift, shown, exc.lineno, stop))


def nul_error(source: str) -> LearnerError:
    """Python refuses source text holding a NUL character: say where it is."""
    line = source.count("\n", 0, source.index("\0")) + 1
    return LearnerError(
        "SyntaxError",
        "your code contains a NUL character (\\x00), which Python source cannot hold; "
        "delete it (it is invisible in most editors: retype the line)",
        line,
    )


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

    Raises ``LearnerError`` for a syntax error or any exception at module level,
    ``KeyboardInterrupt`` and ``SystemExit`` included: they come from the learner's code.
    """
    if type(source) is not str:
        raise LearnerError("TypeError", "the submission must be Python source text")
    if "\0" in source:
        raise nul_error(source)
    try:
        code = compile(source, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise describe_exception(exc) from None
    except (ValueError, MemoryError, RecursionError) as exc:  # e.g. nesting too deep
        problem = f"Python cannot compile your code: {_text(exc)}"
        raise LearnerError("SyntaxError", problem) from None
    # Registering the source lets tracebacks quote the learner's lines.
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    namespace: dict[str, Any] = {"__name__": name, "__builtins__": builtins}
    with captured(buffer):
        try:
            exec(code, namespace)
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            raise describe_exception(exc) from None
    return namespace
