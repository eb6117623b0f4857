"""The shape of an exercise: plain data that ``exercises/*.py`` fill in.

An exercise file defines one module-level ``EXERCISE = ExerciseSpec(...)``. The grader
turns it into checks; the site's build hook reads ``prompt``, ``starter``, ``hints`` and
``solution`` from it; pytest runs ``solution`` and every ``Mistake.code`` through
``grader.grade``. Nothing here runs learner code.

A spec checks itself when it is made (``SpecError`` names the exercise and what is wrong),
so an author's slip fails at import, in the build and in ``python -m grader verify``,
instead of reaching a learner as a grader that cannot start.
"""

from __future__ import annotations

import ast
import hashlib
import keyword
import pickle
import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from .values import Incorrect, coerce, short_repr

__all__ = ["Array", "Case", "ExerciseSpec", "Mistake", "FROM_REFERENCE", "Returns", "SpecError"]


class _FromReference:
    """Sentinel: the expected value is what the reference solution returns."""

    def __repr__(self) -> str:
        return "FROM_REFERENCE"


FROM_REFERENCE: Any = _FromReference()

# How a return value is coerced before it is compared:
#   "real"  -> float (int, float, numpy scalars; bool and str rejected)
#   "reals" -> list[float] from a list, tuple or 1-D numpy array
#   "index" -> int (int or numpy integer; bool and float rejected)
Returns = Literal["real", "reals", "index"]
_KINDS = {
    "real": "a real number (an int or a float)",
    "reals": "a list or a tuple of real numbers",
    "index": "a whole number (an int)",
}
assert set(_KINDS) == set(get_args(Returns))
# Ids name widgets in pages, HTML attributes and work files: lowercase words and hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class SpecError(ValueError):
    """An exercise spec that cannot be graded; the message names the exercise."""


@dataclass(frozen=True)
class Array:
    """An argument to pass as a 1-D numpy array (or 2-D for a list of rows).

    Only for exercises that declare ``requires=("numpy",)``: a pure-Python exercise takes
    lists and tuples, so that every one of its checks runs in every runtime.
    """

    values: tuple[Any, ...]

    def __init__(self, values: Iterable[Any]):
        object.__setattr__(
            self,
            "values",
            tuple(tuple(v) if isinstance(v, (list, tuple)) else v for v in values),
        )


