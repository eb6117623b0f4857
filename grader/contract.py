"""The result contract: the one place that says what a grading result is.

``grade()``, the command line, the browser's worker and the page all speak it. It holds
the result's type, its statuses, the limits, and ``message()``: every sentence a learner
reads, from the catalogue of the course's language (``grader/messages/LANGUAGE.json``,
chosen by ``COURSE_LANGUAGE`` or the build's ``extra.course_language``). The site build
exports ``page_data()`` to the front-end (``web/contract.js``), which fills in the
``{placeholders}`` and renders; it defines no wording or limit of its own.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Any, NotRequired, TypedDict

__all__ = [
    "LANGUAGE",
    "LIMITS",
    "MESSAGES",
    "Check",
    "ErrorInfo",
    "Result",
    "Status",
    "make_error",
    "make_result",
    "message",
    "page_data",
    "use_language",
]


class Status(StrEnum):
    """How a submission ended."""

    PASS = "pass"  # every check passed
    FAIL = "fail"  # the code ran, at least one check failed
    ERROR = "error"  # the code could not be loaded, or could not be graded
    TIMEOUT = "timeout"  # the time limit ran out (or the learner pressed Stop)


class Check(TypedDict):
    """One case of an exercise, as the learner reads it."""

    name: str
    passed: bool
    message: str
    line: NotRequired[int]  # where the learner's code raised, when it did


class ErrorInfo(TypedDict):
    """What went wrong in the learner's code; ``line`` refers to their code."""

    type: str
    message: str
    line: int | None
    traceback: str


class Result(TypedDict):
    """What ``grade()`` returns: JSON-serializable, the same in every runtime."""

    exercise: str
    status: str  # a Status value
    score: float
    feedback: str  # one headline sentence for the learner
    checks: list[Check]
    error: ErrorInfo | None
    stdout: str


# Limits that the command line and the page both apply.
LIMITS: dict[str, float] = {
    "time_limit_s": 5.0,  # per submission, from the moment the code starts
    "memory_mb": 1024,  # command line only: the child's address space
    "stdout_chars": 10_000,  # learner output kept in a result
}

# Every sentence a learner reads, by key, in one catalogue per language: the grader's
# outcome sentences, the page's UI strings and the labels the build writes into the HTML.
# ``messages/en.json`` is the reference; another language is one more file with the same
# keys and placeholders (tests/test_messages.py holds them to that).
CATALOGUES = Path(__file__).resolve().parent / "messages"
DEFAULT_LANGUAGE = "en"
# The site's archive carries the language the build chose under this name (hooks/
# grader_archive.py), so the page's Python speaks it with no setting of its own.
SITE_CATALOGUE = "site.json"


def catalogue(language: str) -> dict[str, str]:
    """The messages of ``language`` (``messages/LANGUAGE.json``), as key -> template."""
    path = CATALOGUES / f"{language}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = sorted(p.stem for p in CATALOGUES.glob("*.json") if p.name != SITE_CATALOGUE)
        raise ValueError(
            f"no message catalogue for language {language!r} ({path} is missing; "
            f"known: {', '.join(known)})"
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path} must be one JSON object of key -> text")
    return data


def _first_catalogue() -> tuple[str, dict[str, str]]:
    language = os.environ.get("COURSE_LANGUAGE", "").strip()
    if not language and (CATALOGUES / SITE_CATALOGUE).is_file():
        site = json.loads((CATALOGUES / SITE_CATALOGUE).read_text(encoding="utf-8"))
        return site["language"], site["messages"]
    language = language or DEFAULT_LANGUAGE
    return language, catalogue(language)


LANGUAGE, MESSAGES = _first_catalogue()


def use_language(language: str) -> None:
    """Speak ``language`` from now on (the build's ``extra.course_language``)."""
    global LANGUAGE
    messages = catalogue(language)
    MESSAGES.clear()
    MESSAGES.update(messages)
    LANGUAGE = language


def message(key: str, **values: Any) -> str:
    """The learner-facing sentence ``key`` with its placeholders filled."""
    return MESSAGES[key].format(**values)


def seconds_text(seconds: float) -> str:
    """``5 seconds``, ``1 second``, ``2.5 seconds``."""
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def make_error(
    kind: str, text: str, line: int | None = None, traceback: str = ""
) -> ErrorInfo:
    """The result's ``error``: what went wrong, and where in the learner's code.

    >>> make_error("SyntaxError", "invalid syntax", 3)["line"]
    3
    """
    return {"type": kind, "message": text, "line": line, "traceback": traceback}


def make_result(
    exercise: str,
    status: Status | str,
    feedback: str,
    *,
    score: float = 0.0,
    checks: list[Check] | None = None,
    error: ErrorInfo | None = None,
    stdout: str = "",
) -> Result:
    """A result dict with every key of the contract, in the contract's order."""
    return {
        "exercise": exercise,
        "status": str(Status(status)),
        "score": float(score),
        "feedback": feedback,
        "checks": list(checks or []),
        "error": error,
        "stdout": stdout,
    }


def page_data() -> dict[str, Any]:
    """What the front-end needs of this contract, as JSON-able data."""
    from grader import workfile

    return {
        "statuses": [str(s) for s in Status],
        "limits": dict(LIMITS),
        "language": LANGUAGE,
        "messages": dict(MESSAGES),
        "workfile": {
            "format": workfile.FORMAT,
            "format_version": workfile.FORMAT_VERSION,
            "max_file_bytes": workfile.MAX_FILE_BYTES,
            "max_code": workfile.MAX_CODE,
            "max_count": workfile.MAX_COUNT,
            "max_learner": workfile.MAX_LEARNER,
            "exercise_verdicts": list(workfile.EXERCISE_VERDICTS),
            "question_verdicts": list(workfile.QUESTION_VERDICTS),
            "top_keys": sorted(workfile.TOP_KEYS),
            "time": workfile.TIME.pattern,
        },
    }
