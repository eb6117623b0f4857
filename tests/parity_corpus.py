"""Ordinary submissions whose verdict once depended on which Python graded them (issue 23).

The page grades under Pyodide's Python (3.14); ``python -m grader check`` and the
gradebook may run under CPython 3.11. ``MODERN`` pass in the page and use what 3.11 lacks
(new syntax, new functions, ``sum()``'s compensated rounding): only grading under the
site's Python gives the learner's verdict. ``REWORDED`` fail in every runtime, with an
exception whose built-in message was reworded between versions: the grader words it one
way (``grader.portable``), so the headline is the same wherever it is graded.
Used by tests/test_parity.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Submission:
    """A learner's file for one exercise, and what the site's Python makes of it."""

    name: str
    exercise: str
    code: str
    status: str  #: the verdict in the page
    since: tuple[int, int] = (3, 11)  #: the oldest Python that gives that verdict too


MODERN = [
    Submission("a type alias statement (3.12)", "l2-penalty", """\
type Weights = list[float] | tuple[float, ...]


def l2_penalty(weights: Weights) -> float:
    return float(sum(w * w for w in weights))
""", "pass", (3, 12)),
    Submission("a generic function (3.12)", "l2-penalty", """\
def square[T: (int, float)](x: T) -> T:
    return x * x


def l2_penalty(weights):
    return float(sum(square(w) for w in weights))
""", "pass", (3, 12)),
    Submission("an f-string reusing its quotes (3.12)", "pick-lambda", """\
def best_lambda(results):
    if not results:
        raise ValueError("no results to pick from")
    best = min(results, key=lambda lam: (results[lam], -lam))
    info = {"rate": best, "loss": results[best]}
    print(f"picked {info["rate"]} (validation loss {info["loss"]})")
    return best
""", "pass", (3, 12)),
    Submission("except without parentheses (3.14)", "l2-step", """\
def l2_step(weights, gradient, learning_rate, lam):
    try:
        pairs = list(zip(weights, gradient, strict=True))
    except ValueError, TypeError:
        raise ValueError("weights and gradient must have the same length")
    return [w - learning_rate * (g + 2 * lam * w) for w, g in pairs]
""", "pass", (3, 14)),
    Submission("math.sumprod (3.12)", "l2-penalty", """\
import math


def l2_penalty(weights):
    return float(math.sumprod(weights, weights))
""", "pass", (3, 12)),
    Submission("itertools.batched (3.12)", "l2-penalty", """\
from itertools import batched


def l2_penalty(weights):
    # Add the squares up in pairs, then the pairs.
    return float(sum(sum(w * w for w in pair) for pair in batched(weights, 2)))
""", "pass", (3, 12)),
    Submission("sum() with big terms that cancel (compensated since 3.12)", "l2-penalty", """\
def l2_penalty(weights):
    # A large offset added and taken away again: sum() keeps the small terms exact.
    return float(sum([1e16, *(w * w for w in weights), -1e16]))
""", "pass", (3, 12)),
    Submission("math.fma (3.13)", "l2-step", """\
import math


def l2_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient must have the same length")
    return [math.fma(-learning_rate, g + 2 * lam * w, w) for w, g in zip(weights, gradient)]
""", "pass", (3, 13)),
    Submission("a type parameter with a default (3.13)", "weight-share", """\
def shares[T = float](weights: list[T]) -> list[float]:
    total = sum(w * w for w in weights)
    return [w * w / total for w in weights] if total else [0.0 for _ in weights]


def weight_share(weights):
    return shares(weights)
""", "pass", (3, 13)),
]

REWORDED = [
    Submission("math domain error (math.log of 0)", "l2-penalty", """\
import math


def l2_penalty(weights):
    # w² as exp(2·ln|w|): fine until a weight is 0.
    return float(sum(math.exp(2 * math.log(abs(w))) for w in weights))
""", "fail"),
    Submission("unhashable type (a list as a dict key)", "l2-penalty", """\
_seen = {}


def l2_penalty(weights):
    if weights not in _seen:
        _seen[weights] = float(sum(w * w for w in weights))
    return _seen[weights]
""", "fail"),
    Submission("too many values to unpack", "pick-lambda", """\
def best_lambda(results):
    if not results:
        raise ValueError("no results to pick from")
    best, loss = sorted(results.items(), key=lambda item: (item[1], -item[0]))
    return best
""", "fail"),
    Submission("OverflowError from the C library (errno ERANGE)", "l2-penalty", """\
def l2_penalty(weights):
    # Scaled up first, for precision (it overflows instead).
    scale = 1e200
    return float(sum((w * scale) ** 2 for w in weights) / scale ** 2)
""", "fail"),
    Submission("division by zero (all weights zero)", "weight-share", """\
def weight_share(weights):
    total = sum(w * w for w in weights)
    return [w * w / total for w in weights]
""", "fail"),
]

CORPUS = MODERN + REWORDED
