"""Coerce learner return values to plain Python, and compare them with tolerances.

A return value is never trusted: it becomes a plain ``float``, ``list[float]`` or ``int``
before any comparison, so an object whose ``__eq__`` says yes to everything cannot pass,
and NaN never equals anything.
"""

from __future__ import annotations

import numbers
import re
import reprlib
import sys
from copy import deepcopy
from math import isclose, isnan
from operator import index
from typing import Any

__all__ = [
    "Incorrect",
    "coerce",
    "close",
    "describe",
    "kind_of",
    "short_repr",
    "same_value",
    "snapshot",
    "unchanged",
]

# Bound here, at import, so that learner code rebinding math.isclose or copy.deepcopy
# cannot reach the grader's comparisons (grader.integrity reports such a change too).
MAX_ITEMS = 100_000  # a longer "list of numbers" is no answer to any exercise here


class Incorrect(Exception):
    """A check failed; the message is for the learner."""


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class _Repr(reprlib.Repr):
    """reprlib's bounded repr, the same text in every Python version and runtime."""

    def repr_int(self, x: int, level: int) -> str:
        if -(10**40) < x < 10**40:
            return int.__repr__(x)
        digits = int(int.bit_length(x) * 0.30103) + 1  # Python refuses to print huge ints
        return f"<an int of about {digits:,} digits>"

    def repr_instance(self, x: Any, level: int) -> str:
        # A default repr holds a memory address, which differs from run to run; cut it
        # before shortening, as the address's length differs between runtimes too.
        text = _ADDRESS.sub("", str.__str__(repr(x)))
        if len(text) > self.maxother:
            half = max(0, (self.maxother - 3) // 2)
            text = text[:half] + "..." + text[len(text) - (self.maxother - 3 - half):]
        return text


_repr = _Repr()
def short_repr(value: Any) -> str:
    """A bounded repr, safe for any learner object."""
    try:
        array = _as_ndarray(value)
        if array is not None:
            return f"np.array({_repr.repr(array.tolist())})" if array.size <= 64 else (
                f"<numpy array of shape {tuple(array.shape)}>"
            )
        text = _repr.repr(value)
        if type(text) is str:
            return text
    except Exception:  # noqa: BLE001, S110 - a learner's __repr__ may raise
        pass
    return f"<{_type_name(value)} object>"


def _type_name(value: Any) -> str:
    name = type.__dict__["__name__"].__get__(type(value))  # no metaclass can intercept
    return str.__str__(name)


def describe(value: Any) -> str:
    """Say what kind of thing a value is, in a learner's words."""
    if value is None:
        return "None (is a `return` statement missing?)"
    if type(value) is bool:
        return f"the bool {value}"
    array = _as_ndarray(value)
    if array is not None:
        return f"a numpy array of shape {tuple(array.shape)}"
    return f"{short_repr(value)} (a {_type_name(value)})"


def kind_of(value: Any) -> str:
    """The kind of a value that is not a valid answer, for telling known mistakes apart:
    its type's name, and a numpy array's number of dimensions (a column vector returned
    where a 1-D array is due is a mistake of its own)."""
    array = _as_ndarray(value)
    if array is not None:
        return f"numpy array, {array.ndim}-D"
    return _type_name(value)


def _numpy() -> Any:
    """numpy if some code already imported it (a learner's array needs it), else None."""
    return sys.modules.get("numpy")


def _as_ndarray(value: Any) -> Any:
    """``value`` as a plain numpy array (without a subclass's methods), or None."""
    numpy = _numpy()
    ndarray = getattr(numpy, "ndarray", None)
    if type(ndarray) is not type or not issubclass(type(value), ndarray):
        return None
    return numpy.asarray(value) if type(value) is not ndarray else value


def _is_real_type(kind: type) -> bool:
    """int, float, Fraction or a numpy real scalar; not bool, not a number-like class
    that was only registered with ``numbers.Real`` (a registry learner code can change)."""
    if issubclass(kind, bool):
        return False
    if issubclass(kind, (int, float)) or numbers.Real in kind.__mro__:
        return True
    numpy = _numpy()
    scalars = tuple(getattr(numpy, n, None) for n in ("floating", "integer"))
    return all(type(s) is type for s in scalars) and issubclass(kind, scalars)


def _is_integral_type(kind: type) -> bool:
    if issubclass(kind, bool):
        return False
    if issubclass(kind, int):
        return True
    integer = getattr(_numpy(), "integer", None)
    return type(integer) is type and issubclass(kind, integer)


def _real(value: Any, what: str) -> float:
    array = _as_ndarray(value)
    if array is not None and array.shape == ():
        value = array[()]
    if not _is_real_type(type(value)):
        raise Incorrect(f"{what} {describe(value)}; it should be a number.")
    try:
        result = float(value)
    except Exception as exc:
        raise Incorrect(f"{what} {describe(value)}, which can't be read as a number.") from exc
    if type(result) is not float:
        raise Incorrect(f"{what} {describe(value)}, which can't be read as a number.")
    return result


def _items(value: Any, what: str) -> list[Any]:
    """The items of a list, tuple or 1-D array, read without the learner's methods."""
    array = _as_ndarray(value)
    if array is not None:
        if array.ndim != 1:
            raise Incorrect(f"{what} {describe(value)}; it should be one-dimensional.")
        if array.size > MAX_ITEMS:
            raise Incorrect(f"{what} a numpy array of {array.size:,} numbers; far too many.")
        return array.tolist()
    if issubclass(type(value), (list, tuple)):
        # list.__len__ and list.__iter__ read the storage: a subclass's overrides don't run.
        base = list if issubclass(type(value), list) else tuple
        if base.__len__(value) > MAX_ITEMS:
            raise Incorrect(f"{what} a list of {base.__len__(value):,} items; far too many.")
        return [*base.__iter__(value)]
    raise Incorrect(
        f"{what} {describe(value)}; it should be a list (or a 1-D numpy array) of numbers."
    )


def coerce(value: Any, returns: str, function: str) -> Any:
    """Convert a learner's return value to plain Python, or raise ``Incorrect``."""
    what = f"{function}() returned"
    if returns == "real":
        return _real(value, what)
    if returns == "index":
        array = _as_ndarray(value)
        if array is not None and array.shape == ():
            value = array[()]
        if not _is_integral_type(type(value)):
            raise Incorrect(f"{what} {describe(value)}; it should be a whole number (an int).")
        return int(index(value))
    if returns == "reals":
        return [_real(item, f"{what} a list holding") for item in _items(value, what)]
    raise ValueError(f"unknown return kind {returns!r}")


def close(actual: float, expected: float, rtol: float, atol: float) -> bool:
    """Tolerant float equality; NaN equals nothing."""
    if isnan(actual) or isnan(expected):
        return False
    return isclose(actual, expected, rel_tol=rtol, abs_tol=atol)


def same_value(a: Any, b: Any, rtol: float, atol: float, nan_equal: bool = False) -> bool:
    """Compare two coerced values (float, int, list of floats)."""
    if type(a) is list and type(b) is list:
        return len(a) == len(b) and all(
            same_value(x, y, rtol, atol, nan_equal) for x, y in zip(a, b, strict=True)
        )
    if type(a) is float and type(b) is float:
        if nan_equal and isnan(a) and isnan(b):
            return True
        return close(a, b, rtol, atol)
    return type(a) is type(b) and a == b


def snapshot(value: Any) -> Any:
    """A deep copy that can later be compared with ``unchanged``."""
    return deepcopy(value)


def unchanged(before: Any, after: Any) -> bool:
    """True when ``after`` still holds exactly what ``before`` held (numpy-aware).

    ``before`` is the grader's copy; ``after`` may hold learner objects now, so types
    are compared before any ``==`` is asked.
    """
    if type(before) is not type(after):
        return False
    if _as_ndarray(before) is not None:
        return before.shape == after.shape and bool((before == after).all())
    if type(before) is dict:
        return before.keys() == after.keys() and all(
            unchanged(before[k], after[k]) for k in before
        )
    if type(before) in (list, tuple):
        return len(before) == len(after) and all(
            unchanged(x, y) for x, y in zip(before, after, strict=True)
        )
    return before == after
