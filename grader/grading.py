"""``grade()``: run a submission against an exercise's plan and build the result dict.

The trusted outcomes come from the exercise's ``grader.plans.Plan``, fixed before any
learner code runs. Every submission runs under a ``grader.integrity.Guard``: a change to
the interpreter becomes a ``ChangedPython`` error, restored, instead of a verdict. This
module is the one place that turns outcomes into what the learner reads (the headline,
the checks, the error), and that names a known mistake.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from .cases import Call, CaseData, Outcome, call_case, call_text, same_outcome
from .catalogue import all_exercises, get_exercise
from .contract import Check, Result, make_error, make_result, message
from .display import show, show_pair, show_returned, tolerance_text
from .execution import LearnerError, OutputBuffer, describe_exception, load_module
from .integrity import Guard, PythonChanged, describe_changes
from .plans import BrokenExercise, MissingPackage, Plan, pending, plan_for, prepare
from .values import same_value, short_repr

__all__ = ["BrokenExercise", "grade", "prepare", "run"]


def _where(error: LearnerError) -> str:
    return message("check.line", line=error.line) if error.line else ""


def _judge(plan: Plan, case: CaseData, call: Call, expected: Outcome) -> str:
    """The learner's message when the call is wrong, or "" when it is right."""
    text = call_text(plan.function, case)
    raises = case.raises
    expected_raise = raises is not None and call.raised is not None and issubclass(
        call.raised, raises
    )
    if call.error is not None and not expected_raise:
        raised = f"{call.error.type}: {call.error.message}{_where(call.error)}"
        if raises is not None:
            return message("check.raised_instead", call=text, expected=raises.__name__,
                           raised=raised)
        return message("check.raised", call=text, raised=raised)
    if call.mutated:
        return message("check.mutated", function=plan.function, argument=call.mutated)
    if raises is not None:
        if not expected_raise:
            return message("check.returned_instead", call=text, expected=raises.__name__,
                           returned=show_returned(call.value))
        return ""
    if call.problem:
        return call.problem
    if not same_value(call.got, expected.value, plan.rtol, plan.atol):
        return _wrong_value(plan, text, call.got, expected.value)
    return ""


def _wrong_value(plan: Plan, text: str, got: Any, expected: Any) -> str:
    """The message for an answer of the right kind but the wrong value."""
    if type(got) is list and type(expected) is list and len(got) != len(expected):
        return message("check.count", call=text, count=len(got), got=show(got),
                       expected_count=len(expected), expected=show(expected))
    shown, wanted = show_pair(got, expected, plan.rtol, plan.atol)
    if plan.returns == "index":
        return message("check.wrong", call=text, got=shown, expected=wanted)
    tolerance = tolerance_text(plan.rtol, plan.atol, items=plan.returns == "reals")
    return message("check.wrong_within", call=text, got=shown, expected=wanted,
                   tolerance=tolerance)


def _recognize(plan: Plan, outcomes: list[Outcome]) -> str | None:
    """The known mistake the learner made, or None.

    Mistake M is named when the learner's outcomes equal M's on every case where M's
    differ from the reference's, even if the learner also fails elsewhere. Among several,
    the one agreeing with the learner on the most cases wins, then the first declared.
    """
    best: tuple[int, str] | None = None
    for mistake in plan.mistakes:
        if not mistake.differs or not all(
            same_outcome(outcomes[i], mistake.outcomes[i], plan.rtol, plan.atol)
            for i in mistake.differs
        ):
            continue
        agree = sum(
            same_outcome(a, b, plan.rtol, plan.atol)
            for a, b in zip(outcomes, mistake.outcomes, strict=True)
        )
        if best is None or agree > best[0]:
            best = agree, mistake.message
    return best[1] if best else None


def _find_function(plan: Plan, namespace: dict[str, Any]) -> Callable[..., Any]:
    fn = namespace.get(plan.function)
    if fn is None:
        defined = [
            n for n, v in namespace.items()
            if type(n) is str and callable(v) and not n.startswith("__")
        ]
        close = difflib.get_close_matches(plan.function, defined, n=1)
        tip = message("error.misspelled", name=close[0]) if close else ""
        raise LearnerError(
            "MissingFunction", message("error.no_function", function=plan.function, tip=tip)
        )
    if not callable(fn):
        raise LearnerError(
            "MissingFunction",
            message("error.not_function", function=plan.function, value=short_repr(fn),
                    type=type(fn).__name__),
        )
    return fn


def _error_feedback(error: LearnerError) -> str:
    if error.type in ("MissingFunction", "MissingPackage", "BrokenExercise"):
        return error.message[0].upper() + error.message[1:]
    where = message("error.on_line", line=error.line) if error.line else ""
    if error.type == "SyntaxError":
        return message("error.syntax", where=where, message=error.message)
    return message("error.raised", type=error.type, where=where, message=error.message)


