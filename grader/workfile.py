"""Read a learner's work file (SPEC §7): the one format for moving progress and handing work in.

The page (``web/work-file.js``) applies the same rules to the same fields; both are tested
against the corpus in ``tests/workfiles/``, so the page and the gradebook never disagree
about what a file holds. A file is refused whole (``WorkFileError``, one sentence) when it
cannot be read as a work file at all; otherwise every entry that breaks a rule is dropped
and reported as a ``Problem``, and entries for another version are kept, marked stale.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_CODE",
    "MAX_FILE_BYTES",
    "Course",
    "ExerciseWork",
    "Problem",
    "QuestionWork",
    "WorkFile",
    "WorkFileError",
    "read_work_file",
]

FORMAT = "l2-course-work"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 2_000_000
MAX_CODE = 200_000
MAX_COUNT = 1_000_000
MAX_LEARNER = 200
EXERCISE_VERDICTS = ("pass", "fail", "error", "timeout")
QUESTION_VERDICTS = ("pass", "fail")
TOP_KEYS = {"format", "format_version", "exported_at", "learner", "site", "exercises", "questions"}
EXERCISE_KEYS = {"version", "code", "verdict", "failures", "hints", "solution_shown", "saved_at"}
QUESTION_KEYS = {"version", "selected", "verdict"}
# An ISO 8601 time as JavaScript's toISOString writes it (the page may add "~suffix").
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z(~[0-9a-z]{1,12})?$")


class WorkFileError(ValueError):
    """The file cannot be read as a work file; the message is one sentence saying why."""


@dataclass(frozen=True)
class Problem:
    """Something in the file that was ignored or marked: a stable code and a sentence."""

    code: str
    message: str


@dataclass(frozen=True)
class Course:
    """What the reader checks against: exercise versions and question versions/option counts."""

    exercises: dict[str, str]
    questions: dict[str, tuple[str, int]]


@dataclass(frozen=True)
class ExerciseWork:
    version: str
    code: str
    verdict: str | None
    failures: int
    hints: int
    solution_shown: bool
    saved_at: str
    stale: bool


@dataclass(frozen=True)
class QuestionWork:
    version: str
    selected: tuple[int, ...]
    verdict: str | None
    stale: bool


@dataclass
class WorkFile:
    learner: str
    exported_at: str
    site_url: str
    site_build: str
    exercises: dict[str, ExerciseWork] = field(default_factory=dict)
    questions: dict[str, QuestionWork] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _is_count(value: Any) -> bool:
    return type(value) is int and 0 <= value < MAX_COUNT


def _is_text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit


def read_work_file(data: bytes | str, course: Course) -> WorkFile:
    """The work file in ``data``, checked against ``course``; raises ``WorkFileError``."""
    size = len(data.encode() if isinstance(data, str) else data)
    if size > MAX_FILE_BYTES:
        raise WorkFileError(
            f"This file is {size / 1e6:.1f} MB; a work file is at most "
            f"{MAX_FILE_BYTES // 1_000_000} MB, so it is not one."
        )
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise WorkFileError("This file is not valid JSON, so it is not a work file.") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise WorkFileError(
            f"This file is not a work file of this course (its format is not {FORMAT!r})."
        )
    version = raw.get("format_version")
    if type(version) is not int or version < 1:
        raise WorkFileError("This work file has no valid format_version.")
    if version > FORMAT_VERSION:
        raise WorkFileError(
            f"This work file has format version {version}, newer than this site reads "
            f"({FORMAT_VERSION}): it comes from a newer version of the course."
        )
    for key, kind in (("exercises", dict), ("questions", dict), ("site", dict)):
        if key in raw and not isinstance(raw[key], kind):
            raise WorkFileError(f"This work file's {key!r} is not an object.")
    site = raw.get("site") or {}
    work = WorkFile(
        learner=raw["learner"] if _is_text(raw.get("learner"), MAX_LEARNER) else "",
        exported_at=raw["exported_at"] if _is_time(raw.get("exported_at")) else "",
        site_url=site["url"] if _is_text(site.get("url"), 2000) else "",
        site_build=site["build"] if _is_text(site.get("build"), 200) else "",
    )
    for key in sorted(set(raw) - TOP_KEYS):
        work.problems.append(
            Problem("unknown-key", f"The file's key {key!r} is not known; it was ignored.")
        )
    for item_id, entry in (raw.get("exercises") or {}).items():
        _read_exercise(work, course, item_id, entry)
    for item_id, entry in (raw.get("questions") or {}).items():
        _read_question(work, course, item_id, entry)
    return work


def _is_time(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 40 and TIME.match(value) is not None


def _is_entry(work: WorkFile, name: str, kind: str, known: bool, entry: Any) -> bool:
    """Whether ``entry`` is an object for an id of this course; if not, the problem is noted."""
    if not known:
        work.problems.append(
            Problem(f"unknown-{kind}", f"{name} is not in this course; it was ignored.")
        )
        return False
    if not isinstance(entry, dict):
        work.problems.append(Problem("bad-field", f"{name} is not an object; it was ignored."))
        return False
    return True


def _has_bad_fields(work: WorkFile, name: str, checks: dict[str, bool]) -> bool:
    """Whether any field failed its check; the failed ones are named in one problem."""
    bad = [key for key, ok in checks.items() if not ok]
    if bad:
        work.problems.append(
            Problem(
                "bad-field",
                f"{name}: {', '.join(bad)} {'is' if len(bad) == 1 else 'are'} "
                "not valid; it was ignored.",
            )
        )
    return bool(bad)


def _read_exercise(work: WorkFile, course: Course, item_id: str, entry: Any) -> None:
    name = f"Exercise {item_id!r}"
    if not _is_entry(work, name, "exercise", item_id in course.exercises, entry):
        return
    code = entry.get("code")
    if isinstance(code, str) and len(code) > MAX_CODE:
        work.problems.append(
            Problem(
                "code-too-long",
                f"{name}: its code has {len(code):,} characters, more "
                f"than the {MAX_CODE:,} a work file may hold; it was ignored.",
            )
        )
        return
    checks = {
        "version": _is_text(entry.get("version"), 64),
        "code": isinstance(code, str),
        "verdict": entry.get("verdict") is None or entry.get("verdict") in EXERCISE_VERDICTS,
        "failures": _is_count(entry.get("failures", 0)),
        "hints": _is_count(entry.get("hints", 0)),
        "solution_shown": isinstance(entry.get("solution_shown", False), bool),
        "saved_at": entry.get("saved_at", "") == "" or _is_time(entry.get("saved_at")),
    }
    if _has_bad_fields(work, name, checks):
        return
    stale = entry["version"] != course.exercises[item_id]
    if stale:
        work.problems.append(
            Problem("stale-exercise", f"{name} was saved for another version of the exercise.")
        )
    work.exercises[item_id] = ExerciseWork(
        version=entry["version"],
        code=code,
        verdict=entry.get("verdict"),
        failures=entry.get("failures", 0),
        hints=entry.get("hints", 0),
        solution_shown=entry.get("solution_shown", False),
        saved_at=entry.get("saved_at", ""),
        stale=stale,
    )


def _read_question(work: WorkFile, course: Course, item_id: str, entry: Any) -> None:
    name = f"Question {item_id!r}"
    if not _is_entry(work, name, "question", item_id in course.questions, entry):
        return
    version, count = course.questions[item_id]
    selected = entry.get("selected")
    checks = {
        "version": _is_text(entry.get("version"), 64),
        "selected": isinstance(selected, list)
        and 0 < len(selected) <= 64
        and all(type(i) is int for i in selected)
        and len(set(selected)) == len(selected),
        "verdict": entry.get("verdict") is None or entry.get("verdict") in QUESTION_VERDICTS,
    }
    if _has_bad_fields(work, name, checks):
        return
    stale = entry["version"] != version
    if not stale and not all(0 <= i < count for i in selected):
        work.problems.append(
            Problem(
                "option-out-of-range",
                f"{name}: it selects an option the question does "
                f"not have (it has {count}); it was ignored.",
            )
        )
        return
    if stale:
        work.problems.append(
            Problem("stale-question", f"{name} was answered for another version of the question.")
        )
    work.questions[item_id] = QuestionWork(
        version=entry["version"],
        selected=tuple(selected),
        verdict=entry.get("verdict"),
        stale=stale,
    )
