"""``grade()``: run a submission against an exercise's cases and build the result dict.

Trusted outcomes (the reference's and every known mistake's) are computed once per
exercise, before any learner code runs, into a ``_Plan`` that learner code cannot reach
into (its cases are kept as pickled bytes). Every submission runs under a
``grader.integrity.Guard``: a change to the interpreter becomes a ``ChangedPython``
error, restored, instead of a verdict. This module is the one place that turns outcomes
into what the learner reads (the headline, the checks, the error).
"""

from __future__ import annotations

import difflib
import hashlib
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from pickle import dumps, loads
from typing import Any

from .catalogue import all_exercises, get_exercise
from .contract import Result, make_result, message
from .display import show, show_pair, show_returned, tolerance_text
from .execution import LearnerError, OutputBuffer, captured, describe_exception, load_module
from .integrity import Guard, describe_changes
from .spec import FROM_REFERENCE, Array, ExerciseSpec
from .values import Incorrect, coerce, kind_of, same_value, short_repr, snapshot, unchanged

__all__ = ["PLANS_FILE", "BrokenExercise", "grade", "prepare", "run", "shipped_plans"]

# What one call produced, comparable between learner, reference and known mistakes:
# ("value", coerced) | ("raises", nearest built-in exception name)
# | ("invalid", what kind of thing came back instead of an answer: see values.kind_of)
Outcome = tuple[str, Any]
# One case as the plan keeps it: (name, args, kwargs, raises, forbid_mutation)
CaseData = tuple[str, tuple, dict, "type[BaseException] | None", bool]


def _numpy():
    """numpy if it can be imported without a download, else None (imported lazily)."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


class _MissingPackage(Exception):
    pass


class BrokenExercise(Exception):
    """The exercise's own code (its reference or a known mistake) does not run: an
    author's error, which the message describes."""


@dataclass(frozen=True)
class _Plan:
    """What grading one exercise needs, fixed before any learner code runs."""

    id: str
    function: str
    returns: str
    rtol: float
    atol: float
    cases: bytes  # pickled list[CaseData]: a fresh copy for every submission
    expected: tuple[Outcome, ...]
    reference: tuple[Outcome, ...]
    # (message, outcomes, indices of the cases where it differs from the reference)
    mistakes: tuple[tuple[str, tuple[Outcome, ...], tuple[int, ...]], ...]


_PLANS: dict[str, _Plan] = {}
_BROKEN: dict[str, str] = {}  # exercise id -> why its plan cannot be made


def _needs_numpy(spec: ExerciseSpec) -> bool:
    return "numpy" in spec.requires or any(
        isinstance(v, Array) for c in spec.all_cases() for v in (*c.args, *c.kwargs.values())
    )


def _plan(spec: ExerciseSpec) -> _Plan:
    """The exercise's plan, computed now if this is its first submission."""
    plan = _PLANS.get(spec.id)
    if plan is None:
        if spec.id in _BROKEN:  # not retried: learner code may have run since
            raise BrokenExercise(_BROKEN[spec.id])
        try:
            plan = _PLANS[spec.id] = _compute_plan(spec)
        except _MissingPackage:
            raise
        except Exception as error:  # noqa: BLE001 - an author's error: this exercise only
            _BROKEN[spec.id] = str(error) if isinstance(error, BrokenExercise) else (
                f"its checks cannot be prepared ({type(error).__name__}: {error})")
            raise BrokenExercise(_BROKEN[spec.id]) from None
    return plan


