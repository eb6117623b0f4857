"""Submissions that every runtime must grade the same: references, starters, known
mistakes, and hostile ones that tamper with Python or return odd things (issue 7).

Imported by tests/test_trust.py (CPython) and tests/test_pyodide.py (the same list,
graded in one Pyodide interpreter in this order, so tampering comes before the rest).
"""

from __future__ import annotations

from grader import all_exercises

GOOD_PENALTY = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"
L1 = "def l2_penalty(weights):\n    return float(sum(abs(w) for w in weights))\n"

# Each changes the interpreter; each must get ChangedPython and change no later verdict.
TAMPERING = {
    "builtins.sum at import, restored in the function": (
        "l2-penalty",
        "import builtins\n"
        "_sum = builtins.sum\n"
        "builtins.sum = lambda items, start=0: 0.0\n"
        "def l2_penalty(weights):\n"
        "    builtins.sum = _sum\n"
        "    return float(_sum(w * w for w in weights))\n",
    ),
    "math.isclose replaced": (
        "weight-share",
        "import math\n"
        "math.isclose = lambda *args, **kwargs: True\n"
        "def weight_share(weights):\n"
        "    return [0.0 for w in weights]\n",
    ),
    "a grader function replaced": (
        "l2-penalty",
        "import grader.values\n"
        "grader.values.same_value = lambda *args, **kwargs: True\n"
        "def l2_penalty(weights):\n"
        "    return 1.0\n",
    ),
    "a grader function's code swapped during the checks": (
        "regularized-loss",
        "import grader.values\n"
        "def regularized_loss(data_loss, weights, lam):\n"
        "    grader.values.close.__code__ = (lambda a, b, c, d: True).__code__\n"
        "    return 0.0\n",
    ),
    # Raised, as recursive code does: a limit below the caller's stack depth would make
    # setrecursionlimit itself raise, and the depth differs between runners.
    "sys.setrecursionlimit": (
        "early-stop",
        "import sys\n"
        "sys.setrecursionlimit(5000)\n"
        "def stop_epoch(val_losses, patience=1):\n"
        "    return 0\n",
    ),
    "sys.settrace during the checks": (
        "l2-step",
        "import sys\n"
        "def l2_step(weights, gradient, learning_rate, lam):\n"
        "    sys.settrace(lambda *args: None)\n"
        "    return list(weights)\n",
    ),
    "the catalogue's expected values changed": (
        "pick-lambda",
        "import grader\n"
        "spec = grader.get_exercise('l2-penalty')\n"
        "object.__setattr__(spec, 'rtol', 10.0)\n"
        "def best_lambda(results):\n"
        "    return 0.0\n",
    ),
}

