"""Load and validate the multiple-choice questions in ``exercises/questions.yml``.

The file is a YAML list of questions::

    - id: l2-lowers-complexity        # lowercase words joined by hyphens, unique
      prompt: Does L2 regularization ...   # Markdown
      select: one                      # one: radio buttons; many: checkboxes
      options:                         # at least two
        - text: "Yes"                  # Markdown
          correct: true
          why: Because ...             # Markdown, shown after Check

Every rule is checked at build time so that a broken question fails the build, naming
the question and the file, instead of reaching a learner. The gradebook reads the same
file, through the same rules, to mark a learner's answers.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "QUESTIONS_FILE",
    "Option",
    "Question",
    "QuestionError",
    "is_correct",
    "load_questions",
    "parse_questions",
    "question_version",
]

QUESTIONS_FILE = Path(__file__).resolve().parent.parent / "exercises" / "questions.yml"

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
QUESTION_KEYS = {"id", "prompt", "select", "options"}
OPTION_KEYS = {"text", "correct", "why"}


class QuestionError(ValueError):
    """The questions file breaks a rule; the message names the file and the question."""


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    select: Literal["one", "many"]
    options: tuple[Option, ...]


def _text(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QuestionError(f"{where}: '{key}' must be non-empty Markdown text")
    return value


def _mapping(raw: Any, where: str, keys: set[str], expected: str) -> dict[Any, Any]:
    """``raw`` as a mapping with no key outside ``keys`` (``expected`` names them)."""
    if not isinstance(raw, dict):
        raise QuestionError(f"{where}: must be a mapping with {expected}")
    unknown = sorted(set(map(str, raw)) - keys)
    if unknown:
        raise QuestionError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return raw


def _option(raw: Any, where: str) -> Option:
    raw = _mapping(raw, where, OPTION_KEYS, "text, correct and why")
    if not isinstance(raw.get("correct"), bool):
        raise QuestionError(f"{where}: 'correct' must be true or false")
    return Option(
        text=_text(raw.get("text"), where, "text"),
        correct=raw["correct"],
        why=_text(raw.get("why"), where, "why"),
    )


def _question(raw: Any, where: str) -> Question:
    raw = _mapping(raw, where, QUESTION_KEYS, "id, prompt, select and options")
    qid = raw.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        raise QuestionError(
            f"{where}: 'id' must be lowercase letters and digits joined by hyphens, "
            f"got {qid!r}"
        )
    where = f"{where} ({qid})"
    prompt = _text(raw.get("prompt"), where, "prompt")
    select = raw.get("select")
    if select not in ("one", "many"):
        raise QuestionError(f"{where}: 'select' must be 'one' or 'many', got {select!r}")
    options_raw = raw.get("options")
    if not isinstance(options_raw, list) or len(options_raw) < 2:
        raise QuestionError(f"{where}: 'options' must list at least 2 options")
    options = tuple(
        _option(option, f"{where}, option {n}") for n, option in enumerate(options_raw, 1)
    )
    correct = sum(option.correct for option in options)
    if select == "one" and correct != 1:
        raise QuestionError(f"{where}: select: one needs exactly 1 correct option, has {correct}")
    if select == "many" and correct < 1:
        raise QuestionError(f"{where}: select: many needs at least 1 correct option")
    return Question(id=qid, prompt=prompt, select=select, options=options)


def parse_questions(text: str, source: str = "questions.yml") -> dict[str, Question]:
    """Parse and validate the YAML text of a questions file; keys are question ids."""
    import yaml  # lazily: the grader imports only the standard library at import time

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise QuestionError(f"{source}: not valid YAML: {error}") from None
    if data is None:
        data = []
    if not isinstance(data, list):
        raise QuestionError(f"{source}: must be a YAML list of questions")
    questions: dict[str, Question] = {}
    for index, raw in enumerate(data, 1):
        question = _question(raw, f"{source}: question {index}")
        if question.id in questions:
            raise QuestionError(f"{source}: question {index}: duplicate id '{question.id}'")
        questions[question.id] = question
    return questions


def load_questions(path: Path) -> dict[str, Question]:
    """Read ``path`` (a missing file means no questions) and validate every question."""
    if not path.exists():
        return {}
    return parse_questions(path.read_text(encoding="utf-8"), str(path))


def question_version(question: Question) -> str:
    """Short hash of the question; a stored answer to another version is dropped."""
    text = json.dumps(
        [question.prompt, question.select, [(o.text, o.correct) for o in question.options]]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def is_correct(question: Question, selected: tuple[int, ...] | list[int]) -> bool:
    """Whether ``selected`` (0-based option indices) is exactly the set of right options."""
    right = {i for i, option in enumerate(question.options) if option.correct}
    return set(selected) == right and len(set(selected)) == len(selected)
