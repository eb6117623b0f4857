"""One call of a function on one case: what trusted plans and grading both do.

A case is kept as plain data (``CaseData``) so that a plan can hold a pickled copy that
learner code cannot reach; every call gets fresh copies of the arguments, so a function
that mutates its input cannot change a later case.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from .display import show
from .execution import LearnerError, OutputBuffer, captured, describe_exception
from .spec import Array, Case
from .values import Incorrect, coerce, kind_of, same_value, short_repr, snapshot, unchanged

__all__ = [
    "Call",
    "CaseData",
    "Outcome",
    "builtin_name",
    "call_case",
    "call_text",
    "numpy_or_none",
    "raised_name",
    "same_outcome",
]


class Outcome(NamedTuple):
    """What one call produced, comparable between learner, reference and known mistakes."""

    kind: str
    """``value`` (a coerced answer), ``raises`` (an exception) or ``invalid`` (no answer)."""
    value: Any
    """The coerced answer, the nearest built-in exception's name, or what kind of thing
    came back instead of an answer (see ``values.kind_of``)."""


class CaseData(NamedTuple):
    """One case as a plan keeps it: plain, picklable data."""

    name: str
    """The check's name, as the learner reads it."""
    args: tuple
    """Positional arguments (``Array`` for a numpy array), copied for every call."""
    kwargs: dict
    """Keyword arguments, copied for every call."""
    raises: type[BaseException] | None
    """The exception the call must raise, or None when it must return."""
    forbid_mutation: bool
    """Whether changing an argument in place fails the check."""

    @classmethod
    def of(cls, case: Case) -> CaseData:
        return cls(case.name, tuple(case.args), dict(case.kwargs), case.raises,
                   case.forbid_mutation)


@dataclass
class Call:
    """What happened when a function was called on one case."""

    outcome: Outcome
    value: Any = None
    """The raw return value, for messages."""
    got: Any = None
    """The return value coerced to the exercise's kind of answer."""
    problem: str = ""
    """Why the return value is not a valid answer ("" when it is one)."""
    error: LearnerError | None = None
    """The exception the call raised, described for the learner."""
    raised: type | None = None
    """The class of that exception."""
    mutated: str | None = None
    """The name of an argument the call changed in place."""


def numpy_or_none() -> Any:
    """numpy if it can be imported without a download, else None (imported lazily)."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy


# Changing a tuple in place is a mistake of its own: only that TypeError is named so, not
# any TypeError on a tuple (both Pythons word it alike).
_ITEM_ASSIGNMENT = "does not support item assignment"


def raised_name(exc: BaseException) -> str:
    """What a raise is compared by: the nearest built-in class, and for a TypeError from
    assigning into an immutable sequence, that too.

    >>> raised_name(TypeError("'tuple' object does not support item assignment"))
    'TypeError: item assignment'
    >>> raised_name(TypeError('can only concatenate tuple (not "list") to tuple'))
    'TypeError'
    """
    name = builtin_name(type(exc))
    if name == "TypeError" and _ITEM_ASSIGNMENT in str(exc):
        return "TypeError: item assignment"
    return name


def builtin_name(kind: type[BaseException]) -> str:
    """The nearest built-in exception class: a learner's ``class Oops(ValueError)`` is
    a ValueError when compared with a known mistake's outcome.

    >>> class Oops(ValueError): pass
    >>> builtin_name(Oops)
    'ValueError'
    """
    for base in kind.__mro__:
        if base.__module__ == "builtins":
            return base.__name__
    return "BaseException"


def _materialize(value: Any) -> Any:
    """A fresh copy of a case argument, with ``Array`` turned into a numpy array."""
    if isinstance(value, Array):
        return numpy_or_none().array(value.values, dtype=float)
    return snapshot(value)


def call_text(function: str, case: CaseData) -> str:
    """The call as the learner would write it.

    >>> call_text("l2_penalty", CaseData("x", ([1.0, 2.0],), {}, None, False))
    'l2_penalty([1.0, 2.0])'
    """
    parts = [show(_materialize(a)) for a in case.args]
    parts += [f"{k}={show(_materialize(v))}" for k, v in case.kwargs.items()]
    return f"{function}({', '.join(parts)})"


def call_case(
    fn: Callable[..., Any], case: CaseData, buffer: OutputBuffer, function: str, returns: str
) -> Call:
    """Call ``fn`` on fresh copies of the case's arguments, printing into ``buffer``;
    the answer is coerced to ``returns`` (see ``values.coerce``)."""
    args = [_materialize(a) for a in case.args]
    kwargs = {k: _materialize(v) for k, v in case.kwargs.items()}
    if case.forbid_mutation:
        before = ([snapshot(a) for a in args], {k: snapshot(v) for k, v in kwargs.items()})
    with captured(buffer):
        try:
            value = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            kind = type(exc)
            return Call(Outcome("raises", raised_name(exc)), error=describe_exception(exc),
                        raised=kind)
        call = Call(Outcome("invalid", kind_of(value)), value=value)
        try:
            call.got = coerce(value, returns, function)
            call.outcome = Outcome("value", call.got)
        except Incorrect as failure:
            call.problem = str(failure)
        except Exception:  # noqa: BLE001 - a learner object that breaks while being read
            call.problem = (
                f"{function}() returned {short_repr(value)}, which the grader cannot "
                "read as an answer."
            )
        if case.forbid_mutation:
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


def same_outcome(a: Outcome, b: Outcome, rtol: float, atol: float) -> bool:
    """Whether two outcomes agree (NaN equals NaN here: both sides computed it).

    >>> same_outcome(Outcome("value", 1.0), Outcome("value", 1.0 + 1e-12), 1e-9, 0.0)
    True
    >>> same_outcome(Outcome("raises", "ValueError"), Outcome("value", 1.0), 1e-9, 0.0)
    False
    """
    if a.kind != b.kind:
        return False
    if a.kind == "value":
        return same_value(a.value, b.value, rtol, atol, nan_equal=True)
    return a.value == b.value