@dataclass(frozen=True)
class Case:
    """One call of the learner's function, and what must come of it.

    ``expected`` defaults to the reference solution's return value for the same
    arguments; give it explicitly for worked examples from the lesson, so that the
    reference itself is checked against the text. ``raises`` expects that exception type
    instead of a value. ``forbid_mutation`` fails the case if any argument changed.
    ``example`` marks a call that the prompt shows with its answer (the tests check that
    the prompt and the case agree, and that memorizing the examples does not pass).
    """

    name: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    expected: Any = FROM_REFERENCE
    raises: type[Exception] | None = None
    forbid_mutation: bool = False
    example: bool = False


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and the headline feedback it must produce.

    ``code`` is a complete wrong solution. The grader recognizes the mistake in a
    learner's submission when the submission's results on every case equal this code's
    results (and differ from the reference somewhere). A mistake that no output can
    reveal (mutating an input) is recognized by the failing check, so its ``message``
    must then be that check's message.

    ``hint`` is what the page's Hint button offers first after this mistake was named:
    a nudge toward the fix that the message does not already give away.
    """

    name: str
    code: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class ExerciseSpec:
    """Everything about one exercise; see the module docstring."""

    id: str
    title: str
    function: str
    prompt: str
    starter: str
    solution: str
    hints: tuple[str, ...]
    cases: tuple[Case, ...]
    returns: Returns
    mistakes: tuple[Mistake, ...] = ()
    random_cases: Callable[[random.Random], Iterable[Case]] | None = None
    seed: int = 2024
    rtol: float = 1e-9
    atol: float = 1e-12
    requires: tuple[str, ...] = ()
    order: int = 100

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise SpecError(f"exercise {self.id!r}: " + "; ".join(problems))

    def all_cases(self) -> list[Case]:
        """Fixed cases, then the seeded random ones (the same on every run)."""
        cases = list(self.cases)
        if self.random_cases is not None:
            cases.extend(self.random_cases(random.Random(self.seed)))
        return cases

    @property
    def version(self) -> str:
        """Short hash of what a learner sees; saved work from another version is stale."""
        text = "\0".join([self.id, self.function, self.prompt, self.starter])
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _problems(spec: ExerciseSpec) -> list[str]:
    """What is wrong with a spec, each in a few words (empty if nothing is)."""
    problems = []
    if not isinstance(spec.id, str) or not ID_PATTERN.match(spec.id):
        problems.append("its id must be lowercase words joined by hyphens, like 'l2-penalty'")
    if not isinstance(spec.function, str) or not spec.function.isidentifier() or (
        keyword.iskeyword(spec.function)
    ):
        problems.append(f"function={spec.function!r} is not a Python function name")
    for name in ("title", "prompt", "starter", "solution"):
        if not isinstance(getattr(spec, name), str) or not getattr(spec, name).strip():
            problems.append(f"{name} must be a non-empty string")
    for name in ("hints", "requires"):
        value = getattr(spec, name)
        if not isinstance(value, tuple) or not all(isinstance(v, str) and v for v in value):
            problems.append(f"{name} must be a tuple of strings (one item: ('...',))")
    if spec.returns not in _KINDS:
        kinds = ", ".join(map(repr, _KINDS))
        problems.append(f"returns={spec.returns!r} is not a kind of answer: use one of {kinds}")
    for name in ("rtol", "atol"):
        value = getattr(spec, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            problems.append(f"{name}={value!r} must be a number >= 0")
    problems += _case_problems(spec)
    problems += _mistake_problems(spec)
    return problems


def _case_problems(spec: ExerciseSpec) -> list[str]:
    if not isinstance(spec.cases, tuple):
        return ["cases must be a tuple of Case"]
    cases: list[Any] = list(spec.cases)
    if spec.random_cases is not None:
        try:
            cases += list(spec.random_cases(random.Random(spec.seed)))
        except Exception as error:  # noqa: BLE001 - an author's function: say how it broke
            return [f"random_cases raised {type(error).__name__}: {error}"]
    if not cases:
        return ["it has no cases, so it would pass any code: give at least one Case"]
    problems, seen = [], set()
    for i, case in enumerate(cases):
        if not isinstance(case, Case):
            where = "random_cases" if i >= len(spec.cases) else "cases"
            problems.append(f"{where} holds {short_repr(case)}, which is not a Case")
            continue
        label = f"case {case.name!r}"
        if case.name in seen:
            problems.append(f"two cases are named {case.name!r}")
        seen.add(case.name)
        if not isinstance(case.args, tuple):
            problems.append(f"{label}: args must be a tuple (one argument: (value,))")
        if not isinstance(case.kwargs, Mapping):
            problems.append(f"{label}: kwargs must be a dict")
        else:
            try:  # the grader keeps the cases pickled, a fresh copy for every submission
                pickle.dumps((case.args, dict(case.kwargs), case.raises))
            except Exception as error:  # noqa: BLE001 - what cannot be pickled, said
                problems.append(f"{label}: its arguments cannot be copied ({error})")
        if case.raises is not None:
            if not (isinstance(case.raises, type) and issubclass(case.raises, Exception)):
                problems.append(f"{label}: raises={case.raises!r} is not an exception class")
            if case.expected is not FROM_REFERENCE:
                problems.append(f"{label}: give expected or raises, not both")
        elif case.expected is not FROM_REFERENCE and spec.returns in _KINDS:
            try:
                coerce(case.expected, spec.returns, spec.function)
            except (Incorrect, TypeError, ValueError):
                problems.append(
                    f"{label}: expected={short_repr(case.expected)} "
                    f"(a {type(case.expected).__name__}) is not what returns="
                    f"{spec.returns!r} asks for, {_KINDS[spec.returns]}"
                )
    return problems


def _shape(code: str) -> str:
    """The program a source is, comments and layout aside: two sources are the same
    program when their shapes are equal. Computed once per source (an exercise has many
    known mistakes, and every import of the catalogue checks them)."""
    try:
        return "ast " + ast.dump(ast.parse(code))
    except (SyntaxError, ValueError):
        return "text " + code.strip()


def _checked_by_the_build() -> bool:
    """Whether these sources come with the plans the build made from them, after this
    module's checks passed there under the same Python (``grader.plans.sources_checked``)."""
    from . import plans  # here, not above: plans imports this module

    return plans.sources_checked()


def _mistake_problems(spec: ExerciseSpec) -> list[str]:
    if not isinstance(spec.mistakes, tuple):
        return ["mistakes must be a tuple of Mistake"]
    problems, names = [], set()
    # Comparing programs is most of what importing the catalogue costs; where the build
    # already compared these very sources, the first verdict need not wait for it again.
    shapes = None if _checked_by_the_build() else {}  # name -> shape of each mistake so far
    solution = spec.solution if isinstance(spec.solution, str) else None
    reference = _shape(solution) if shapes is not None and solution is not None else None
    for mistake in spec.mistakes:
        if not isinstance(mistake, Mistake):
            problems.append(f"mistakes holds {short_repr(mistake)}, which is not a Mistake")
            continue
        label = f"known mistake {mistake.name!r}"
        if mistake.name in names:
            problems.append(f"two known mistakes are named {mistake.name!r}")
        names.add(mistake.name)
        if not isinstance(mistake.code, str) or not isinstance(mistake.message, str) or not (
            mistake.message.strip()
        ):
            problems.append(f"{label}: code and message must be strings, message not empty")
            continue
        if shapes is None:
            continue
        shape = _shape(mistake.code)
        if shape == reference:
            problems.append(f"{label}: its code is the reference solution's")
        for other, known in shapes.items():
            if shape == known:
                problems.append(f"{label}: its code is known mistake {other!r}'s")
        shapes[mistake.name] = shape
    return problems
