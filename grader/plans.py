"""Trusted plans: what grading one exercise needs, fixed before any learner code runs.

A ``Plan`` holds the outcomes of the reference solution and of every known mistake on
every case, and the cases themselves as pickled bytes (a fresh copy for each submission,
which learner code cannot reach into). Plans are computed once per process, or taken from
the shipped plans: the build computes them under the site's own Pyodide and writes them
into the grader archive (``grader/_plans.pickle``), so the browser need not compute them
before its first verdict.
"""

from __future__ import annotations

import functools
import hashlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from pickle import dumps, loads
from typing import NamedTuple

from .cases import CaseData, Outcome, builtin_name, call_case, numpy_or_none, same_outcome
from .catalogue import all_exercises, get_exercise
from .execution import LearnerError, OutputBuffer, load_module
from .spec import FROM_REFERENCE, Array, ExerciseSpec
from .values import coerce

__all__ = [
    "PLANS_FILE",
    "BrokenExercise",
    "KnownMistake",
    "MissingPackage",
    "Plan",
    "needs_numpy",
    "pending",
    "plan_for",
    "prepare",
    "shipped_plans",
]


class MissingPackage(Exception):
    """The exercise needs a package (its name is the message) that is not installed."""


class BrokenExercise(Exception):
    """The exercise's own code (its reference or a known mistake) does not run: an
    author's error, which the message describes."""


class KnownMistake(NamedTuple):
    """A known mistake as a plan keeps it."""

    message: str
    """The feedback it must produce."""
    outcomes: tuple[Outcome, ...]
    """Its outcome on every case."""
    differs: tuple[int, ...]
    """The indices of the cases where it differs from the reference."""


@dataclass(frozen=True)
class Plan:
    """What grading one exercise needs, fixed before any learner code runs."""

    id: str
    function: str
    returns: str
    rtol: float
    atol: float
    cases: bytes
    """Pickled ``list[CaseData]``: a fresh copy for every submission."""
    expected: tuple[Outcome, ...]
    reference: tuple[Outcome, ...]
    mistakes: tuple[KnownMistake, ...]

    def fresh_cases(self) -> list[CaseData]:
        return loads(self.cases)


_PLANS: dict[str, Plan] = {}
_BROKEN: dict[str, str] = {}  # exercise id -> why its plan cannot be made


def needs_numpy(spec: ExerciseSpec) -> bool:
    """Whether the exercise, or one of its cases, needs numpy."""
    return "numpy" in spec.requires or any(
        isinstance(v, Array) for c in spec.all_cases() for v in (*c.args, *c.kwargs.values())
    )


def pending() -> list[str]:
    """The exercises whose plan is still to be made (it will read their specs then)."""
    return [i for i in all_exercises() if i not in _PLANS]


def plan_for(spec: ExerciseSpec) -> Plan:
    """The exercise's plan, computed now if this is its first submission; raises
    ``MissingPackage`` or ``BrokenExercise``."""
    plan = _PLANS.get(spec.id)
    if plan is None:
        if spec.id in _BROKEN:  # not retried: learner code may have run since
            raise BrokenExercise(_BROKEN[spec.id])
        try:
            plan = _PLANS[spec.id] = _compute(spec)
        except MissingPackage:
            raise
        except Exception as error:  # noqa: BLE001 - an author's error: this exercise only
            _BROKEN[spec.id] = str(error) if isinstance(error, BrokenExercise) else (
                f"its checks cannot be prepared ({type(error).__name__}: {error})")
            raise BrokenExercise(_BROKEN[spec.id]) from None
    return plan


def _compute(spec: ExerciseSpec) -> Plan:
    if needs_numpy(spec) and numpy_or_none() is None:
        raise MissingPackage("numpy")
    all_cases = spec.all_cases()
    blob = dumps([CaseData.of(c) for c in all_cases])
    reference = _outcomes_of(spec, spec.solution, blob, "the reference solution")
    expected = tuple(
        Outcome("raises", builtin_name(c.raises)) if c.raises is not None
        else ref if c.expected is FROM_REFERENCE
        else Outcome("value", coerce(c.expected, spec.returns, spec.function))
        for c, ref in zip(all_cases, reference, strict=True)
    )
    mistakes = []
    for mistake in spec.mistakes:
        theirs = _outcomes_of(spec, mistake.code, blob, f"known mistake {mistake.name!r}")
        differs = tuple(
            i for i, (a, b) in enumerate(zip(theirs, reference, strict=True))
            if not same_outcome(a, b, spec.rtol, spec.atol)
        )
        mistakes.append(KnownMistake(mistake.message, theirs, differs))
    return Plan(spec.id, spec.function, spec.returns, spec.rtol, spec.atol, blob,
                expected, reference, tuple(mistakes))


