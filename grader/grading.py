"""``grade()``: run a submission against an exercise's cases and build the result dict.

Each case raises ``Incorrect`` when it fails; this module is the one place that turns
outcomes into what the learner reads (the headline, the checks, the error).
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from .catalogue import all_exercises, get_exercise
from .contract import Result, make_result
from .execution import LearnerError, OutputBuffer, captured, describe_exception, load_module
from .spec import FROM_REFERENCE, Array, Case, ExerciseSpec
from .values import Incorrect, coerce, same_value, short_repr, snapshot, unchanged

__all__ = ["grade", "prepare", "run"]

# What one call produced, comparable between learner, reference and known mistakes:
# ("value", coerced) | ("raises", exception type name) | ("invalid", None)
Outcome = tuple[str, Any]


def _numpy():
    """numpy if it can be imported without a download, else None (imported lazily)."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _runnable_cases(spec: ExerciseSpec) -> list[Case]:
    has_numpy = _numpy() is not None
    return [c for c in spec.all_cases() if has_numpy or not _uses_array(c)]


def _uses_array(case: Case) -> bool:
    return any(isinstance(v, Array) for v in (*case.args, *case.kwargs.values()))


def _materialize(value: Any) -> Any:
    """A fresh copy of a case argument, with ``Array`` turned into a numpy array."""
    if isinstance(value, Array):
        return _numpy().array(value.values, dtype=float)
    return snapshot(value)


def _call_text(spec: ExerciseSpec, case: Case) -> str:
    parts = [short_repr(_materialize(a)) for a in case.args]
    parts += [f"{k}={short_repr(_materialize(v))}" for k, v in case.kwargs.items()]
    return f"{spec.function}({', '.join(parts)})"


@dataclass
class _Call:
    outcome: Outcome
    value: Any = None  # the raw return value, for messages
    error: LearnerError | None = None
    mutated: str | None = None  # name of an argument changed in place


def _param_name(fn: Callable[..., Any], index: int) -> str:
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    if index < len(params) and params[index].kind in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        return params[index].name
    return f"argument {index + 1}"


