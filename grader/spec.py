"""The shape of an exercise: plain data that ``exercises/*.py`` fill in.

An exercise file defines one module-level ``EXERCISE = ExerciseSpec(...)``. The grader
turns it into checks; the site's build hook reads ``prompt``, ``starter``, ``hints`` and
``solution`` from it; pytest runs ``solution`` and every ``Mistake.code`` through
``grader.grade``. Nothing here runs learner code.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Array", "Case", "ExerciseSpec", "Mistake", "FROM_REFERENCE", "Returns"]


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
