"""A verdict is a function of (exercise, source) alone (README: "How grading works").

Tampering with the interpreter gets ChangedPython and changes no later verdict, in this
long-lived interpreter as in a fresh one; hostile submissions never make grade() raise;
a known mistake is recognized even when the submission also slips elsewhere.
"""

from __future__ import annotations

import builtins
import json
import math
import subprocess
import sys

import pytest
from conftest import ROOT
from grading_corpus import HOSTILE, L1, TAMPERING, verdict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grader.values
from grader import all_exercises, grade, run
from grader.contract import Status

KEYS = {"exercise", "status", "score", "feedback", "checks", "error", "stdout"}


def others(tampered: str) -> list[tuple[str, str]]:
    """Right and wrong submissions to every other exercise that needs no package."""
    return [
        (spec.id, code)
        for spec in all_exercises().values()
        if spec.id != tampered and not spec.requires
        for code in (spec.solution, spec.mistakes[0].code, spec.starter)
    ]


GRADE_ALL = """
import json, sys
from grader import grade
from grading_corpus import verdict
print(json.dumps([verdict(grade(ex, code)) for ex, code in json.loads(sys.stdin.read())]))
"""


def fresh_verdicts(submissions: list[tuple[str, str]]) -> list:
    """Verdicts from a fresh interpreter that grades ``submissions`` in this order."""
    out = subprocess.run(
        [sys.executable, "-c", GRADE_ALL], input=json.dumps(submissions), text=True,
        capture_output=True, check=True, cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'tests'}", "PATH": "/usr/bin:/bin"},
    )
    return [tuple(v) for v in json.loads(out.stdout)]


def as_json(value):
    return json.loads(json.dumps(value))


def interpreter_state() -> tuple:
    return (builtins.sum, math.isclose, grader.values.same_value, grader.values.close.__code__,
            sys.getrecursionlimit(), sys.gettrace(), list(sys.path))


@pytest.mark.parametrize("name", list(TAMPERING))
def test_tampering_is_reported_and_changes_no_later_verdict(name):
    exercise, code = TAMPERING[name]
    later = others(exercise)
    expected = fresh_verdicts(later)  # graded first, in a clean interpreter
    before = interpreter_state()
    result = grade(exercise, code)
    assert result["status"] == "error"
    assert result["error"]["type"] == "ChangedPython"
    assert result["feedback"].startswith("Your code changed Python itself (")
    assert interpreter_state() == before  # put back
    assert [as_json(verdict(grade(ex, c))) for ex, c in later] == [as_json(v) for v in expected]


def test_tampering_first_in_a_fresh_interpreter_changes_nothing_after_it():
    later = others("")
    tampering = list(TAMPERING.values())
    verdicts = fresh_verdicts(tampering + later)
    assert [v[2] for v in verdicts[: len(tampering)]] == ["ChangedPython"] * len(tampering)
    assert verdicts[len(tampering):] == fresh_verdicts(later)


def test_a_patch_undone_within_the_module_is_graded_normally():
    code = (
        "import builtins\n_sum = builtins.sum\nbuiltins.sum = lambda *a: 0.0\n"
        "builtins.sum = _sum\n"
        "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"
    )
    assert grade("l2-penalty", code)["status"] == "pass"


@pytest.mark.parametrize(
    "code",
    [
        "import numpy as np\nnp.seterr(all='raise')\n",
        "import warnings\nwarnings.simplefilter('error')\n",
        "import math, json, random\nprint(math.pi, json.dumps([1]), random.random() < 2)\n",
        "import numpy\nimport json.tool\nsum = 3\nlen = None\n",
        "try:\n    raise ValueError('x')\nexcept ValueError:\n    pass\n",
    ],
)
def test_legitimate_code_is_not_flagged(code):
    good = "def l2_penalty(weights):\n    return float(builtins_sum(w * w for w in weights))\n"
    result = grade("l2-penalty", "import builtins\nbuiltins_sum = builtins.sum\n" + code + good)
    assert result["status"] == "pass", result["feedback"]


def test_recognition_survives_an_unrelated_deviation():
    # The L1 mistake plus `return None` for an empty list: still the L1 message, and
    # the empty-list check is listed as failing too.
    code = (
        "def l2_penalty(weights):\n"
        "    if not weights:\n"
        "        return None\n"
        "    return float(sum(abs(w) for w in weights))\n"
    )
    result = grade("l2-penalty", code)
    assert result["status"] == "fail"
    assert result["feedback"].startswith("That is the L1 penalty")
    failing = [c["name"] for c in result["checks"] if not c["passed"]]
    assert "no weights at all" in failing


