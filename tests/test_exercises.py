"""Every exercise of the catalogue, through ``grader.grade``: the entry point the browser uses.

Reference solutions pass, starters and memorized answers don't, each known mistake fails
with exactly its own message, and the examples in each prompt are checked cases. Every
test here walks the catalogue: adding an exercise file adds its tests, and needs no edit.
"""

from __future__ import annotations

import ast
import importlib
import json
import math
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import exercises
from exercises._shared import TABLE, TABLE_PENALTY, TABLE_SQUARES
from grader import all_exercises, exercise_ids, get_exercise, grade
from grader.spec import FROM_REFERENCE, Array, Case, ExerciseSpec

IDS = exercise_ids()
PURE = [i for i in IDS if not get_exercise(i).requires]
MISTAKES = [
    pytest.param(spec.id, index, id=f"{spec.id}: {mistake.name}")
    for spec in all_exercises().values()
    for index, mistake in enumerate(spec.mistakes)
]


def _values(case: Case) -> list:
    return [*case.args, *case.kwargs.values()]


def _has_array(value) -> bool:
    if isinstance(value, Array):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_array(v) for v in value)
    if isinstance(value, dict):
        return any(_has_array(v) for v in (*value, *value.values()))
    return False


def _parameters(spec: ExerciseSpec) -> list[str]:
    """The parameter names of the function, as the starter code declares them."""
    for node in ast.walk(ast.parse(spec.starter)):
        if isinstance(node, ast.FunctionDef) and node.name == spec.function:
            return [a.arg for a in node.args.args]
    raise AssertionError(f"{spec.id}: the starter does not define {spec.function}")


# The catalogue itself


def test_exercise_ids_and_orders_are_unique():
    specs = all_exercises().values()
    assert len({s.id for s in specs}) == len(IDS) >= 1
    assert len({s.order for s in specs}) == len(IDS)
    assert [s.order for s in specs] == sorted(s.order for s in specs)


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


@pytest.mark.parametrize("path", sorted(Path(exercises.__file__).parent.glob("*.py")),
                         ids=lambda p: p.name)
def test_exercise_files_import_only_the_standard_library_and_the_spec(path):
    # The files also load in Pyodide, where numpy may not be there yet.
    for name in _module_level_imports(path):
        top = name.split(".")[0]
        assert name in ("grader.spec", "exercises._shared") or top in sys.stdlib_module_names


def test_the_lessons_table_is_the_one_the_exercises_share():
    assert [round(w * w, 2) for w in TABLE] == list(TABLE_SQUARES)
    assert round(sum(TABLE_SQUARES), 2) == TABLE_PENALTY == 26.83
    assert round(TABLE_SQUARES[2] / TABLE_PENALTY, 2) == 0.93  # w3 holds about 93 %


# Each exercise's own code, graded


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_passes_every_check(exercise_id):
    spec = get_exercise(exercise_id)
    result = grade(exercise_id, spec.solution)
    failed = [c for c in result["checks"] if not c["passed"]]
    assert failed == []
    assert result["status"] == "pass"
    assert result["score"] == 1.0
    assert result["error"] is None
    assert len(result["checks"]) == len(spec.all_cases())  # nothing left out


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


