"""Find the exercises: every module in the ``exercises`` package with an ``EXERCISE``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from functools import cache
from pathlib import Path

from .spec import ExerciseSpec

__all__ = ["UnknownExercise", "exercise_ids", "get_exercise", "all_exercises"]


class UnknownExercise(LookupError):
    """No exercise has this id."""

    def __init__(self, exercise_id: str, known: list[str]):
        self.exercise_id = exercise_id
        self.known = known
        super().__init__(f"unknown exercise {exercise_id!r}; known exercises: {', '.join(known)}")


def _exercises_package():
    try:
        return importlib.import_module("exercises")
    except ImportError:
        # ``exercises/`` sits beside ``grader/`` in the repository and in the browser archive.
        root = str(Path(__file__).resolve().parent.parent)
        if root not in sys.path:
            sys.path.insert(0, root)
        return importlib.import_module("exercises")


@cache
def all_exercises() -> dict[str, ExerciseSpec]:
    """Every exercise by id, in course order."""
    package = _exercises_package()
    found: dict[str, ExerciseSpec] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        spec = getattr(module, "EXERCISE", None)
        if spec is None:
            continue
        if not isinstance(spec, ExerciseSpec):
            raise TypeError(f"exercises/{info.name}.py: EXERCISE must be an ExerciseSpec")
        if spec.id in found:
            raise ValueError(f"exercises/{info.name}.py: exercise id {spec.id!r} is used twice")
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