def _error(exercise: str, error: LearnerError, stdout: str) -> Result:
    return make_result(exercise, "error", _error_feedback(error), error=error.as_dict(),
                       stdout=stdout)


def _watched() -> list[tuple[str, Any]]:
    """For the guard to watch too: the catalogue, and the specs, cases and mistakes of
    the exercises whose plan is still to be made (a plan, once made, no longer reads its
    spec)."""
    exercises = all_exercises()
    watch: list[tuple[str, Any]] = [("the exercise catalogue", exercises)]
    for exercise_id in pending():
        spec = exercises[exercise_id]
        watch.append((f"exercise {spec.id}", spec))
        watch += [(f"exercise {spec.id}, {c.name!r}", c) for c in spec.cases]
        watch += [(f"exercise {spec.id}, {m.name!r}", m) for m in spec.mistakes]
    return watch


def _changed_python(exercise: str, changes: list[str], stdout: str) -> Result:
    feedback = message("changed_python", what=describe_changes(changes))
    return make_result(exercise, "error", feedback, stdout=stdout,
                       error=make_error("ChangedPython", feedback))


def _ungradable(exercise: str, exc: Exception, stdout: str) -> Result:
    error = describe_exception(exc)
    feedback = message("ungradable", reason=f"{error.type}: {error.message}")
    return make_result(exercise, "error", feedback, stdout=stdout,
                       error=make_error("Ungradable", feedback, error.line))


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
        plan = plan_for(spec)
    except MissingPackage as missing:
        text = message("error.missing_package", packages=missing)
        return _error(spec.id, LearnerError("MissingPackage", text), "")
    except BrokenExercise as broken:
        text = message("error.broken_exercise", reason=broken)
        return _error(spec.id, LearnerError("BrokenExercise", text), "")
    guard = Guard(_watched(), output=buffer)
    try:
        result = _grade(plan, source, buffer, guard)
    except PythonChanged as changed:
        result = _changed_python(plan.id, changed.changes, buffer.getvalue())
    except Exception as exc:  # noqa: BLE001 - an object beyond reading
        result = _ungradable(plan.id, exc, buffer.getvalue())
    except BaseException:  # the host's Ctrl+C: restore, then let it through
        guard.finish()
        raise
    changes = guard.finish()  # also what it left behind, which may have printed
    if changes:
        return _changed_python(plan.id, changes, buffer.getvalue())
    result["stdout"] = buffer.getvalue()
    return result


def _grade(plan: Plan, source: str, buffer: OutputBuffer, guard: Guard) -> Result:
    """The verdict; ``PythonChanged`` if loading the submission changed Python."""
    try:
        fn = _find_function(plan, load_module(source, buffer))
    except LearnerError as error:
        return _error(plan.id, error, buffer.getvalue())
    guard.settle()  # no check runs in a Python the submission changed at import

    checks: list[Check] = []
    outcomes: list[Outcome] = []
    for case, expected in zip(plan.fresh_cases(), plan.expected, strict=True):
        call = call_case(fn, case, buffer, plan.function, plan.returns)
        guard.quick()
        outcomes.append(call.outcome)
        failure = _judge(plan, case, call, expected)
        check: Check = {"name": case.name, "passed": not failure, "message": failure}
        if failure and call.error is not None and call.error.line:
            check["line"] = call.error.line  # where the learner's code raised
        checks.append(check)

    passed = sum(c["passed"] for c in checks)
    stdout = buffer.getvalue()
    if passed == len(checks):
        feedback = message("pass", total=len(checks))
        return make_result(plan.id, "pass", feedback, score=1.0, checks=checks, stdout=stdout)
    score = round(passed / len(checks), 4)
    feedback = _recognize(plan, outcomes) or next(c["message"] for c in checks if not c["passed"])
    return make_result(plan.id, "fail", feedback, score=score, checks=checks, stdout=stdout)


def run(source: str) -> dict[str, Any]:
    """Run ``source`` as a script (``__name__ == "__main__"``) without grading it."""
    buffer = OutputBuffer()
    guard = Guard(_watched(), output=buffer)
    error = None
    try:
        load_module(source, buffer, name="__main__")
    except LearnerError as failure:
        error = failure.as_dict()
    except BaseException:
        guard.finish()
        raise
    changes = guard.finish()
    if changes:
        feedback = message("changed_python", what=describe_changes(changes))
        error = make_error("ChangedPython", feedback)
    status = "ok" if error is None else "error"
    return {"status": status, "stdout": buffer.getvalue(), "error": error}
