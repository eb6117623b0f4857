"""The teacher's gradebook (SPEC §7): grade a class's work files again, write one CSV.

Nothing a learner wrote is trusted: each file's code is graded again from source (one
``grade_batch`` per file, in the sandbox), each selection is checked against
``questions.yml``, and the file's own verdicts only fill ``claimed_but_failed``.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .batch import grade_batch
from .catalogue import all_exercises
from .contract import Result
from .grades import FileGrade, columns, csv_text
from .questions import QUESTIONS_FILE, Question, is_correct, load_questions, question_version
from .workfile import MAX_FILE_BYTES, Course, WorkFile, WorkFileError, read_work_file

__all__ = [
    "FileGrade",
    "collect",
    "columns",
    "course",
    "grade_file",
    "merge_csv",
    "shard",
    "write_csv",
]

Grader = Callable[[Sequence[tuple[str, str]]], list[Result]]


def course() -> tuple[Course, dict[str, Question]]:
    """Today's course: exercise versions, question versions and option counts."""
    questions = load_questions(QUESTIONS_FILE)
    return (
        Course(
            exercises={i: spec.version for i, spec in all_exercises().items()},
            questions={i: (question_version(q), len(q.options)) for i, q in questions.items()},
        ),
        questions,
    )


def collect(paths: Iterable[Path]) -> list[Path]:
    """Every work file named or inside a named folder (``*.json``), sorted, once each;
    ``FileNotFoundError`` names a path that does not exist."""
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            for child in path.rglob("*"):
                if child.suffix.lower() == ".json" and not child.is_dir():
                    found.setdefault(str(child), child)
        elif path.exists() or path.is_symlink():
            found.setdefault(str(path), path)
        else:
            raise FileNotFoundError(f"{path} does not exist")
    return [found[key] for key in sorted(found)]


def shard(files: list[Path], k: int, n: int) -> list[Path]:
    """The ``k``-th (1-based) of ``n`` disjoint slices of the sorted file list."""
    return files[k - 1 :: n]


def _read(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def grade_file(
    path: Path,
    course_: Course,
    questions: dict[str, Question],
    grader: Grader = grade_batch,
) -> FileGrade:
    """Read one work file and grade everything in it again; never raises for its content."""
    grade = FileGrade(file=str(path))
    try:
        data = _read(path)
    except OSError as error:
        grade.problems.append(f"This file cannot be read: {error.strerror or error}.")
        return grade
    try:
        work = read_work_file(data, course_)
    except WorkFileError as error:
        grade.problems.append(str(error))
        return grade
    grade.read = True
    grade.learner = work.learner
    grade.problems = [problem.message for problem in work.problems]
    ids = [i for i in course_.exercises if i in work.exercises]
    results = grader([(i, work.exercises[i].code) for i in ids])
    grade.results = dict(zip(ids, results, strict=True))
    grade.claimed_but_failed = [
        i
        for i in ids
        if work.exercises[i].verdict == "pass" and grade.results[i]["status"] != "pass"
    ]
    grade.answers = _answers(work, questions)
    return grade


def _answers(work: WorkFile, questions: dict[str, Question]) -> dict[str, str]:
    answers = {}
    for question_id, answer in work.questions.items():
        if answer.stale:
            answers[question_id] = "stale"
        else:
            right = is_correct(questions[question_id], answer.selected)
            answers[question_id] = "correct" if right else "wrong"
    return answers


def write_csv(out: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    """Write the gradebook CSV (UTF-8; no cell can run as a spreadsheet formula)."""
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(csv_text(header, rows), encoding="utf-8")
    os.replace(tmp, out)


def merge_csv(inputs: Sequence[Path]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of shard CSVs as one run would have written them;
    ``ValueError`` says which input does not fit."""
    header: list[str] | None = None
    rows: dict[str, list[str]] = {}
    for path in inputs:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            this = next(reader, None)
            if this is None or this[:1] != ["file"]:
                raise ValueError(f"{path} is not a gradebook CSV (no header row)")
            if header is not None and this != header:
                raise ValueError(f"{path} has other columns than {inputs[0]}")
            header = this
            for row in reader:
                if row[0] in rows:
                    raise ValueError(f"{path}: {row[0]} is in more than one shard")
                rows[row[0]] = row
    return header or [], [rows[key] for key in sorted(rows)]
