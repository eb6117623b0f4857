"""Read the exercise specs (``EXERCISE = ExerciseSpec(...)`` in ``exercises/*.py``).

The build only reads the specs' text fields; it never grades.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Any

__all__ = ["load_exercises"]


def load_exercises(root: Path) -> dict[str, Any]:
    """Return ``{id: ExerciseSpec}`` for every module of ``root/exercises`` with an EXERCISE.

    Modules are re-imported on every call so that ``mkdocs serve`` picks up edits.
    """
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    package = importlib.import_module("exercises")
    specs: dict[str, Any] = {}
    for info in pkgutil.iter_modules(package.__path__, "exercises."):
        if info.name in sys.modules:
            module = importlib.reload(sys.modules[info.name])
        else:
            module = importlib.import_module(info.name)
        spec = getattr(module, "EXERCISE", None)
        if spec is None:
            continue
        if spec.id in specs:
            raise ValueError(f"exercise id '{spec.id}' is defined twice (again in {info.name})")
        specs[spec.id] = spec
    return dict(sorted(specs.items(), key=lambda item: (item[1].order, item[0])))