def _compute_plan(spec: ExerciseSpec) -> _Plan:
    if _needs_numpy(spec) and _numpy() is None:
        raise _MissingPackage("numpy")
    all_cases = spec.all_cases()
    cases = [
        (c.name, tuple(c.args), dict(c.kwargs), c.raises, c.forbid_mutation)
        for c in all_cases
    ]
    blob = dumps(cases)
    reference = _outcomes_of(spec, spec.solution, blob, "the reference solution")
    expected = tuple(
        ("raises", _builtin_name(c.raises)) if c.raises is not None
        else ref if c.expected is FROM_REFERENCE
        else ("value", coerce(c.expected, spec.returns, spec.function))
        for c, ref in zip(all_cases, reference, strict=True)
    )
    mistakes = []
    for mistake in spec.mistakes:
        theirs = _outcomes_of(spec, mistake.code, blob, f"known mistake {mistake.name!r}")
        differs = tuple(
            i for i, (a, b) in enumerate(zip(theirs, reference, strict=True))
            if not _same_outcome(a, b, spec.rtol, spec.atol)
        )
        mistakes.append((mistake.message, theirs, differs))
    return _Plan(spec.id, spec.function, spec.returns, spec.rtol, spec.atol, blob,
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
    plan = _Plan(spec.id, spec.function, spec.returns, spec.rtol, spec.atol, blob, (), (), ())
    return tuple(_call(plan, fn, case, buffer).outcome for case in loads(blob))


def prepare(*exercise_ids: str) -> None:
    """Compute trusted outcomes now, before any learner code runs: of the exercises
    named, or of every exercise.

    The browser's worker calls this once after loading the grader (and before taking a
    memory snapshot), so the first submission does not pay for it; the command line's
    child names the one exercise it grades. An exercise that needs numpy where numpy is
    missing is left out: its submissions get MissingPackage.
    """
    specs = [get_exercise(i) for i in exercise_ids] or list(all_exercises().values())
    _load_shipped_plans()
    for spec in specs:
        try:
            _plan(spec)
        except (_MissingPackage, BrokenExercise):  # its submissions say so; the rest work
            pass


# Plans computed when the site is built (under the site's own Pyodide), shipped in the
# grader archive beside this file, so the browser does not recompute them before its first
# verdict. They are used only where they were made for the same sources (a hash of the
# grader's and the exercises' files) and the same Python (``sys.version``: float results
# differ between versions, e.g. ``sum()``); otherwise, or if the file is missing or
# unreadable, the plans are computed here as usual. Exercises that need numpy are never
# shipped.
PLANS_FILE = "_plans.pickle"
_SOURCE_SUFFIXES = (".py", ".yml", ".yaml", ".json", ".typed")
_shipped_checked = False


def _sources_key() -> str:
    """A hash of every source file of the ``grader`` and ``exercises`` packages."""
    import exercises

    digest = hashlib.sha256()
    for folder in (Path(__file__).parent, *map(Path, exercises.__path__)):
        files = sorted(
            p for p in folder.rglob("*")
            if p.is_file() and p.suffix in _SOURCE_SUFFIXES and "__pycache__" not in p.parts
        )
        for path in files:
            digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def shipped_plans() -> bytes:
    """The plans to ship (every exercise that does not need numpy), computed afresh and
    keyed by the sources they were computed from: the build writes them to
    ``grader/_plans.pickle`` in the grader archive."""
    plans = {
        spec.id: _compute_plan(spec)
        for spec in all_exercises().values() if not _needs_numpy(spec)
    }
    return dumps({"key": _sources_key(), "python": sys.version, "plans": plans})


def _load_shipped_plans() -> None:
    """Take the shipped plans that match these sources (once per process)."""
    global _shipped_checked
    if _shipped_checked:
        return
    _shipped_checked = True
    path = Path(__file__).with_name(PLANS_FILE)
    if not path.is_file():
        return
    try:
        shipped = loads(path.read_bytes())
        if shipped["python"] != sys.version or shipped["key"] != _sources_key():
            return
        known = all_exercises()
        for exercise_id, plan in shipped["plans"].items():
            if exercise_id in known and isinstance(plan, _Plan) and plan.id == exercise_id:
                _PLANS.setdefault(exercise_id, plan)
    except Exception:  # noqa: BLE001, S110 - a broken file only means computing them here
        pass


def _builtin_name(kind: type[BaseException]) -> str:
    """The nearest built-in exception class: a learner's ``class Oops(ValueError)`` is
    a ValueError when compared with a known mistake's outcome."""
    for base in kind.__mro__:
        if base.__module__ == "builtins":
            return base.__name__
    return "BaseException"


def _materialize(value: Any) -> Any:
    """A fresh copy of a case argument, with ``Array`` turned into a numpy array."""
    if isinstance(value, Array):
        return _numpy().array(value.values, dtype=float)
    return snapshot(value)


def _call_text(plan: _Plan, case: CaseData) -> str:
    _, args, kwargs, _, _ = case
    parts = [show(_materialize(a)) for a in args]
    parts += [f"{k}={show(_materialize(v))}" for k, v in kwargs.items()]
    return f"{plan.function}({', '.join(parts)})"


@dataclass
class _Call:
    outcome: Outcome
    value: Any = None  # the raw return value, for messages
    got: Any = None  # the coerced value
    problem: str = ""  # why the return value is not a valid answer
    error: LearnerError | None = None
    raised: type | None = None
    mutated: str | None = None  # name of an argument changed in place


def _param_name(fn: Callable[..., Any], index: int) -> str:
    try:
        params = list(inspect.signature(fn).parameters.values())
        if index < len(params) and params[index].kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            return str(params[index].name)
    except Exception:  # noqa: BLE001, S110 - a learner's __signature__ may be anything
        pass
    return f"argument {index + 1}"


def _call(plan: _Plan, fn: Callable[..., Any], case: CaseData, buffer: OutputBuffer) -> _Call:
    _, raw_args, raw_kwargs, _, forbid_mutation = case
    args = [_materialize(a) for a in raw_args]
    kwargs = {k: _materialize(v) for k, v in raw_kwargs.items()}
    if forbid_mutation:
        before = ([snapshot(a) for a in args], {k: snapshot(v) for k, v in kwargs.items()})
    with captured(buffer):
        try:
            value = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            kind = type(exc)
            return _Call(("raises", _builtin_name(kind)), error=describe_exception(exc),
                         raised=kind)
        call = _Call(("invalid", kind_of(value)), value=value)
        try:
            call.got = coerce(value, plan.returns, plan.function)
            call.outcome = ("value", call.got)
        except Incorrect as failure:
            call.problem = str(failure)
        except Exception:  # noqa: BLE001 - a learner object that breaks while being read
            call.problem = (
                f"{plan.function}() returned {short_repr(value)}, which the grader cannot "
                "read as an answer."
            )
        if forbid_mutation:
            call.mutated = _mutated(fn, before, args, kwargs)
    return call


def _mutated(fn: Callable[..., Any], before: tuple, args: list, kwargs: dict) -> str | None:
    """The name of the first argument the call changed in place, or None."""
    for i, (old, new) in enumerate(zip(before[0], args, strict=True)):
        if not _safely_unchanged(old, new):
            return _param_name(fn, i)
    for key, old in before[1].items():
        if not _safely_unchanged(old, kwargs[key]):
            return key
    return None


def _safely_unchanged(old: Any, new: Any) -> bool:
    try:
        return unchanged(old, new)
    except Exception:  # noqa: BLE001 - the learner put an object there that won't compare
        return False


def _where(error: LearnerError) -> str:
    return f" (line {error.line})" if error.line else ""


def _judge(plan: _Plan, case: CaseData, call: _Call, expected: Outcome) -> str:
    """The learner's message when the call is wrong, or "" when it is right."""
    text = _call_text(plan, case)
    raises = case[3]
    expected_raise = raises is not None and call.raised is not None and issubclass(
        call.raised, raises
    )
    if call.error is not None and not expected_raise:
        raised = f"{call.error.type}: {call.error.message}{_where(call.error)}"
        if raises is not None:
            return f"{text} should raise {raises.__name__}, but it raised {raised}."
        return f"{text} raised {raised}."
    if call.mutated:
        return (
            f"{plan.function}() changed its argument `{call.mutated}` in place; build and "
            "return a new list instead of modifying the one you were given."
        )
    if raises is not None:
        if not expected_raise:
            returned = show_returned(call.value)
            return f"{text} should raise {raises.__name__}, but it returned {returned}."
        return ""
    if call.problem:
        return call.problem
    if not same_value(call.got, expected[1], plan.rtol, plan.atol):
        return _wrong_value(plan, text, call.got, expected[1])
    return ""


def _wrong_value(plan: _Plan, text: str, got: Any, expected: Any) -> str:
    """The message for an answer of the right kind but the wrong value."""
    if type(got) is list and type(expected) is list and len(got) != len(expected):
        return (
            f"{text} returned {len(got)} numbers, {show(got)}; expected {len(expected)}, "
            f"{show(expected)}."
        )
    shown, wanted = show_pair(got, expected, plan.rtol, plan.atol)
    if plan.returns == "index":
        return f"{text} returned {shown}; expected {wanted}."
    tolerance = tolerance_text(plan.rtol, plan.atol, items=plan.returns == "reals")
    return f"{text} returned {shown}; expected {wanted} ({tolerance})."


def _same_outcome(a: Outcome, b: Outcome, rtol: float, atol: float) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "value":
        return same_value(a[1], b[1], rtol, atol, nan_equal=True)
    return a[1] == b[1]


def _recognize(plan: _Plan, outcomes: list[Outcome]) -> str | None:
    """The known mistake the learner made, or None.

    Mistake M is named when the learner's outcomes equal M's on every case where M's
    differ from the reference's, even if the learner also fails elsewhere. Among several,
    the one agreeing with the learner on the most cases wins, then the first declared.
    """
    best: tuple[int, str] | None = None
    for text, theirs, differs in plan.mistakes:
        if not differs or not all(
            _same_outcome(outcomes[i], theirs[i], plan.rtol, plan.atol) for i in differs
        ):
            continue
        agree = sum(
            _same_outcome(a, b, plan.rtol, plan.atol)
            for a, b in zip(outcomes, theirs, strict=True)
        )
        if best is None or agree > best[0]:
            best = agree, text
    return best[1] if best else None


def _result(plan_or_id: Any, status: str, feedback: str, **extra: Any) -> Result:
    exercise = plan_or_id if isinstance(plan_or_id, str) else plan_or_id.id
    return make_result(exercise, status, feedback, **extra)


def _find_function(plan: _Plan, namespace: dict[str, Any]) -> Callable[..., Any]:
    fn = namespace.get(plan.function)
    if fn is None:
        defined = [
            n for n, v in namespace.items()
            if type(n) is str and callable(v) and not n.startswith("__")
        ]
        close = difflib.get_close_matches(plan.function, defined, n=1)
        tip = f" Your code defines `{close[0]}`: is that name misspelled?" if close else ""
        raise LearnerError(
            "MissingFunction",
            f"your code doesn't define a function named `{plan.function}`.{tip}",
        )
    if not callable(fn):
        raise LearnerError(
            "MissingFunction",
            f"`{plan.function}` is {short_repr(fn)} (a {type(fn).__name__}), not a function.",
        )
    return fn


def _error_feedback(error: LearnerError) -> str:
    if error.type == "SyntaxError":
        where = f" on line {error.line}" if error.line else ""
        return f"Your code has a syntax error{where}: {error.message}."
    if error.type in ("MissingFunction", "MissingPackage", "BrokenExercise"):
        return error.message[0].upper() + error.message[1:]
    where = f" on line {error.line}" if error.line else ""
    return f"Your code raised {error.type}{where} before any check ran: {error.message}."


def _error(plan_or_id: Any, error: LearnerError, stdout: str) -> Result:
    return _result(plan_or_id, "error", _error_feedback(error), error=error.as_dict(),
                   stdout=stdout)


def _catalogue() -> list[tuple[str, Any]]:
    """For the guard to watch too: the specs, cases and mistakes of the exercises whose
    plan is still to be made (a plan, once made, no longer reads its spec)."""
    exercises = all_exercises()
    watch: list[tuple[str, Any]] = [("the exercise catalogue", exercises)]
    for spec in exercises.values():
        if spec.id not in _PLANS:
            watch.append((f"exercise {spec.id}", spec))
            watch += [(f"exercise {spec.id}, {c.name!r}", c) for c in spec.cases]
            watch += [(f"exercise {spec.id}, {m.name!r}", m) for m in spec.mistakes]
    return watch


def _changed_python(exercise: str, changes: list[str], stdout: str) -> Result:
    feedback = message("changed_python", what=describe_changes(changes))
    error = {"type": "ChangedPython", "message": feedback, "line": None, "traceback": ""}
    return make_result(exercise, "error", feedback, error=error, stdout=stdout)


def grade(exercise_id: str, source: str) -> Result:
    """Grade ``source`` for exercise ``exercise_id``; return the JSON-able result dict.

    >>> source = "def l2_penalty(w):\\n    return float(sum(x * x for x in w))\\n"
    >>> grade("l2-penalty", source)["status"]
    'pass'

    Raises ``UnknownExercise`` for an id that no exercise has; whatever the source does,
    it returns a result.
    """
    spec = get_exercise(exercise_id)
    buffer = OutputBuffer()
    try:
        plan = _plan(spec)
    except _MissingPackage as missing:
        text = f"this exercise needs {missing}, which is not installed here."
        return _error(spec.id, LearnerError("MissingPackage", text), "")
    except BrokenExercise as broken:
        text = (f"this exercise cannot be graded: {broken}. That is a mistake in the course, "
                "not in your code; please tell the course's author.")
        return _error(spec.id, LearnerError("BrokenExercise", text), "")
    guard = Guard(_catalogue())
    try:
        result = _grade(plan, source, buffer, guard)
    except Exception as exc:  # noqa: BLE001 - a changed Python, or an object beyond reading
        result = _ungradable(plan, exc, buffer)
    except BaseException:  # the host's Ctrl+C: restore, then let it through
        guard.check()
        raise
    changes = guard.check()
    if changes:
        return _changed_python(plan.id, changes, buffer.getvalue())
    return result


def _ungradable(plan: _Plan, exc: Exception, buffer: OutputBuffer) -> Result:
    error = describe_exception(exc)
    feedback = message("ungradable", reason=f"{error.type}: {error.message}")
    info = {"type": "Ungradable", "message": feedback, "line": error.line, "traceback": ""}
    return _result(plan, "error", feedback, error=info, stdout=buffer.getvalue())


def _grade(plan: _Plan, source: str, buffer: OutputBuffer, guard: Guard) -> Result | None:
    try:
        fn = _find_function(plan, load_module(source, buffer))
    except LearnerError as error:
        return _error(plan, error, buffer.getvalue())
    if guard.check():
        return None  # changed at import: grade() reports it

    checks: list[dict[str, Any]] = []
    outcomes: list[Outcome] = []
    for case, expected in zip(loads(plan.cases), plan.expected, strict=True):
        call = _call(plan, fn, case, buffer)
        guard.quick()
        outcomes.append(call.outcome)
        failure = _judge(plan, case, call, expected)
        check = {"name": case[0], "passed": not failure, "message": failure}
        if failure and call.error is not None and call.error.line:
            check["line"] = call.error.line  # where the learner's code raised
        checks.append(check)

    passed = sum(c["passed"] for c in checks)
    stdout = buffer.getvalue()
    if passed == len(checks):
        feedback = f"All {len(checks)} checks passed. Well done!"
        return _result(plan, "pass", feedback, score=1.0, checks=checks, stdout=stdout)
    score = round(passed / len(checks), 4)
    feedback = _recognize(plan, outcomes) or next(c["message"] for c in checks if not c["passed"])
    return _result(plan, "fail", feedback, score=score, checks=checks, stdout=stdout)


def run(source: str) -> dict[str, Any]:
    """Run ``source`` as a script (``__name__ == "__main__"``) without grading it."""
    buffer = OutputBuffer()
    guard = Guard(_catalogue())
    error = None
    try:
        load_module(source, buffer, name="__main__")
    except LearnerError as failure:
        error = failure.as_dict()
    except BaseException:
        guard.check()
        raise
    changes = guard.check()
    if changes:
        feedback = message("changed_python", what=describe_changes(changes))
        error = {"type": "ChangedPython", "message": feedback, "line": None, "traceback": ""}
    status = "ok" if error is None else "error"
    return {"status": status, "stdout": buffer.getvalue(), "error": error}
