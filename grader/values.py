"""Coerce learner return values to plain Python, and compare them with tolerances.

A return value is never trusted: it becomes a plain ``float``, ``list[float]`` or ``int``
before any comparison, so an object whose ``__eq__`` says yes to everything cannot pass,
and NaN never equals anything.
"""

from __future__ import annotations

import copy
import math
import numbers
import operator
import reprlib
from typing import Any

__all__ = ["Incorrect", "coerce", "close", "describe", "short_repr", "same_value", "snapshot"]


class Incorrect(Exception):
    """A check failed; the message is for the learner."""


_repr = reprlib.Repr()
_repr.maxlist = _repr.maxtuple = 8
_repr.maxdict = 6
_repr.maxstring = 40
_repr.maxother = 60


def short_repr(value: Any) -> str:
    """A bounded repr, safe for any learner object."""
    try:
        if _is_ndarray(value):
            return f"np.array({_repr.repr(value.tolist())})"
        return _repr.repr(value)
    except Exception:  # noqa: BLE001 - a learner's __repr__ may raise
        return f"<{type(value).__name__} object>"


def describe(value: Any) -> str:
    """Say what kind of thing a value is, in a learner's words."""
    if value is None:
        return "None (is a `return` statement missing?)"
    if isinstance(value, bool):
        return f"the bool {value}"
    if _is_ndarray(value):
        return f"a numpy array of shape {tuple(value.shape)}"
    return f"{short_repr(value)} (a {type(value).__name__})"


def _is_ndarray(value: Any) -> bool:
    return type(value).__module__ == "numpy" and type(value).__name__ == "ndarray"


def _real(value: Any, what: str) -> float:
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Real) or (_is_ndarray(value) and value.shape == ())
    ):
        raise Incorrect(f"{what} {describe(value)}; it should be a number.")
    try:
        result = float(value)
    except Exception as exc:  # noqa: BLE001
        raise Incorrect(f"{what} {describe(value)}, which can't be read as a number.") from exc
    return result


def coerce(value: Any, returns: str, function: str) -> Any:
    """Convert a learner's return value to plain Python, or raise ``Incorrect``."""
    what = f"{function}() returned"
    if returns == "real":
        return _real(value, what)
    if returns == "index":
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise Incorrect(f"{what} {describe(value)}; it should be a whole number (an int).")
        return int(operator.index(value))
    if returns == "reals":
        if _is_ndarray(value):
            if value.ndim != 1:
                raise Incorrect(f"{what} {describe(value)}; it should be one-dimensional.")
            items = value.tolist()
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            raise Incorrect(
                f"{what} {describe(value)}; it should be a list (or a 1-D numpy array) "
                "of numbers."
            )
        return [_real(item, f"{what} a list holding") for item in items]
    raise ValueError(f"unknown return kind {returns!r}")


def close(actual: float, expected: float, rtol: float, atol: float) -> bool:
    """Tolerant float equality; NaN equals nothing."""
    if math.isnan(actual) or math.isnan(expected):
        return False
    return math.isclose(actual, expected, rel_tol=rtol, abs_tol=atol)


def same_value(a: Any, b: Any, rtol: float, atol: float, nan_equal: bool = False) -> bool:
    """Compare two coerced values (float, int, list of floats)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(
            same_value(x, y, rtol, atol, nan_equal) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, float) and isinstance(b, float):
        if nan_equal and math.isnan(a) and math.isnan(b):
            return True
        return close(a, b, rtol, atol)
    return type(a) is type(b) and a == b


def snapshot(value: Any) -> Any:
    """A deep copy that can later be compared with ``unchanged``."""
    return copy.deepcopy(value)


def unchanged(before: Any, after: Any) -> bool:
    """True when ``after`` still holds exactly what ``before`` held (numpy-aware)."""
    if _is_ndarray(before) or _is_ndarray(after):
        if not (_is_ndarray(before) and _is_ndarray(after)):
            return False
        return before.shape == after.shape and bool((before == after).all())
    if isinstance(before, dict) and isinstance(after, dict):
        return before.keys() == after.keys() and all(
            unchanged(before[k], after[k]) for k in before
        )
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)):
        return len(before) == len(after) and all(
            unchanged(x, y) for x, y in zip(before, after, strict=True)
        )
    return type(before) is type(after) and before == after
