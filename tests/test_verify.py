"""grader.verify, the author's check: it passes the catalogue and names each kind of problem."""

from __future__ import annotations

from dataclasses import replace

from grader import get_exercise
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