def _outcomes_of(spec: ExerciseSpec, source: str, blob: bytes, who: str) -> tuple[Outcome, ...]:
    """Outcomes of trusted code (the reference or a known mistake) on every case;
    ``BrokenExercise`` says why ``who`` cannot run."""
    buffer = OutputBuffer()
    try:
        namespace = load_module(source, buffer)
    except LearnerError as error:
        what = "has a syntax error" if error.type == "SyntaxError" else f"raises {error.type}"
        line = f" on line {error.line}" if error.line else ""
        raise BrokenExercise(f"{who} {what}{line}: {error.message}") from None
    fn = namespace.get(spec.function)
    if not callable(fn):
        defined = [n for n, v in namespace.items() if callable(v) and not n.startswith("__")]
        raise BrokenExercise(f"{who} does not define {spec.function}() (it defines: "
                             f"{', '.join(defined) or 'no function'})")
    return tuple(call_case(fn, case, buffer, spec.function, spec.returns).outcome
                 for case in loads(blob))


def prepare(*exercise_ids: str) -> None:
    """Compute trusted outcomes now, before any learner code runs: of the exercises
    named, or of every exercise.

    The browser's worker calls this once after loading the grader (and before taking a
    memory snapshot), so the first submission does not pay for it; the command line's
    child names the one exercise it grades. An exercise that needs numpy where numpy is
    missing is left out: its submissions get MissingPackage.
    """
    specs = [get_exercise(i) for i in exercise_ids] or list(all_exercises().values())
    _load_shipped()
    for spec in specs:
        try:
            plan_for(spec)
        except (MissingPackage, BrokenExercise):  # its submissions say so; the rest work
            pass


# The shipped plans are keyed by the hash of the sources archive they were computed from
# (the hash the build names its cached plans by), and list that archive's files with their
# hashes: they are used only where those files are unchanged, beside this package, and
# under the same Python (``sys.version``: float results differ between versions, e.g.
# ``sum()``). Otherwise, or if the file is missing or unreadable, the plans are computed
# here as usual. Exercises that need numpy are never shipped.
PLANS_FILE = "_plans.pickle"


def shipped_plans(archive: bytes) -> bytes:
    """The plans to ship with ``archive`` (the zip of the grader's and the exercises'
    sources this Python runs from): every exercise that does not need numpy, computed
    afresh. The build writes them to ``grader/_plans.pickle`` in the grader archive."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(archive)) as sources:
        files = {
            name: hashlib.sha256(sources.read(name)).hexdigest()
            for name in sources.namelist() if not name.endswith("/")
        }
    plans = {
        spec.id: _compute(spec) for spec in all_exercises().values() if not needs_numpy(spec)
    }
    return dumps({"archive": hashlib.sha256(archive).hexdigest(), "files": files,
                  "python": sys.version, "plans": plans})


@functools.cache
def _shipped() -> dict | None:
    """The shipped plans file, if it was made from the files here under this Python; else
    None. Read once per process."""
    here = Path(__file__).resolve()
    path, root = here.with_name(PLANS_FILE), here.parent.parent
    try:
        if path.is_file():
            shipped = loads(path.read_bytes())
            if shipped["python"] == sys.version and all(
                hashlib.sha256((root / name).read_bytes()).hexdigest() == digest
                for name, digest in shipped["files"].items()
            ):
                return shipped
    except Exception:  # noqa: BLE001, S110 - a broken file only means computing them here
        pass
    return None


def sources_checked() -> bool:
    """Whether the files here come with plans made from them: the build made those under
    this very Python, after checking every exercise there as ``verify`` does
    (scripts/grader-plans.mjs), so the catalogue's costlier author checks need not run
    again on the way to a first verdict."""
    return _shipped() is not None


def _load_shipped() -> None:
    """Take the shipped plans, if they were made from the files here."""
    shipped = _shipped()
    if shipped is None:
        return
    known = all_exercises()
    for exercise_id, plan in shipped["plans"].items():
        if exercise_id in known and isinstance(plan, Plan) and plan.id == exercise_id:
            _PLANS.setdefault(exercise_id, plan)
