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

from .spec import ExerciseSpec, SpecError

__all__ = [
    "CatalogueError",
    "UnknownExercise",
    "all_exercises",
    "exercise_file",
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
    """Exercise files that cannot be loaded, or two files that declare the same id: one
    line per problem, each naming its file."""


_FILES: dict[str, str] = {}  # exercise id -> its file, as the author knows it


@cache
def all_exercises() -> dict[str, ExerciseSpec]:
    """Every exercise by id, in course order: one dict for the whole process, not to be
    changed (the grader's integrity checks watch it).

    Every file is read before a ``CatalogueError`` names all that are broken."""
    try:
        package = importlib.import_module(PACKAGE)
    except ImportError as error:
        raise CatalogueError(
            f"cannot import the {PACKAGE!r} package ({error}); run from the repository root "
            "or put it on sys.path"
        ) from error
    found: dict[str, ExerciseSpec] = {}
    files: dict[str, str] = {}
    problems: list[str] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):  # shared helpers, not exercises
            continue
        where = f"{PACKAGE}/{info.name}.py"
        try:
            module = importlib.import_module(f"{PACKAGE}.{info.name}")
        except SpecError as error:  # it names the exercise and what is wrong
            problems.append(f"{where}: {error}")
            continue
        except Exception as error:  # noqa: BLE001 - an author's file: say which broke, how
            problems.append(f"{where}: {_describe(error)}")
            continue
        spec = getattr(module, "EXERCISE", None)
        if spec is None:
            continue
        if not isinstance(spec, ExerciseSpec):
            problems.append(f"{where}: EXERCISE must be an ExerciseSpec")
        elif spec.id in found:
            problems.append(
                f"{where}: exercise id {spec.id!r} is used twice (also in {files[spec.id]})"
            )
        else:
            found[spec.id] = spec
            files[spec.id] = where
    if problems:
        raise CatalogueError("\n".join(problems))
    _FILES.clear()
    _FILES.update(files)
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def _describe(error: Exception) -> str:
    """The error in one line; a syntax error in the file says where."""
    if isinstance(error, SyntaxError) and error.lineno:
        return f"line {error.lineno}: SyntaxError: {error.msg}"
    return f"{type(error).__name__}: {error}"


def exercise_file(exercise_id: str) -> str:
    """The file that defines an exercise, as ``exercises/NAME.py`` ("" if none does)."""
    all_exercises()
    return _FILES.get(exercise_id, "")


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
    # The package itself stays: its files are found again through its own folder, so a
    # reload needs no sys.path entry (MkDocs' hook loader removes the one it had).
    for name in [n for n in sys.modules if n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()  # so that a file added since the last read is found
    all_exercises.cache_clear()
    return all_exercises()
