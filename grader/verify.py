"""The author's check (``python -m grader verify``): every exercise grades its own code right.

For each exercise: the reference solution passes, the starter code does not, and every
known mistake fails with exactly its own message. Everything goes through ``grade()``,
the entry point the page and the CLI use, so what passes here is what learners get.
A problem is a line of text, never a traceback: the build fails with these lines too
(hooks/exercise_check.py), in CPython and under the site's Pyodide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .catalogue import CatalogueError, all_exercises, exercise_file, get_exercise
from .grading import grade
from .plans import BrokenExercise, needs_numpy, plan_for, shipped_plans
from .spec import ExerciseSpec

__all__ = ["plans_and_problems", "verify_catalogue", "verify_exercise"]


def verify_exercise(spec: ExerciseSpec) -> list[str]:
    """Problems with one exercise's reference, starter and known mistakes (empty if none).

    The code in ``spec`` is graded by ``grade(spec.id, ...)``, against the catalogue's
    exercise of that id.
    """
    try:
        plan_for(get_exercise(spec.id))  # the trusted outcomes: every other check needs them
    except BrokenExercise as broken:
        return [str(broken)]
    except Exception as error:  # noqa: BLE001 - a problem to report, not a crash
        return [f"its checks cannot be prepared: {type(error).__name__}: {error}"]
    try:
        return _verdict_problems(spec)
    except Exception as error:  # noqa: BLE001 - a problem to report, not a crash
        return [f"grading its code raised {type(error).__name__}: {error}"]


def _verdict_problems(spec: ExerciseSpec) -> list[str]:
    problems = []
    result = grade(spec.id, spec.solution)
    if result["status"] != "pass":
        problems.append(f"the reference solution does not pass: {result['feedback']}")
    if grade(spec.id, spec.starter)["status"] == "pass":
        problems.append("the starter code passes")
    for mistake in spec.mistakes:
        result = grade(spec.id, mistake.code)
        if result["status"] != "fail" or result["feedback"] != mistake.message:
            problems.append(
                f"known mistake {mistake.name!r} gives {result['status']}: {result['feedback']!r}"
            )
    return problems


def verify_catalogue(
    specs: Iterable[ExerciseSpec] | None = None, write: Callable[[str], object] = print
) -> int:
    """Verify ``specs`` (default: the whole catalogue), one line per exercise and per problem.

    Returns how many exercises have a problem (0 when all is well); files that cannot
    be loaded count one each.
    """
    try:
        specs = list(all_exercises().values() if specs is None else specs)
    except CatalogueError as error:
        lines = str(error).splitlines()
        for line in lines:
            write(f"FAIL {line}")
        write(f"{len(lines)} failed: the exercise files must load before anything else is checked")
        return len(lines)
    failures = 0
    for spec in specs:
        problems = verify_exercise(spec)
        failures += bool(problems)
        if not problems:
            write(f"ok   {spec.id}: reference passes, starter fails, "
                  f"{len(spec.mistakes)} known mistakes checked")
            continue
        where = exercise_file(spec.id)
        write(f"FAIL {spec.id}{f' ({where})' if where else ''}: " + (
            problems[0] if len(problems) == 1 else f"{len(problems)} problems"))
        if len(problems) > 1:
            for problem in problems:
                write(f"     - {problem}")
    write(f"{len(specs) - failures} passed, {failures} failed")
    return failures


def plans_and_problems(archive: bytes) -> tuple[bytes, list[str]]:
    """What the build computes under the site's own Pyodide (scripts/grader-plans.mjs),
    running from ``archive`` (the zip of the sources): the plans to ship (``b""`` if some
    exercise has none), computed first, before any code is graded here; then what verify
    finds wrong here, as its FAIL lines (exercises that need numpy are left out: Pyodide's
    core has none)."""
    try:
        plans = shipped_plans(archive)
    except Exception:  # noqa: BLE001 - verify, next, says what is wrong
        plans = b""
    lines: list[str] = []
    try:
        specs = [spec for spec in all_exercises().values() if not needs_numpy(spec)]
    except CatalogueError:
        specs = None  # verify_catalogue names the files
    verify_catalogue(specs, write=lines.append)
    return plans, [line for line in lines if line.startswith(("FAIL ", "     - "))]