def _call(spec: ExerciseSpec, fn: Callable[..., Any], case: Case, buffer: OutputBuffer) -> _Call:
    args = [_materialize(a) for a in case.args]
    kwargs = {k: _materialize(v) for k, v in case.kwargs.items()}
    before = [snapshot(a) for a in args], {k: snapshot(v) for k, v in kwargs.items()}
    with captured(buffer):
        try:
            value = fn(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            error = describe_exception(exc)
            return _Call(("raises", type(exc).__name__), error=error)
    mutated = None
    for i, (old, new) in enumerate(zip(before[0], args, strict=True)):
        if not unchanged(old, new):
            mutated = _param_name(fn, i)
            break
    for key, old in before[1].items():
        if mutated is None and not unchanged(old, kwargs[key]):
            mutated = key
    try:
        outcome: Outcome = ("value", coerce(value, spec.returns, spec.function))
    except Incorrect:
        outcome = ("invalid", None)
    return _Call(outcome, value=value, mutated=mutated)


def _expected(spec: ExerciseSpec, case: Case, reference: Outcome) -> Outcome:
    if case.raises is not None:
        return ("raises", case.raises.__name__)
    if case.expected is not FROM_REFERENCE:
        return ("value", coerce(case.expected, spec.returns, spec.function))
    return reference


def _where(error: LearnerError) -> str:
    return f" (line {error.line})" if error.line else ""


def _judge(spec: ExerciseSpec, case: Case, call: _Call, expected: Outcome) -> None:
    """Raise ``Incorrect`` with the learner's message when the call is wrong."""
    text = _call_text(spec, case)
    kind, want = expected
    if call.error is not None and not (
        case.raises is not None and call.outcome == ("raises", case.raises.__name__)
    ):
        raised = f"{call.error.type}: {call.error.message}{_where(call.error)}"
        if case.raises is not None:
            raise Incorrect(f"{text} should raise {case.raises.__name__}, but it raised {raised}.")
        raise Incorrect(f"{text} raised {raised}.")
    if case.forbid_mutation and call.mutated:
        raise Incorrect(
            f"{spec.function}() changed its argument `{call.mutated}` in place; build and "
            "return a new list instead of modifying the one you were given."
        )
    if kind == "raises":
        if call.outcome[0] != "raises":
            raise Incorrect(
                f"{text} should raise {want}, but it returned {short_repr(call.value)}."
            )
        return
    got = coerce(call.value, spec.returns, spec.function)  # raises Incorrect with the reason
    if not same_value(got, want, spec.rtol, spec.atol):
        raise Incorrect(f"{text} returned {short_repr(got)}; expected {short_repr(want)}.")


def _matches(a: list[Outcome], b: list[Outcome], spec: ExerciseSpec) -> bool:
    return len(a) == len(b) and all(
        x[0] == y[0]
        and (x[0] != "value" or same_value(x[1], y[1], spec.rtol, spec.atol, nan_equal=True))
        and (x[0] != "raises" or x[1] == y[1])
        for x, y in zip(a, b, strict=True)
    )


def _outcomes_of(spec: ExerciseSpec, source: str, cases: list[Case]) -> list[Outcome]:
    """Outcomes of trusted code (the reference or a known mistake) on every case."""
    buffer = OutputBuffer()
    fn = load_module(source, buffer)[spec.function]
    return [_call(spec, fn, case, buffer).outcome for case in cases]


@cache
def _trusted_outcomes(exercise_id: str, has_numpy: bool) -> tuple[list, list[list]]:
    spec = get_exercise(exercise_id)
    cases = _runnable_cases(spec)
    reference = _outcomes_of(spec, spec.solution, cases)
    mistakes = [_outcomes_of(spec, m.code, cases) for m in spec.mistakes]
    return reference, mistakes


def prepare() -> None:
    """Compute every exercise's trusted outcomes now, before any learner code runs.

    The browser's worker calls this once after loading the grader (and before taking a
    memory snapshot), so the first submission does not pay for it and no trusted outcome
    is ever computed in an interpreter that learner code has touched.
    """
    has_numpy = _numpy() is not None
    for spec in all_exercises().values():
        if has_numpy or "numpy" not in spec.requires:
            _trusted_outcomes(spec.id, has_numpy)


def _result(spec: ExerciseSpec, status: str, feedback: str, **extra: Any) -> Result:
    return make_result(spec.id, status, feedback, **extra)


def _find_function(spec: ExerciseSpec, namespace: dict[str, Any]) -> Callable[..., Any]:
    fn = namespace.get(spec.function)
    if fn is None:
        defined = [n for n, v in namespace.items() if callable(v) and not n.startswith("__")]
        close = difflib.get_close_matches(spec.function, defined, n=1)
        tip = f" Your code defines `{close[0]}`: is that name misspelled?" if close else ""
        raise LearnerError(
            "MissingFunction",
            f"your code doesn't define a function named `{spec.function}`.{tip}",
        )
    if not callable(fn):
        raise LearnerError(
            "MissingFunction",
            f"`{spec.function}` is {short_repr(fn)} (a {type(fn).__name__}), not a function.",
        )
    return fn


def _error_feedback(error: LearnerError) -> str:
    if error.type == "SyntaxError":
        return f"Your code has a syntax error on line {error.line}: {error.message}."
    if error.type == "MissingFunction":
        return error.message[0].upper() + error.message[1:]
    if error.type == "MissingPackage":
        return error.message
    where = f" on line {error.line}" if error.line else ""
    return f"Your code raised {error.type}{where} before any check ran: {error.message}."


def grade(exercise_id: str, source: str) -> Result:
    """Grade ``source`` for exercise ``exercise_id``; return the JSON-able result dict.

    >>> source = "def l2_penalty(w):\\n    return float(sum(x * x for x in w))\\n"
    >>> grade("l2-penalty", source)["status"]
    'pass'

    Raises ``UnknownExercise`` for an id that no exercise has.
    """
    spec = get_exercise(exercise_id)
    buffer = OutputBuffer()
    try:
        return _grade(spec, source, buffer)
    except KeyboardInterrupt:
        return _result(
            spec,
            "timeout",
            "Grading was stopped before it finished.",
            stdout=buffer.getvalue(),
        )


def _grade(spec: ExerciseSpec, source: str, buffer: OutputBuffer) -> Result:
    try:
        missing = [name for name in spec.requires if name == "numpy" and _numpy() is None]
        if missing:
            raise LearnerError(
                "MissingPackage",
                f"This exercise needs {', '.join(missing)}, which is not installed here.",
            )
        fn = _find_function(spec, load_module(source, buffer))
    except LearnerError as error:
        return _result(
            spec, "error", _error_feedback(error), error=error.as_dict(), stdout=buffer.getvalue()
        )

    reference, mistakes = _trusted_outcomes(spec.id, _numpy() is not None)
    cases = _runnable_cases(spec)
    checks: list[dict[str, Any]] = []
    outcomes: list[Outcome] = []
    for case, ref in zip(cases, reference, strict=True):
        call = _call(spec, fn, case, buffer)
        outcomes.append(call.outcome)
        try:
            _judge(spec, case, call, _expected(spec, case, ref))
        except Incorrect as failure:
            check = {"name": case.name, "passed": False, "message": str(failure)}
            if call.error is not None and call.error.line:
                check["line"] = call.error.line  # where the learner's code raised
            checks.append(check)
        else:
            checks.append({"name": case.name, "passed": True, "message": ""})

    passed = sum(c["passed"] for c in checks)
    score = round(passed / len(checks), 4) if checks else 0.0
    if passed == len(checks):
        feedback = f"All {len(checks)} checks passed. Well done!"
        return _result(spec, "pass", feedback, score=1.0, checks=checks, stdout=buffer.getvalue())
    feedback = next(c["message"] for c in checks if not c["passed"])
    for mistake, signature in zip(spec.mistakes, mistakes, strict=True):
        if not _matches(signature, reference, spec) and _matches(outcomes, signature, spec):
            feedback = mistake.message
            break
    return _result(spec, "fail", feedback, score=score, checks=checks, stdout=buffer.getvalue())


def run(source: str) -> dict[str, Any]:
    """Run ``source`` as a script (``__name__ == "__main__"``) without grading it."""
    buffer = OutputBuffer()
    try:
        load_module(source, buffer, name="__main__")
    except LearnerError as error:
        return {"status": "error", "stdout": buffer.getvalue(), "error": error.as_dict()}
    except KeyboardInterrupt:
        return {"status": "timeout", "stdout": buffer.getvalue(), "error": None}
    return {"status": "ok", "stdout": buffer.getvalue(), "error": None}
