"""grader.verify, the author's check: it passes the catalogue and names each kind of problem."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT

from grader import get_exercise
from grader.spec import Case, Mistake, SpecError
from grader.verify import verify_catalogue, verify_exercise

SPEC = get_exercise("l2-penalty")


def _broken():
    """l2-penalty with every problem verify looks for, each once."""
    l1, root, mean, square_of_sum = SPEC.mistakes[:4]
    return replace(
        SPEC,
        solution=l1.code,  # the reference no longer passes
        starter=SPEC.solution,  # the starter passes
        mistakes=(
            replace(root, message="Some other words."),  # its message is not what grade says
            replace(mean, code=square_of_sum.code),  # shadowed: graded as another mistake
            replace(square_of_sum, code=SPEC.solution),  # not a mistake at all: it passes
        ),
    )


def test_a_sound_exercise_has_no_problems():
    assert verify_exercise(SPEC) == []


def test_each_problem_is_named():
    problems = verify_exercise(_broken())
    assert problems[:4] == [
        f"the reference solution does not pass: {SPEC.mistakes[0].message}",
        "the starter code passes",
        f"known mistake 'square root of the sum' gives fail: {SPEC.mistakes[1].message!r}",
        f"known mistake 'mean instead of sum' gives fail: {SPEC.mistakes[3].message!r}",
    ]
    assert problems[4].startswith("known mistake 'square of the sum' gives pass: ")
    assert len(problems) == 5


def test_catalogue_report_counts_exercises_with_problems():
    lines: list[str] = []
    failures = verify_catalogue([SPEC, _broken()], write=lines.append)
    assert failures == 1
    assert lines[0] == "ok   l2-penalty: reference passes, starter fails, 8 known mistakes checked"
    assert lines[1].startswith("FAIL l2-penalty")
    assert lines[2] == "     - the reference solution does not pass: " + SPEC.mistakes[0].message
    assert lines[-1] == "1 passed, 1 failed"


# ---------------------------------------------------------------------------------------
# An author's mistake: refused when the spec is made, or reported as FAIL lines


def _spec_error(**changes) -> str:
    with pytest.raises(SpecError) as caught:
        replace(SPEC, **changes)
    message = str(caught.value)
    assert message.startswith("exercise 'l2-penalty': ")
    return message


def _raising(rng):
    raise RuntimeError("oops")


SPEC_MISTAKES = {
    "an unknown kind of answer": (
        {"returns": "float"},
        "returns='float' is not a kind of answer: use one of 'real', 'reals', 'index'",
    ),
    "an expected value of the wrong type": (
        {"cases": (Case("two weights", ([3.0, -4.0],), expected="25"),)},
        "case 'two weights': expected='25' (a str) is not what returns='real' asks for, "
        "a real number (an int or a float)",
    ),
    "no cases at all": (
        {"cases": (), "random_cases": None},
        "it has no cases, so it would pass any code: give at least one Case",
    ),
    "random cases that raise": (
        {"random_cases": _raising}, "random_cases raised RuntimeError: oops"
    ),
    "a known mistake that is the reference": (
        {"mistakes": (Mistake("same", SPEC.solution.replace("    ", "  "), "No."),)},
        "known mistake 'same': its code is the reference solution's",
    ),
    "two known mistakes with the same code": (
        {"mistakes": (SPEC.mistakes[0], replace(SPEC.mistakes[1], code=SPEC.mistakes[0].code))},
        f"known mistake {SPEC.mistakes[1].name!r}: its code is known mistake "
        f"{SPEC.mistakes[0].name!r}'s",
    ),
    "arguments that are not a tuple": (
        {"cases": (Case("one list", [1.0, 2.0]),)},
        "case 'one list': args must be a tuple (one argument: (value,))",
    ),
    "arguments that cannot be copied for each submission": (
        {"cases": (Case("a generator", ((w for w in [1.0]),)),)},
        "case 'a generator': its arguments cannot be copied",
    ),
    "two cases with one name": (
        {"cases": (Case("twice", ([1.0],)), Case("twice", ([2.0],)))},
        "two cases are named 'twice'",
    ),
    "hints as one string": ({"hints": "Square them."}, "hints must be a tuple of strings"),
    "a function name that is not one": ({"function": "l2-penalty"}, "function='l2-penalty'"),
    "expected and raises both": (
        {"cases": (Case("both", ([],), expected=0.0, raises=ValueError),)},
        "case 'both': give expected or raises, not both",
    ),
}


@pytest.mark.parametrize("mistake", list(SPEC_MISTAKES))
def test_a_spec_with_an_author_mistake_is_refused_naming_it(mistake):
    changes, detail = SPEC_MISTAKES[mistake]
    assert detail in _spec_error(**changes)


def test_sources_the_build_checked_skip_only_the_program_comparisons(monkeypatch):
    # The page's archive carries plans made from its own files, after the build ran every
    # check: comparing programs (most of what importing the catalogue costs) is not redone
    # there. Every other check still runs, and without shipped plans all of them do.
    from grader import plans

    same = {"mistakes": (Mistake("same", SPEC.solution, "No."),)}
    twice = {"mistakes": (Mistake("same", SPEC.solution, "No."), Mistake("same", "x = 1", "No."))}
    monkeypatch.setattr(plans, "_shipped", lambda: {"plans": {}})
    replace(SPEC, **same)
    assert "two known mistakes are named 'same'" in _spec_error(**twice)
    monkeypatch.setattr(plans, "_shipped", lambda: None)
    assert "its code is the reference solution's" in _spec_error(**same)


def _catalogue_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the exercises with these files added (each derives from l2-penalty)."""
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises",
                    ignore=shutil.ignore_patterns("__pycache__"))
    head = "from dataclasses import replace\nfrom exercises.l2_penalty import EXERCISE as BASE\n"
    for name, body in files.items():
        (tmp_path / "exercises" / name).write_text(head + body, encoding="utf-8")
    return tmp_path