def test_pure_python_exercises_grade_fully_where_numpy_cannot_be_imported():
    # As in the browser before any package is loaded: every check still runs.
    script = (
        "import json, sys\n"
        "sys.modules['numpy'] = None\n"
        "from grader import all_exercises, grade\n"
        "from grader.verify import verify_exercise\n"
        "for spec in all_exercises().values():\n"
        "    if not spec.requires:\n"
        "        checks = grade(spec.id, spec.solution)['checks']\n"
        "        print(json.dumps([spec.id, verify_exercise(spec), len(checks)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, check=True)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [row[0] for row in rows] == PURE
    for exercise_id, problems, checks in rows:
        assert problems == [], exercise_id
        assert checks == len(get_exercise(exercise_id).all_cases()), exercise_id


# Memorizing the answers does not pass


def _plain(value):
    """A case argument as the submission below sees it, in a form ``repr`` can key."""
    if isinstance(value, Array):
        return ("array", [list(v) if isinstance(v, tuple) else v for v in value.values])
    return value


def _reference_answer(spec: ExerciseSpec, case: Case):
    if case.raises is not None:
        return ("raises", case.raises.__name__)
    if case.expected is not FROM_REFERENCE:
        return ("value", case.expected)
    namespace: dict = {}
    exec(compile(spec.solution, "<reference>", "exec"), namespace)
    args = [_materialize(a) for a in case.args]
    kwargs = {k: _materialize(v) for k, v in case.kwargs.items()}
    value = namespace[spec.function](*args, **kwargs)
    return ("value", value.tolist() if hasattr(value, "tolist") else value)


def _materialize(value):
    if isinstance(value, Array):
        import numpy

        return numpy.array(value.values, dtype=float)
    return value


def _memorizer(spec: ExerciseSpec) -> str:
    """A submission that knows the answer to every fixed case, and nothing else."""
    answers = {
        repr((tuple(_plain(a) for a in case.args), sorted(case.kwargs.items()))):
            _reference_answer(spec, case)
        for case in spec.cases
    }
    return (
        "import builtins\n"
        f"ANSWERS = {answers!r}\n"
        "def _plain(v):\n"
        "    return ('array', v.tolist()) if hasattr(v, 'tolist') else v\n"
        f"def {spec.function}(*args, **kwargs):\n"
        "    key = repr((tuple(_plain(a) for a in args), sorted(kwargs.items())))\n"
        "    kind, value = ANSWERS.get(key, next(iter(ANSWERS.values())))\n"
        "    if kind == 'raises':\n"
        "        raise getattr(builtins, value)('memorized')\n"
        "    return value\n"
    )


@pytest.mark.parametrize("exercise_id", IDS)
def test_memorizing_every_fixed_case_does_not_pass(exercise_id):
    spec = get_exercise(exercise_id)
    result = grade(exercise_id, _memorizer(spec))
    fixed, rest = result["checks"][: len(spec.cases)], result["checks"][len(spec.cases) :]
    assert all(c["passed"] for c in fixed), "the memorizer should know every fixed case"
    assert result["status"] == "fail"
    assert not all(c["passed"] for c in rest)


# The prompt's examples are checked cases


def _call_text(spec: ExerciseSpec, case: Case) -> str:
    parts = [repr(a) for a in case.args] + [f"{k}={v!r}" for k, v in case.kwargs.items()]
    return f"{spec.function}({', '.join(parts)})"


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_prompts_examples_are_cases_with_their_answers(exercise_id):
    spec = get_exercise(exercise_id)
    examples = [case for case in spec.cases if case.example]
    assert examples, "mark the prompt's example call as a Case(..., example=True)"
    prompt = re.sub(r"\s+", " ", spec.prompt)
    for case in examples:
        # An explicit answer, so that the reference is checked against the text.
        assert case.expected is not FROM_REFERENCE and case.raises is None
        call = _call_text(spec, case)
        assert call in prompt, f"the prompt does not show `{call}`"
        after = prompt[prompt.index(call) + len(call) :][:120]
        assert repr(case.expected) in after, f"`{call}` is not followed by its answer"


# What the arguments look like


@pytest.mark.parametrize("exercise_id", IDS)
def test_sequences_come_as_lists_and_tuples_and_arrays_only_where_numpy_is_required(
    exercise_id,
):
    spec = get_exercise(exercise_id)
    cases = spec.all_cases()
    if not spec.requires:
        assert not any(_has_array(v) for case in cases for v in _values(case))
        for position in range(max(len(case.args) for case in cases)):
            kinds = {type(c.args[position]) for c in cases if len(c.args) > position}
            if kinds & {list, tuple}:
                assert {list, tuple} <= kinds, f"argument {position + 1}: only {kinds}"
    else:
        kinds = {type(v) for case in cases for v in _values(case)}
        assert {Array, list} <= kinds


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


# Changing an input in place fails, wherever the cases forbid it

MUTABLE_ARGUMENTS = [
    pytest.param(spec.id, position, id=f"{spec.id}: {_parameters(spec)[position]}")
    for spec in all_exercises().values()
    for position in sorted({
        i
        for case in spec.cases
        if case.forbid_mutation
        for i, arg in enumerate(case.args)
        if isinstance(arg, (list, Array)) and len(arg if isinstance(arg, list) else arg.values)
    })
]


@pytest.mark.parametrize(("exercise_id", "position"), MUTABLE_ARGUMENTS)
def test_changing_an_argument_in_place_fails(exercise_id, position):
    spec = get_exercise(exercise_id)
    source = (
        spec.solution
        + "\n\nimport functools\n"
        + f"_reference = {spec.function}\n\n"
        + "def _change(value):\n"
        + "    if isinstance(value, tuple) or len(value) == 0:\n"
        + "        return\n"
        + "    if isinstance(value, list) and isinstance(value[0], list):\n"
        + "        value[0].append(1.0)\n"
        + "    else:\n"
        + "        value[0] = value[0] + 1\n\n"
        + "@functools.wraps(_reference)\n"
        + f"def {spec.function}(*args, **kwargs):\n"
        + "    result = _reference(*args, **kwargs)\n"
        + f"    _change(args[{position}])\n"
        + "    return result\n"
    )
    result = grade(exercise_id, source)
    assert result["status"] == "fail"
    name = _parameters(spec)[position]
    messages = [c["message"] for c in result["checks"] if not c["passed"]]
    assert any(f"`{name}`" in m and "in place" in m for m in messages), messages


# What the learner reads


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


def _typed(value):
    """A case argument as the learner would type it: ``Array`` as nested lists."""
    if isinstance(value, Array):
        return _typed(list(value.values))
    if isinstance(value, (list, tuple)):
        return [_typed(v) for v in value]
    if isinstance(value, dict):
        return [(_typed(k), _typed(v)) for k, v in value.items()]  # in the dict's order
    return value


def _pasted(node: ast.expr):
    """An argument of the call in a message, read back as ``_plain`` writes it."""
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "np.array":
        return _typed(ast.literal_eval(node.args[0]))
    return _typed(ast.literal_eval(node))


def _about_equal(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_about_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, tuple) and isinstance(b, tuple):  # a dict's (key, value)
        return all(_about_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and (a == b or math.isclose(a, b, rel_tol=1e-5))


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_failing_call_in_a_message_can_be_pasted_back(exercise_id):
    # A learner reproduces a failed check by pasting the call its message shows: every
    # argument is there, whole and in its order, to the 6 digits a message keeps.
    spec = get_exercise(exercise_id)
    if spec.requires:
        pytest.importorskip("numpy")
    code = f"def {spec.function}(*args, **kwargs):\n    raise RuntimeError('not yet')\n"
    result = grade(exercise_id, code)
    for case, check in zip(spec.all_cases(), result["checks"], strict=True):
        shown = re.split(r" (?:should raise|raised) ", check["message"])[0]
        call = ast.parse(shown, mode="eval").body
        assert isinstance(call, ast.Call) and ast.unparse(call.func) == spec.function, shown
        args = [_pasted(a) for a in call.args]
        assert _about_equal(args, _typed(case.args)), (case.name, shown)
        kwargs = {k.arg: _pasted(k.value) for k in call.keywords}
        assert kwargs.keys() == case.kwargs.keys(), (case.name, shown)
        assert all(_about_equal(kwargs[k], _typed(v)) for k, v in case.kwargs.items()), shown


@pytest.mark.parametrize(("exercise_id", "index"), MISTAKES)
def test_a_mistakes_hint_adds_to_its_message(exercise_id, index):
    mistake = get_exercise(exercise_id).mistakes[index]
    # The Hint button offers it first, after the message named the mistake.
    assert isinstance(mistake.hint, str) and mistake.hint.strip(), "a mistake without a hint"
    assert mistake.hint != mistake.message
    assert mistake.hint.count("`") % 2 == 0, "an unclosed `code` span"
