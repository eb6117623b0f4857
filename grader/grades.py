"""A work file's grade as the gradebook writes it (SPEC §7): its CSV row, the header, the
CSV text and the class summary. Shared by the command line (grader/gradebook.py) and the
teacher's page, whose Python (one no learner's code ran in) builds the same rows and CSV
from the outcomes the page graded (``table``, called by web/teach.js through
grader/worker.py). Nothing here grades or reads a file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .catalogue import all_exercises
from .contract import Result

__all__ = ["FileGrade", "class_summary", "columns", "csv_text", "known_mistake", "table"]

# A cell a spreadsheet would run as a formula (CSV injection) starts with one of these.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class FileGrade:
    """One work file's row, and what the feedback needs to explain it."""

    file: str
    read: bool = False
    """Whether the file could be read as a work file at all."""
    learner: str = ""
    results: dict[str, Result] = field(default_factory=dict)
    """Today's verdict of each exercise the file holds, by id."""
    answers: dict[str, str] = field(default_factory=dict)
    """``correct``, ``wrong`` or ``stale`` for each question the file answers."""
    claimed_but_failed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def row(self, exercise_ids: list[str], question_ids: list[str]) -> list[str]:
        if not self.read:
            blank = [""] * (6 + len(exercise_ids) + len(question_ids) + 1)
            return [self.file, *blank, " ".join(self.problems)]
        passed = sum(r["status"] == "pass" for r in self.results.values())
        correct = sum(a == "correct" for a in self.answers.values())
        total = len(exercise_ids) + len(question_ids)
        score = (passed + correct) / total if total else 0.0
        return [
            self.file,
            self.learner,
            f"{score:.4f}",
            str(passed),
            str(len(exercise_ids)),
            str(correct),
            str(len(question_ids)),
            *(self.results[i]["status"] if i in self.results else "missing" for i in exercise_ids),
            *(self.answers.get(i, "missing") for i in question_ids),
            " ".join(self.claimed_but_failed),
            " ".join(self.problems),
        ]


def columns(exercise_ids: Iterable[str], question_ids: Iterable[str]) -> list[str]:
    """The CSV's header, in SPEC §7's order."""
    return [
        "file",
        "learner",
        "score",
        "exercises_passed",
        "exercises_total",
        "questions_correct",
        "questions_total",
        *exercise_ids,
        *question_ids,
        "claimed_but_failed",
        "problems",
    ]


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA) else text


def csv_text(header: list[str], rows: Iterable[list[str]]) -> str:
    """The gradebook CSV: no cell can run as a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(cell) for cell in row])
    return buffer.getvalue()


def known_mistake(exercise_id: str, feedback: str) -> str | None:
    """The name of the known mistake whose message is ``feedback``, if one is."""
    spec = all_exercises().get(exercise_id)
    for mistake in spec.mistakes if spec else ():
        if mistake.message == feedback:
            return mistake.name
    return None


def class_summary(
    grades: list[FileGrade], exercise_ids: list[str], top: int = 3
) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Per exercise: its id, how many files pass it, and its ``top`` most common known
    mistakes with their counts (most common first)."""
    read = [grade for grade in grades if grade.read]
    rows = []
    for exercise_id in exercise_ids:
        results = [g.results[exercise_id] for g in read if exercise_id in g.results]
        passed = sum(r["status"] == "pass" for r in results)
        mistakes = Counter(
            name for r in results if (name := known_mistake(exercise_id, r.get("feedback", "")))
        )
        rows.append((exercise_id, passed, mistakes.most_common(top)))
    return rows


def table(data: dict[str, Any]) -> dict[str, Any]:
    """The teacher's page's gradebook from what it graded: ``data`` holds ``exercises``
    and ``questions`` (ids, in column order) and ``grades`` (FileGrade's fields, each
    result a dict with at least ``status``). Returns the ``header``, the ``rows``, the
    ``csv`` and the ``summary`` (``class_summary``'s; JSON makes its tuples lists)."""
    exercise_ids, question_ids = list(data["exercises"]), list(data["questions"])
    grades = [FileGrade(**grade) for grade in data["grades"]]
    header = columns(exercise_ids, question_ids)
    rows = [grade.row(exercise_ids, question_ids) for grade in grades]
    summary = class_summary(grades, exercise_ids)
    return {"header": header, "rows": rows, "csv": csv_text(header, rows), "summary": summary}
