"""How values appear in the learner's check messages: whole, in their own order, rounded.

A failing case must be reproducible from its message, so an input is shown in full (a
dict in the order of its keys, not sorted) unless it is longer than ``MAX_CHARS``. Floats
are rounded to ``DIGITS`` significant digits, except where two values that differ would
then look the same: ``show_pair`` gives those as many digits as it takes to tell them
apart.
"""

from __future__ import annotations

from math import isfinite
from typing import Any

from .contract import message
from .values import _as_ndarray, close, short_repr

__all__ = ["DIGITS", "MAX_CHARS", "show", "show_pair", "show_returned", "tolerance_text"]

DIGITS = 6  # significant digits of a float in a message
MAX_CHARS = 400  # an input shown longer than this is abbreviated
MAX_ARRAY = 64  # a numpy array with more items is described by its shape


def _float(x: float, digits: int) -> str:
    """``x`` rounded to ``digits`` significant digits, written as Python writes a float."""
    if not isfinite(x):
        return repr(x)
    return repr(float(f"{x:.{digits}g}"))


def _items(value: Any, digits: int, limit: int) -> str:
    """The items of a list, tuple or dict, as many as fit in ``limit`` characters."""
    if type(value) is dict:
        parts = [f"{show(k, digits)}: {show(v, digits)}" for k, v in value.items()]
    else:
        parts = [show(v, digits) for v in value]
    shown: list[str] = []
    used = 0
    for i, part in enumerate(parts):
        used += len(part) + 2
        if used > limit and i > 0:
            shown.append(message("check.more", count=len(parts) - i))
            break
        shown.append(part)
    return ", ".join(shown)


def show(value: Any, digits: int = DIGITS, limit: int = MAX_CHARS) -> str:
    """A case's argument or a coerced answer as the learner reads it.

    >>> show({1.0: 0.3, 0.1: 0.30000000000000004})
    '{1.0: 0.3, 0.1: 0.3}'
    """
    kind = type(value)
    if kind is float:
        return _float(value, digits)
    if kind is list:
        return f"[{_items(value, digits, limit)}]"
    if kind is tuple:
        return f"({_items(value, digits, limit)}{',' if len(value) == 1 else ''})"
    if kind is dict:
        return f"{{{_items(value, digits, limit)}}}"
    array = _as_ndarray(value)
    if array is not None:
        if array.size > MAX_ARRAY:
            return f"<numpy array of shape {tuple(array.shape)}>"
        return f"np.array({show(array.tolist(), digits, limit)})"
    return short_repr(value)


def show_returned(value: Any) -> str:
    """What a learner's function returned, before it was read as an answer: a plain
    float rounded, anything else bounded (it may be any object)."""
    return _float(value, DIGITS) if type(value) is float else short_repr(value)


def _digits_to_tell(a: float, b: float) -> int:
    """The fewest digits (at least ``DIGITS``) at which ``a`` and ``b`` look different."""
    for digits in range(DIGITS, 18):
        if _float(a, digits) != _float(b, digits):
            return digits
    return 17


def show_pair(got: Any, expected: Any, rtol: float, atol: float) -> tuple[str, str]:
    """A coerced answer and the expected one, each float that is not close to its
    counterpart given enough digits to show the difference."""
    if type(got) is float and type(expected) is float:
        if close(got, expected, rtol, atol):
            return show(got), show(expected)
        digits = _digits_to_tell(got, expected)
        return _float(got, digits), _float(expected, digits)
    if type(got) is list and type(expected) is list and len(got) == len(expected):
        pairs = [show_pair(a, b, rtol, atol) for a, b in zip(got, expected, strict=True)]
        return (
            f"[{', '.join(a for a, _ in pairs)}]",
            f"[{', '.join(b for _, b in pairs)}]",
        )
    return show(got), show(expected)


def _number(x: float) -> str:
    """``1e-09`` as a learner writes it: ``1e-9``."""
    return f"{x:g}".replace("e-0", "e-").replace("e+0", "e+")


def tolerance_text(rtol: float, atol: float, items: bool = False) -> str:
    """How floats were compared, as code the learner can run on the two values."""
    call = f"math.isclose(got, expected, rel_tol={_number(rtol)}, abs_tol={_number(atol)})"
    return message("check.tolerance.items" if items else "check.tolerance", call=call)
