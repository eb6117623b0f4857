"""The author's check (``python -m grader verify``): every exercise grades its own code right.

For each exercise: the reference solution passes, the starter code does not, and every
known mistake fails with exactly its own message. Everything goes through ``grade()``,
the entry point the page and the CLI use, so what passes here is what learners get.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .catalogue import all_exercises
from .grading import grade
from .spec import ExerciseSpec

__all__ = ["verify_catalogue", "verify_exercise"]


def verify_exercise(spec: ExerciseSpec) -> list[str]:
    """Problems with one exercise's reference, starter and known mistakes (empty if none).

    The code in ``spec`` is graded by ``grade(spec.id, ...)``, against the catalogue's
    exercise of that id.
    """
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

    Returns how many exercises have a problem (0 when all is well).
    """
    specs = list(all_exercises().values() if specs is None else specs)
    failures = 0
    for spec in specs:
        problems = verify_exercise(spec)
        failures += bool(problems)
        status = "ok  " if not problems else "FAIL"
        write(
            f"{status} {spec.id}: reference passes, starter fails, "
            f"{len(spec.mistakes)} known mistakes checked"
        )
        for problem in problems:
            write(f"     - {problem}")
    write(f"{len(specs) - failures} passed, {failures} failed")
    return failures
