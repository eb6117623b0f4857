"""Every exercise spec, through ``grader.grade``: the entry point the browser uses.

Reference solutions pass, starters and hard-coded answers don't, and each known mistake
fails with exactly its own message (SPEC §3, §4).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

import exercises
from grader import all_exercises, exercise_ids, get_exercise, grade, grading
from grader.spec import FROM_REFERENCE, Array, ExerciseSpec

COURSE = [
    "l2-penalty",
    "weight-share",
    "regularized-loss",
    "pick-lambda",
    "early-stop",
    "l2-step",
    "ridge-gd",
]
IDS = exercise_ids()
MISTAKES = [
    pytest.param(spec.id, index, id=f"{spec.id}: {mistake.name}")
    for spec in all_exercises().values()
    for index, mistake in enumerate(spec.mistakes)
]

# A submission that only knows the answer to the worked example in the prompt.
HARD_CODED = {
    "l2-penalty": "def l2_penalty(weights):\n    return 26.83\n",
    "weight-share": (
        "def weight_share(weights):\n"
        "    return [s / 26.83 for s in (0.04, 0.25, 25.0, 1.44, 0.09, 0.01)]\n"
    ),
    "regularized-loss": "def regularized_loss(data_loss, weights, lam):\n    return 3.5\n",
    "l2-step": "def l2_step(weights, gradient, learning_rate, lam):\n    return [0.85, -1.85]\n",
    "early-stop": "def stop_epoch(val_losses, patience=1):\n    return 2 if patience == 1 else 4\n",
    "pick-lambda": "def best_lambda(results):\n    return 1.0\n",
    "ridge-gd": (
        "def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):\n    return [1.0, 2.0]\n"
    ),
}

# The lesson's worked examples must be cases with an explicit expected value, so that
# the reference solution itself is checked against the text.
TABLE = [0.2, -0.5, 5.0, -1.2, 0.3, -0.1]
CURVE = [1.0, 0.8, 0.7, 0.75, 0.6]
WORKED = [
    ("l2-penalty", (TABLE,), {}, 26.83),
    ("early-stop", (CURVE,), {}, 2),
    ("early-stop", (CURVE,), {"patience": 2}, 4),
    ("pick-lambda", ({0.0: 0.5, 0.1: 0.3, 1.0: 0.3},), {}, 1.0),
]

# Inputs that are not sequences: pick-lambda takes a dict of rate -> loss.
MAPPING_INPUT = {"pick-lambda"}


def test_the_seven_exercises_come_in_course_order():
    assert IDS == COURSE
    assert [get_exercise(i).order for i in IDS] == [10, 20, 30, 40, 50, 60, 70]


def test_each_exercise_file_is_named_after_its_id():
    for info in pkgutil.iter_modules(exercises.__path__):
        spec = getattr(importlib.import_module(f"exercises.{info.name}"), "EXERCISE", None)
        if isinstance(spec, ExerciseSpec):
            assert info.name == spec.id.replace("-", "_")


def _module_level_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    return names


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_file_imports_only_the_standard_library_and_the_spec(exercise_id):
    # The files also load in Pyodide, where numpy may not be there yet.
    path = Path(exercises.__file__).parent / f"{exercise_id.replace('-', '_')}.py"
    for name in _module_level_imports(path):
        top = name.split(".")[0]
        assert name == "grader.spec" or top in sys.stdlib_module_names, name


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_passes_every_check(exercise_id):
    spec = get_exercise(exercise_id)
    result = grade(exercise_id, spec.solution)
    failed = [c for c in result["checks"] if not c["passed"]]
    assert failed == []
    assert result["status"] == "pass"
    assert result["score"] == 1.0
    assert result["error"] is None
    assert len(result["checks"]) == len(spec.all_cases())  # numpy is here: nothing left out


@pytest.mark.parametrize(
    "exercise_id", [i for i in IDS if "numpy" not in get_exercise(i).requires]
)
def test_reference_passes_and_mistakes_are_named_without_numpy(exercise_id, monkeypatch):
    # In the browser numpy loads only for exercises that need it: Array cases drop out.
    spec = get_exercise(exercise_id)
    monkeypatch.setattr(grading, "_numpy", lambda: None)
    result = grade(exercise_id, spec.solution)
    assert result["status"] == "pass"
    without_arrays = [c for c in spec.all_cases() if Array not in map(type, c.args)]
    assert len(result["checks"]) == len(without_arrays)
    for mistake in spec.mistakes:
        assert grade(exercise_id, mistake.code)["feedback"] == mistake.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_starter_does_not_pass(exercise_id):
    spec = get_exercise(exercise_id)
    result = grade(exercise_id, spec.starter)
    # The starter loads and defines the function; it only fails the checks.
    assert result["status"] == "fail"
    assert result["score"] == 0.0


@pytest.mark.parametrize(("exercise_id", "index"), MISTAKES)
def test_known_mistake_fails_with_its_own_message(exercise_id, index):
    mistake = get_exercise(exercise_id).mistakes[index]
    result = grade(exercise_id, mistake.code)
    assert result["status"] == "fail"
    assert result["feedback"] == mistake.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_mistakes_have_distinct_names_and_messages(exercise_id):
    mistakes = get_exercise(exercise_id).mistakes
    assert len(mistakes) >= 2
    assert len({m.name for m in mistakes}) == len(mistakes)
    assert len({m.message for m in mistakes}) == len(mistakes)


def test_every_exercise_has_a_hard_coded_answer_to_try():
    assert set(HARD_CODED) == set(IDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_hard_coded_worked_example_fails(exercise_id):
    result = grade(exercise_id, HARD_CODED[exercise_id])
    assert result["status"] == "fail"
    assert result["score"] < 1.0


@pytest.mark.parametrize(("exercise_id", "args", "kwargs", "expected"), WORKED)
def test_worked_example_is_a_case_with_its_expected_value(exercise_id, args, kwargs, expected):
    cases = get_exercise(exercise_id).cases
    assert any(
        list(case.args) == list(args) and dict(case.kwargs) == kwargs
        and case.expected == expected
        for case in cases
    )


def test_weight_share_checks_the_93_percent_of_w3():
    cases = get_exercise("weight-share").cases
    shares = [c.expected for c in cases if list(c.args) == [TABLE]]
    assert shares and round(shares[0][2], 2) == 0.93
    assert round(sum(shares[0][:2] + shares[0][3:]), 2) == 0.07


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_has_two_to_four_hints(exercise_id):
    hints = get_exercise(exercise_id).hints
    assert 2 <= len(hints) <= 4
    assert all(isinstance(h, str) and h.strip() for h in hints)


@pytest.mark.parametrize("exercise_id", IDS)
def test_prompt_starter_and_solution_name_the_function(exercise_id):
    spec = get_exercise(exercise_id)
    assert spec.title.strip()
    assert f"`{spec.function}(" in spec.prompt
    assert f"def {spec.function}(" in spec.starter
    assert f"def {spec.function}(" in spec.solution


@pytest.mark.parametrize("exercise_id", IDS)
def test_exercise_accepts_a_list_a_tuple_and_a_numpy_array(exercise_id):
    spec = get_exercise(exercise_id)
    kinds = {type(arg) for case in spec.all_cases() for arg in case.args}
    if exercise_id in MAPPING_INPUT:
        assert dict in kinds
    else:
        assert {list, tuple, Array} <= kinds


@pytest.mark.parametrize("exercise_id", IDS)
def test_random_cases_are_several_and_seeded(exercise_id):
    spec = get_exercise(exercise_id)
    assert spec.random_cases is not None
    first, again = spec.all_cases(), spec.all_cases()
    assert len(first) - len(spec.cases) >= 3
    assert [(c.name, repr(c.args), repr(c.kwargs)) for c in first] == [
        (c.name, repr(c.args), repr(c.kwargs)) for c in again
    ]
    assert all(c.expected is FROM_REFERENCE for c in first[len(spec.cases) :])


@pytest.mark.parametrize("exercise_id", IDS)
def test_cases_have_unique_names(exercise_id):
    names = [c.name for c in get_exercise(exercise_id).all_cases()]
    assert len(names) == len(set(names))


def test_l2_step_must_not_change_the_gradient_either():
    source = (
        "def l2_step(weights, gradient, learning_rate, lam):\n"
        "    if len(weights) != len(gradient):\n"
        "        raise ValueError('lengths differ')\n"
        "    for i, w in enumerate(weights):\n"
        "        gradient[i] += 2 * lam * w\n"
        "    return [w - learning_rate * g for w, g in zip(weights, gradient)]\n"
    )
    result = grade("l2-step", source)
    assert result["status"] == "fail"
    messages = [c["message"] for c in result["checks"] if not c["passed"]]
    assert "l2_step() changed its argument `gradient` in place" in messages[0]


def test_ridge_gd_must_not_change_its_inputs():
    spec = get_exercise("ridge-gd")
    source = spec.solution.replace("    return w\n", "    X[0] = 0.0\n    return w\n")
    assert source != spec.solution
    result = grade("ridge-gd", source)
    assert result["status"] == "fail"
    assert "changed its argument `X` in place" in result["feedback"]
