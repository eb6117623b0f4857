"""The grading engine against adversarial and odd submissions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

from grader import UnknownExercise, get_exercise, grade, run
from grader.sandbox import grade_isolated

GOOD = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"
KEYS = {"exercise", "status", "score", "feedback", "checks", "error", "stdout"}


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def check_shape(result: dict) -> dict:
    assert set(result) == KEYS
    assert result["status"] in {"pass", "fail", "error", "timeout"}
    json.dumps(result)  # JSON-serializable, or this raises
    for check in result["checks"]:
        assert {"name", "passed", "message"} <= set(check) <= {"name", "passed", "message", "line"}
    return result


def test_correct_submission_passes_with_full_score():
    result = check_shape(grade("l2-penalty", GOOD))
    assert result["status"] == "pass"
    assert result["score"] == 1.0
    assert result["error"] is None
    assert all(c["passed"] for c in result["checks"])
    assert len(result["checks"]) >= 8


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(UnknownExercise, match="l2-penalty"):
        grade("no-such-exercise", GOOD)


def test_syntax_error_points_at_the_learners_line():
    result = check_shape(grade("l2-penalty", "x = 1\ndef l2_penalty(w)\n    return 0\n"))
    assert result["status"] == "error"
    assert result["error"]["type"] == "SyntaxError"
    assert result["error"]["line"] == 2
    assert "line 2" in result["feedback"]


def test_exception_at_module_level_is_an_error_with_its_line():
    result = check_shape(grade("l2-penalty", "a = 1\nb = undefined_name\n"))
    assert result["status"] == "error"
    assert result["error"]["type"] == "NameError"
    assert result["error"]["line"] == 2
    assert "undefined_name" in result["feedback"]


def test_traceback_shows_only_the_learners_frames():
    code = src("""
        def helper(w):
            return w[99]

        def l2_penalty(weights):
            return helper(weights)
        """)
    result = check_shape(grade("l2-penalty", code))
    assert result["status"] == "fail"
    assert "IndexError" in result["checks"][0]["message"]
    assert "(line 2)" in result["checks"][0]["message"]
    assert result["checks"][0]["line"] == 2
    module_level = check_shape(grade("l2-penalty", code + "l2_penalty([])\n"))
    trace = module_level["error"]["traceback"]
    assert "<your code>" in trace and "return w[99]" in trace
    assert "grader" not in trace and ".py" not in trace


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("def something_else(w):\n    return 0.0\n", "doesn't define a function named"),
        ("def l2_penalt(w):\n    return 0.0\n", "`l2_penalt`: is that name misspelled?"),
        ("l2_penalty = 3\n", "not a function"),
        ("", "doesn't define a function"),
    ],
)
def test_missing_or_uncallable_function_is_an_error(code, fragment):
    result = check_shape(grade("l2-penalty", code))
    assert result["status"] == "error"
    assert result["error"]["type"] == "MissingFunction"
    assert fragment in result["feedback"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("return 'twenty-six'", "a str"),
        ("return None", "None (is a `return` statement missing?)"),
        ("return [1.0]", "a list"),
        ("return True", "the bool True"),
        ("return {'total': 26.83}", "a dict"),
        ("return 1j", "a complex"),
    ],
)
def test_wrong_return_types_fail_with_a_clear_message(body, fragment):
    result = check_shape(grade("l2-penalty", f"def l2_penalty(weights):\n    {body}\n"))
    assert result["status"] == "fail"
    assert fragment in result["checks"][0]["message"]
    assert "it should be a number" in result["checks"][0]["message"]


def test_numpy_scalars_and_ints_are_accepted_as_numbers():
    code = "import numpy as np\ndef l2_penalty(w):\n    return np.sum(np.square(np.asarray(w)))\n"
    assert grade("l2-penalty", code)["status"] == "pass"


def test_nan_never_passes():
    result = grade("l2-penalty", "def l2_penalty(w):\n    return float('nan')\n")
    assert result["status"] == "fail"
    assert not any(c["passed"] for c in result["checks"])
    assert "returned nan" in result["checks"][0]["message"]


def test_an_object_that_equals_everything_cannot_pass():
    code = src("""
        class Liar(float):
            def __eq__(self, other):
                return True
            def __ne__(self, other):
                return False
        class Everything:
            def __eq__(self, other):
                return True
        def l2_penalty(weights):
            return Liar(1.0) if len(weights) % 2 else Everything()
        """)
    result = check_shape(grade("l2-penalty", code))
    assert result["status"] == "fail"
    assert result["score"] < 0.5


def test_a_list_answer_is_coerced_element_by_element():
    liar = src("""
        class Everything:
            def __eq__(self, other):
                return True
        def weight_share(weights):
            return [Everything() for _ in weights]
        """)
    result = grade("weight-share", liar)
    assert result["status"] == "fail"
    assert "it should be a number" in result["feedback"]


def test_huge_output_is_cut_with_a_marker():
    code = "print('x' * 1_000_000)\n" + GOOD
    result = check_shape(grade("l2-penalty", code))
    assert result["status"] == "pass"
    assert len(result["stdout"]) < 12_000
    assert "[output cut: 990,001 more characters not shown]" in result["stdout"]


def test_print_inside_the_function_is_captured_not_leaked(capsys):
    code = "def l2_penalty(w):\n    print('<b>checking</b>', len(w))\n    return 0.0\n"
    result = grade("l2-penalty", code)
    assert "<b>checking</b> 6" in result["stdout"]
    assert capsys.readouterr().out == ""


def test_sys_exit_at_module_level_and_inside_the_function():
    top = check_shape(grade("l2-penalty", "import sys\nsys.exit(1)\n"))
    assert top["status"] == "error" and top["error"]["type"] == "SystemExit"
    assert "sys.exit()" in top["feedback"]
    inside = check_shape(grade("l2-penalty", "import sys\ndef l2_penalty(w):\n    sys.exit(0)\n"))
    assert inside["status"] == "fail"
    assert "SystemExit" in inside["checks"][0]["message"]


def test_input_returns_end_of_file_instead_of_hanging():
    result = grade("l2-penalty", "name = input('name? ')\n")
    assert result["status"] == "error" and result["error"]["type"] == "EOFError"


def test_the_learners_own_keyboard_interrupt_is_their_exception_not_a_timeout():
    # Pyodide's interrupt buffer is not used (web/worker.js): Stop ends the worker.
    top = check_shape(grade("l2-penalty", "raise KeyboardInterrupt\n"))
    assert top["status"] == "error" and top["error"]["type"] == "KeyboardInterrupt"
    assert top["error"]["line"] == 1
    inside = check_shape(grade("l2-penalty", "def l2_penalty(w):\n    raise KeyboardInterrupt\n"))
    assert inside["status"] == "fail"
    assert "KeyboardInterrupt" in inside["checks"][0]["message"]


def test_recursion_error_is_explained():
    result = grade("l2-penalty", "def l2_penalty(w):\n    return l2_penalty(w)\n")
    assert result["status"] == "fail"
    assert "RecursionError" in result["feedback"] and "call itself" in result["feedback"]


def test_mutating_the_input_cannot_break_later_checks():
    # Empties the list it was given: the grader must hand each check a fresh copy.
    code = src("""
        def l2_penalty(weights):
            total = float(sum(w * w for w in weights))
            if isinstance(weights, list):
                weights.clear()
            return total
        """)
    assert grade("l2-penalty", code)["status"] == "pass"


def test_mutation_fails_where_the_exercise_forbids_it():
    code = src("""
        def l2_step(weights, gradient, learning_rate, lam):
            if len(weights) != len(gradient):
                raise ValueError("lengths differ")
            new = [w - learning_rate * (g + 2 * lam * w) for w, g in zip(weights, gradient)]
            if isinstance(weights, list):
                weights[:] = new  # only lists: tuples would reveal it by a TypeError
            return new
        """)
    result = grade("l2-step", code)
    assert result["status"] == "fail"
    assert "changed its argument `weights` in place" in result["feedback"]


def test_a_hard_coded_worked_example_fails():
    result = grade("l2-penalty", "def l2_penalty(weights):\n    return 26.83\n")
    assert result["status"] == "fail"
    assert result["checks"][0]["passed"]  # the worked example itself
    assert not all(c["passed"] for c in result["checks"])


def test_known_mistake_sets_the_headline():
    l1 = "def l2_penalty(weights):\n    return float(sum(abs(w) for w in weights))\n"
    result = grade("l2-penalty", l1)
    assert result["status"] == "fail"
    assert "L1" in result["feedback"]


def test_run_executes_as_a_script_without_grading():
    result = run("if __name__ == '__main__':\n    print('hello', 1 + 1)\n")
    assert result == {"status": "ok", "stdout": "hello 2\n", "error": None}
    failed = run("print('before')\n1 / 0\n")
    assert failed["status"] == "error"
    assert failed["error"]["type"] == "ZeroDivisionError" and failed["error"]["line"] == 2
    assert failed["stdout"] == "before\n"


def test_import_needs_only_the_standard_library():
    probe = (
        "import sys, grader; grader.all_exercises(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'mkdocs', 'yaml'}))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Isolated grading: the child process turns anything into a result.


def test_isolated_infinite_loop_in_the_function_times_out():
    result = check_shape(
        grade_isolated("l2-penalty", "def l2_penalty(w):\n    while True:\n        pass\n",
                       timeout=1.5)
    )
    assert result["status"] == "timeout"
    assert "more than 1.5 seconds" in result["feedback"]


def test_isolated_infinite_loop_at_import_times_out():
    result = grade_isolated("l2-penalty", "while True:\n    pass\n", timeout=1.5)
    assert result["status"] == "timeout"


def test_isolated_os_exit_is_reported():
    result = check_shape(grade_isolated("l2-penalty", "import os\nos._exit(3)\n"))
    assert result["status"] == "error"
    assert result["error"]["type"] == "ProcessExit"
    assert "exit code 3" in result["feedback"]


def test_isolated_memory_bomb_gives_a_result():
    result = check_shape(grade_isolated("l2-penalty", "x = bytearray(50 * 1024 ** 3)\n" + GOOD))
    assert result["status"] == "error"
    assert result["error"]["type"] == "MemoryError"
    assert "out of memory" in result["feedback"]


def test_isolated_writes_to_raw_stdout_do_not_corrupt_the_result():
    code = "import os\nos.write(1, b'{not json')\n" + GOOD
    result = check_shape(grade_isolated("l2-penalty", code))
    assert result["status"] == "pass"


def test_isolated_result_equals_in_process_result():
    l1 = "def l2_penalty(weights):\n    return float(sum(abs(w) for w in weights))\n"
    assert grade_isolated("l2-penalty", l1) == grade("l2-penalty", l1)


# How check messages show a case: whole, in its own order, floats rounded, tolerance said

SMALLEST_RATE = "def best_lambda(results):\n    return min(results)\n"


def _messages(exercise_id: str, code: str) -> dict[str, str]:
    return {c["name"]: c["message"] for c in grade(exercise_id, code)["checks"]}


def test_a_dict_input_is_shown_whole_and_in_its_own_key_order():
    messages = _messages("pick-lambda", SMALLEST_RATE)
    tie = messages["a tie with the larger rate listed first"]
    assert tie.startswith("best_lambda({1.0: 0.3, 0.1: 0.3, 0.0: 0.5}) returned 0.0;")
    # Seven rates: every key is there for the learner to try again.
    seven = messages["random search #4"]
    assert seven.startswith("best_lambda({0.3: 0.24, 1.0: 0.23, 0.001: 0.22, 0.1: 0.24, "
                            "10.0: 0.23, 3.0: 0.22, 0.003: 0.29}) returned 0.001;")
    assert "…" not in seven and "..." not in seven


def test_a_list_input_is_shown_whole():
    code = "def stop_epoch(val_losses, patience=1):\n    return 0\n"
    message = _messages("early-stop", code)["random curve #8, patience 2"]
    assert message.startswith(
        "stop_epoch((0.78, 0.71, 0.72, 0.7, 0.6, 0.55, 0.56, 0.46, 0.49, 0.37, 0.35, 0.36, "
        "0.29, 0.3), patience=2) returned 0; expected 12."
    )
    assert "math.isclose" not in message  # an index is compared exactly


def test_floats_are_rounded_to_six_digits_and_the_tolerance_is_said():
    code = "def l2_penalty(weights):\n    return 1.0001 * sum(w * w for w in weights) + 1 / 3\n"
    message = _messages("l2-penalty", code)["two weights, 3 and -4"]
    assert message == (
        "l2_penalty([3.0, -4.0]) returned 25.3358; expected 25.0 "
        "(compared with `math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)`)."
    )


def test_values_that_differ_beyond_six_digits_get_the_digits_that_tell_them_apart():
    code = "def l2_penalty(weights):\n    return (1 + 4e-8) * sum(w * w for w in weights)\n"
    message = _messages("l2-penalty", code)["two weights, 3 and -4"]
    assert message.startswith("l2_penalty([3.0, -4.0]) returned 25.000001; expected 25.0 ")


def test_a_numpy_exercise_says_its_own_tolerance_for_each_number():
    pytest.importorskip("numpy")
    code = "def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):\n    return [0.5]\n"
    message = _messages("ridge-gd", code)["the one-step example from the prompt"]
    assert message == (
        "fit_ridge([[1.0], [2.0]], [2.0, 4.0], 0.0, epochs=1) returned [0.5]; expected [1.0] "
        "(each number compared with `math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9)`)."
    )
    arrays = _messages("ridge-gd", code)["the one-step example, as numpy arrays"]
    assert arrays.startswith("fit_ridge(np.array([[1.0], [2.0]]), np.array([2.0, 4.0]), 0.0,")


def test_a_list_of_the_wrong_length_says_both_lengths():
    code = "def weight_share(weights):\n    return [1.0]\n"
    messages = [m for m in _messages("weight-share", code).values() if m]
    assert messages and all(
        re.search(r"returned 1 numbers, \[1\.0\]; expected \d+, \[", m) for m in messages
    ), messages


def test_only_an_input_longer_than_the_limit_is_abbreviated():
    from grader.display import MAX_CHARS, show

    short = [round(0.01 * i, 2) for i in range(60)]
    assert show(short) == repr(short) and len(show(short)) < MAX_CHARS
    long = [0.123456789] * 200
    text = show(long)
    assert len(text) <= MAX_CHARS + 20
    assert text.startswith("[0.123457, 0.123457, ") and text.endswith(" more)]")
    assert re.search(r"… \((\d+) more\)\]$", text)
    shown = text.count("0.123457")
    assert shown + int(re.search(r"\((\d+) more", text)[1]) == 200


def test_a_column_vector_w_is_named_whatever_else_is_2_d_but_not_a_missing_return():
    pytest.importorskip("numpy")
    spec = get_exercise("ridge-gd")
    column = next(m for m in spec.mistakes if m.name == "w as a column vector")
    # The careful variant, y made a column too: right numbers, wrong shape.
    start = "w = np.zeros((d, 1))"
    both = column.code.replace(start, start + "\n    y = y.reshape(-1, 1)")
    assert grade("ridge-gd", both)["feedback"] == column.message
    assert grade("ridge-gd", spec.starter)["feedback"] != column.message


def test_only_assigning_into_a_tuple_is_named_changing_it_in_place():
    """Any other TypeError on a tuple gets its own message, not the in-place mistake's."""
    assigns = (
        "def l2_step(weights, gradient, learning_rate, lam):\n"
        "    if len(weights) != len(gradient):\n"
        "        raise ValueError('lengths differ')\n"
        "    new = WEIGHTS\n"
        "    for i, (w, g) in enumerate(zip(weights, gradient)):\n"
        "        new[i] = w - learning_rate * (g + 2 * lam * w)\n"
        "    return new\n"
    )
    in_place = grade("l2-step", assigns.replace("WEIGHTS", "weights"))
    assert "in place" in in_place["feedback"]
    concatenates = grade("l2-step", assigns.replace("WEIGHTS", "weights + []"))
    assert concatenates["status"] == "fail"
    assert "in place" not in concatenates["feedback"]
    assert "can only concatenate tuple" in concatenates["feedback"]