def _python(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
           "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, *args], cwd=folder, capture_output=True, text=True,
                          env=env, timeout=120)


BROKEN_CODE = {
    "wrong_name.py": 'EXERCISE = replace(BASE, id="wrong-name", order=1, '
                     'solution=BASE.solution.replace("def l2_penalty", "def l2_penalti"))\n',
    "bad_syntax.py": 'EXERCISE = replace(BASE, id="bad-syntax", order=2, '
                     'solution=BASE.solution.replace("weights))", "weights)"))\n',
    "bad_import.py": 'EXERCISE = replace(BASE, id="bad-import", order=3, '
                     'solution="import no_such_module\\n" + BASE.solution)\n',
    "bad_mistake.py": 'EXERCISE = replace(BASE, id="bad-mistake", order=4, mistakes=('
                      'replace(BASE.mistakes[0], code="def l2_penalty(w):\\n    return (\\n"),))\n',
}
BROKEN_CODE_LINES = [
    "FAIL wrong-name (exercises/wrong_name.py): the reference solution does not define "
    "l2_penalty() (it defines: l2_penalti)",
    "FAIL bad-syntax (exercises/bad_syntax.py): the reference solution has a syntax error "
    "on line 3: '(' was never closed",
    "FAIL bad-import (exercises/bad_import.py): the reference solution raises "
    "ModuleNotFoundError on line 1: No module named 'no_such_module'",
    f"FAIL bad-mistake (exercises/bad_mistake.py): known mistake {SPEC.mistakes[0].name!r} "
    "has a syntax error on line 2: '(' was never closed",
]


def test_verify_reports_code_that_does_not_run_as_fail_lines(tmp_path):
    folder = _catalogue_with(tmp_path, BROKEN_CODE)
    out = _python(folder, "-m", "grader", "verify")
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[:4] == BROKEN_CODE_LINES
    assert f"ok   l2-penalty: reference passes, starter fails, {len(SPEC.mistakes)} known " \
           "mistakes checked" in lines
    assert lines[-1] == f"{len(lines) - 5} passed, 4 failed"


GRADES = """
import json
from grader import grade, prepare
prepare()  # as the page's worker does: the broken exercises must not stop the others
print(json.dumps([grade(i, open("solution.py").read()) for i in ("wrong-name", "l2-penalty")]))
"""


def test_a_broken_exercise_says_so_and_the_others_still_grade(tmp_path):
    folder = _catalogue_with(tmp_path, {"wrong_name.py": BROKEN_CODE["wrong_name.py"]})
    (folder / "solution.py").write_text(SPEC.solution, encoding="utf-8")
    out = _python(folder, "-c", GRADES)
    assert out.returncode == 0, out.stderr
    broken, sound = json.loads(out.stdout)
    assert broken["status"] == "error" and broken["error"]["type"] == "BrokenExercise"
    assert broken["feedback"].startswith(
        "This exercise cannot be graded: the reference solution does not define l2_penalty()"
    )
    assert "not in your code" in broken["feedback"]
    assert sound["status"] == "pass"


def test_verify_names_every_exercise_file_that_does_not_load(tmp_path):
    folder = _catalogue_with(tmp_path, {
        "a_kind.py": 'EXERCISE = replace(BASE, id="a-kind", returns="float")\n',
        "b_random.py": 'def boom(rng):\n    raise RuntimeError("oops")\n\n'
                       'EXERCISE = replace(BASE, id="b-random", random_cases=boom)\n',
        "c_twice.py": "EXERCISE = BASE\n",
    })
    out = _python(folder, "-m", "grader", "verify")
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    assert out.stdout.splitlines() == [
        "FAIL exercises/a_kind.py: exercise 'a-kind': returns='float' is not a kind of answer: "
        "use one of 'real', 'reals', 'index'",
        "FAIL exercises/b_random.py: exercise 'b-random': random_cases raised RuntimeError: oops",
        "FAIL exercises/l2_penalty.py: exercise id 'l2-penalty' is used twice "
        "(also in exercises/c_twice.py)",
        "3 failed: the exercise files must load before anything else is checked",
    ]