def test_recognition_survives_a_deviation_on_a_case_the_mistake_gets_right():
    code = L1.replace("    return", "    if len(weights) == 0:\n        return 'none'\n    return")
    result = grade("l2-penalty", code)
    assert result["feedback"].startswith("That is the L1 penalty")
    assert grade("l2-penalty", L1)["feedback"] == result["feedback"]


def test_the_best_agreeing_mistake_wins():
    # 1-based epochs everywhere except one raise: the 1-based mistake, not "empty list
    # accepted" (which differs from the reference on one case only).
    spec = all_exercises()["early-stop"]
    one_based = next(m for m in spec.mistakes if m.name == "1-based epochs")
    assert grade("early-stop", one_based.code)["feedback"] == one_based.message


def test_a_subclass_of_the_expected_exception_is_accepted():
    exercise, code = HOSTILE["a ValueError subclass where ValueError is asked"]
    assert "class Empty(ValueError)" in code
    assert grade(exercise, code)["status"] == "pass"


def test_a_nul_byte_names_its_line():
    result = grade("l2-penalty", "x = 1\ny = 2\0\n")
    assert result["error"]["type"] == "SyntaxError" and result["error"]["line"] == 2
    assert "line 2" in result["feedback"] and "NUL" in result["feedback"]


def test_an_exception_whose_str_raises_is_reported():
    exercise, code = HOSTILE["exception whose __str__ raises"]
    result = grade(exercise, code)
    assert result["status"] == "fail"
    assert "raised Odd" in result["feedback"] and "(line 5)" in result["feedback"]
    top = grade(exercise, code + "raise Odd()\n")
    assert top["status"] == "error" and top["error"]["type"] == "Odd"


def test_a_generator_is_described_without_its_address():
    exercise, code = HOSTILE["a generator"]
    feedback = grade(exercise, code)["feedback"]
    assert "generator" in feedback and "0x" not in feedback


def test_run_reports_tampering_and_restores():
    before = interpreter_state()
    result = run("import math\nmath.isclose = None\n")
    assert result["status"] == "error" and result["error"]["type"] == "ChangedPython"
    assert interpreter_state() == before


# Hostile submissions, generated: grade() never raises and always returns the contract.

MODULE_PARTS = [
    "",
    "def broken(:\n",
    "raise RuntimeError('at import')\n",
    "print('x' * 50_000)\n",
    "import builtins\nbuiltins.sum = lambda *a, **k: 0\n",
    "import math\nmath.isclose = lambda *a, **k: True\n",
    "import sys\nsys.setrecursionlimit(5000)\n",
    "import sys\nsys.settrace(lambda *a: None)\n",
    "import grader.values\ngrader.values.coerce = lambda *a, **k: 0.0\n",
    "import numpy as np\n",
    "\0",
    "class Boom(Exception):\n    def __str__(self):\n        raise RuntimeError\n",
]
BODIES = [
    "return float(sum(w * w for w in weights))",
    "return weights(weights)",
    "return l2_penalty(weights)",
    "return float('nan')",
    "return (w for w in weights)",
    "return True",
    "return 10 ** 400",
    "return __import__('numpy').float64(1.5)",
    "return type('X', (float,), {'__float__': lambda s: 1 / 0})(1.0)",
    "return type('L', (list,), {'__len__': lambda s: 10 ** 30})([1.0])",
    "raise KeyboardInterrupt",
    "raise SystemExit(3)",
    "weights.append(1) if isinstance(weights, list) else None\n    return 0.0",
    "print('\\ud800', end='')\n    return 0.0",
    "raise type('E', (ValueError,), {'__repr__': lambda s: 1 / 0})()",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MODULE_PARTS), max_size=3), st.sampled_from(BODIES))
def test_hostile_submissions_always_get_a_valid_result(parts, body):
    before = interpreter_state()
    source = "".join(parts) + f"def l2_penalty(weights):\n    {body}\n"
    result = grade("l2-penalty", source)
    assert set(result) == KEYS
    assert result["status"] in {str(s) for s in Status}
    json.dumps(result, allow_nan=False)  # JSON-safe: no NaN, no odd objects
    assert type(result["feedback"]) is str and result["feedback"]
    assert interpreter_state() == before
    assert grade("l2-penalty", L1)["feedback"].startswith("That is the L1 penalty")
