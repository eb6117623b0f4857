"""The catalogue of exercises: the one way the grader, the build hooks and the tests find them.

Every public module of the ``exercises`` package (its name does not start with ``_``)
that defines ``EXERCISE = ExerciseSpec(...)`` is an exercise. The ``exercises`` package
must be importable: the repository root (or, in the browser, the archive root) is on
``sys.path`` at every entry point (pytest's ``pythonpath``, ``python -m grader`` run from
the repository, the sandbox's ``PYTHONPATH``, the worker's ``sys.path``, the build hook).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from functools import cache

from .spec import ExerciseSpec

__all__ = [
    "CatalogueError",
    "UnknownExercise",
    "all_exercises",
    "exercise_ids",
    "get_exercise",
    "reload",
]

PACKAGE = "exercises"


class UnknownExercise(LookupError):
    """No exercise has this id."""

    def __init__(self, exercise_id: str, known: list[str]):
        self.exercise_id = exercise_id
        self.known = known
        super().__init__(f"unknown exercise {exercise_id!r}; known exercises: {', '.join(known)}")


class CatalogueError(Exception):
    """An exercise file cannot be loaded, or two files declare the same id."""


@cache
def all_exercises() -> dict[str, ExerciseSpec]:
    """Every exercise by id, in course order: one dict for the whole process, not to be
    changed (the grader's integrity checks watch it)."""
    try:
        package = importlib.import_module(PACKAGE)
    except ImportError as error:
        raise CatalogueError(
            f"cannot import the {PACKAGE!r} package ({error}); run from the repository root "
            "or put it on sys.path"
        ) from error
    found: dict[str, ExerciseSpec] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):  # shared helpers, not exercises
            continue
        where = f"{PACKAGE}/{info.name}.py"
        try:
            module = importlib.import_module(f"{PACKAGE}.{info.name}")
        except Exception as error:  # an author's file: say which one broke, and how
            raise CatalogueError(f"{where}: {type(error).__name__}: {error}") from error
        spec = getattr(module, "EXERCISE", None)
        if spec is None:
            continue
        if not isinstance(spec, ExerciseSpec):
            raise CatalogueError(f"{where}: EXERCISE must be an ExerciseSpec")
        if spec.id in found:
            raise CatalogueError(f"{where}: exercise id {spec.id!r} is used twice")
        found[spec.id] = spec
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def exercise_ids() -> list[str]:
    """The ids of all exercises, in course order."""
    return list(all_exercises())


def get_exercise(exercise_id: str) -> ExerciseSpec:
    """The spec of one exercise; ``UnknownExercise`` names the known ids."""
    exercises = all_exercises()
    try:
        return exercises[exercise_id]
    except (KeyError, TypeError):
        raise UnknownExercise(str(exercise_id), list(exercises)) from None


def reload() -> dict[str, ExerciseSpec]:
    """Read the exercise files again and return the new catalogue.

    The catalogue is read once per process. ``mkdocs serve`` rebuilds in the same process
    after an author edits, adds or deletes an exercise file, so the build hook calls this
    on every build. It is for readers of the specs: outcomes that ``grade()`` or
    ``prepare()`` already computed in this process are not recomputed.
    """
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()  # so that a file added since the last read is found
    all_exercises.cache_clear()
    return all_exercises()
