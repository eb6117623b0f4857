"""Feedback for each learner (one Markdown file per work file) and the class summary.

Everything a learner's code produced (printed text, error messages, check messages that
quote their values) is shown inside code spans or fences, so it reads as text and cannot
turn into links, images or HTML when the Markdown is rendered.
"""

from __future__ import annotations

import re
from pathlib import Path

from .catalogue import all_exercises
from .contract import message
from .grades import FileGrade, class_summary, known_mistake
from .questions import Question

__all__ = ["known_mistake", "render", "summary", "write_feedback"]


def _verdict(status: str) -> str:
    return {
        "pass": message("feedback.verdict.pass"),
        "fail": message("feedback.verdict.fail"),
        "error": message("feedback.verdict.error"),
        "timeout": message("feedback.verdict.timeout"),
    }[status]


def _answer(answer: str | None) -> str:
    return {
        "correct": message("feedback.answer.correct"),
        "wrong": message("feedback.answer.wrong"),
        "stale": message("feedback.answer.stale"),
    }.get(answer or "", message("feedback.answer.none"))


def _quote(text: str) -> str:
    """``text`` as one inline code span, whatever backticks it holds."""
    text = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def _block(text: str) -> list[str]:
    fence = "`" * max(3, max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return [fence + "text", *text.rstrip().split("\n"), fence]


def render(grade: FileGrade, exercise_ids: list[str], questions: dict[str, Question]) -> str:
    """One learner's feedback as Markdown."""
    learner = grade.learner.strip() or message("feedback.no_name")
    lines = [
        message("feedback.title", learner=_quote(learner)), "",
        message("feedback.file", file=_quote(grade.file)), "",
    ]
    if not grade.read:
        return "\n".join([*lines, message("feedback.unreadable", problems=" ".join(grade.problems)),
                          ""])
    specs = all_exercises()
    lines += [message("feedback.exercises"), ""]
    for exercise_id in exercise_ids:
        title = specs[exercise_id].title
        result = grade.results.get(exercise_id)
        if result is None:
            lines += [message("feedback.missing", title=title, id=exercise_id), ""]
            continue
        checks = result["checks"]
        passed = sum(check["passed"] for check in checks)
        counted = message("feedback.counted", passed=passed, total=len(checks)) if checks else ""
        verdict = _verdict(result["status"])
        lines += [
            message("feedback.exercise", title=title, id=exercise_id, verdict=verdict,
                    counted=counted),
            "",
        ]
        lines += [_quote(result["feedback"]), ""]
        mistake = known_mistake(exercise_id, result["feedback"])
        if mistake:
            lines += [message("feedback.mistake", name=mistake), ""]
        for check in checks:
            if not check["passed"]:
                lines.append(message("feedback.failed", name=_quote(check["name"]),
                                     message=_quote(check["message"])))
        if any(not check["passed"] for check in checks):
            lines.append("")
        error = result.get("error")
        if error and error.get("traceback"):
            lines += _block(error["traceback"]) + [""]
    lines += [message("feedback.questions"), ""]
    for question_id, question in questions.items():
        answer = grade.answers.get(question_id)
        said = _answer(answer)
        lines.append(f"- {_quote(' '.join(question.prompt.split())[:120])}: {said}")
    if grade.claimed_but_failed:
        ids = ", ".join(f"`{i}`" for i in grade.claimed_but_failed)
        lines += ["", message("feedback.claimed", ids=ids)]
    if grade.problems:
        lines += ["", message("feedback.about"), "", *(f"- {_quote(p)}" for p in grade.problems)]
    return "\n".join(lines) + "\n"


def write_feedback(
    folder: Path, grades: list[FileGrade], exercise_ids: list[str], questions: dict[str, Question]
) -> None:
    """One ``NAME.md`` per work file in ``folder``, named after the work file."""
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for grade in grades:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(grade.file).stem) or "work"
        name, n = stem, 1
        while name in used:
            n += 1
            name = f"{stem}-{n}"
        used.add(name)
        (folder / f"{name}.md").write_text(render(grade, exercise_ids, questions), "utf-8")


def summary(grades: list[FileGrade], exercise_ids: list[str], top: int = 3) -> str:
    """The class at a glance: passes per exercise, its most common known mistakes."""
    read = sum(grade.read for grade in grades)
    width = max(map(len, exercise_ids), default=0)
    lines = [f"Class summary: {read} work file(s) read of {len(grades)}"]
    for exercise_id, passed, mistakes in class_summary(grades, exercise_ids, top):
        common = "; ".join(f"{name} ({count})" for name, count in mistakes)
        lines.append(
            f"  {exercise_id:<{width}}  {passed}/{read} passed"
            + (f"  most common mistakes: {common}" if common else "")
        )
    return "\n".join(lines)