# Odd but legitimate, or hostile without tampering: graded, never an exception.
HOSTILE = {
    "syntax error": ("l2-penalty", "def l2_penalty(weights)\n    return 0.0\n"),
    "NUL byte on line 2": ("l2-penalty", "x = 1\ny = 2\0\n" + GOOD_PENALTY),
    "raises at import": ("weight-share", "raise ValueError('not today')\n"),
    "exception whose __str__ raises": (
        "l2-penalty",
        "class Odd(Exception):\n"
        "    def __str__(self):\n"
        "        raise RuntimeError('no')\n"
        "def l2_penalty(weights):\n"
        "    raise Odd()\n",
    ),
    "endless recursion": (
        "l2-penalty", "def l2_penalty(weights):\n    return l2_penalty(weights)\n"
    ),
    "huge output": ("l2-penalty", "print('x' * 200_000)\n" + GOOD_PENALTY),
    "NaN": ("l2-penalty", "def l2_penalty(weights):\n    return float('nan')\n"),
    "a generator": (
        "weight-share", "def weight_share(weights):\n    return (w for w in weights)\n"
    ),
    "a bool": ("early-stop", "def stop_epoch(val_losses, patience=1):\n    return True\n"),
    "a huge int": (
        "early-stop", "def stop_epoch(val_losses, patience=1):\n    return 10 ** 5000\n"
    ),
    "__float__ raises": (
        "l2-penalty",
        "class Bad(float):\n"
        "    def __float__(self):\n"
        "        raise ArithmeticError('no float for you')\n"
        "def l2_penalty(weights):\n"
        "    return Bad(1.0)\n",
    ),
    "a list whose __iter__ and __len__ lie": (
        "weight-share",
        "class Liar(list):\n"
        "    def __iter__(self):\n"
        "        raise RuntimeError('no')\n"
        "    def __len__(self):\n"
        "        return 10 ** 30\n"
        "def weight_share(weights):\n"
        "    total = sum(w * w for w in weights)\n"
        "    return Liar([w * w / total for w in weights] if total else [])\n",
    ),
    "an __index__ that raises": (
        "early-stop",
        "class Idx(int):\n"
        "    def __index__(self):\n"
        "        raise OverflowError('too big')\n"
        "def stop_epoch(val_losses, patience=1):\n"
        "    return Idx(2)\n",
    ),
    "mutates its input": (
        "l2-step",
        "def l2_step(weights, gradient, learning_rate, lam):\n"
        "    if len(weights) != len(gradient):\n"
        "        raise ValueError('lengths differ')\n"
        "    new = [w - learning_rate * (g + 2 * lam * w) for w, g in zip(weights, gradient)]\n"
        "    if isinstance(weights, list):\n"
        "        weights[:] = new\n"
        "    return new\n",
    ),
    "its own KeyboardInterrupt": (
        "l2-penalty", "def l2_penalty(weights):\n    raise KeyboardInterrupt\n"
    ),
    "a ValueError subclass where ValueError is asked": (
        "early-stop",
        all_exercises()["early-stop"].solution.replace(
            "def stop_epoch", "class Empty(ValueError):\n    pass\n\n\ndef stop_epoch"
        ).replace('raise ValueError("val_losses is empty")', 'raise Empty("empty")'),
    ),
    "L1 plus None for an empty list": (
        "l2-penalty",
        "def l2_penalty(weights):\n"
        "    if not weights:\n"
        "        return None\n"
        "    return float(sum(abs(w) for w in weights))\n",
    ),
    "a local sum, numpy-free printing and raising": (
        "l2-penalty",
        "import math\n"
        "def sum(items):\n"
        "    total = 0.0\n"
        "    for item in items:\n"
        "        total += item\n"
        "    return total\n"
        "print('defining', math.pi)\n"
        "def l2_penalty(weights):\n"
        "    try:\n"
        "        raise ValueError('caught')\n"
        "    except ValueError:\n"
        "        pass\n"
        "    return sum(w * w for w in weights)\n",
    ),
}


def corpus() -> list[tuple[str, str, str]]:
    """(name, exercise, code) for every exercise that needs no package, in the order
    both runtimes grade them: tampering early, so that everything after it counts."""
    items = [(f"tampering: {k}", ex, code) for k, (ex, code) in TAMPERING.items()]
    for spec in all_exercises().values():
        if spec.requires:
            continue
        items.append((f"{spec.id}: reference", spec.id, spec.solution))
        items.append((f"{spec.id}: starter", spec.id, spec.starter))
        items += [(f"{spec.id}: {m.name}", spec.id, m.code) for m in spec.mistakes]
    items += [(f"hostile: {k}", ex, code) for k, (ex, code) in HOSTILE.items()]
    # The reference again at the end: nothing before may have changed its verdict.
    items += [(f"{n} again", ex, code) for n, ex, code in items if n.endswith("reference")]
    return items


def verdict(result: dict) -> tuple:
    """What must be identical across runtimes: status, headline, each check's outcome."""
    error = result["error"]["type"] if result["error"] else None
    return (result["status"], result["feedback"], error,
            [(c["name"], c["passed"]) for c in result["checks"]])
