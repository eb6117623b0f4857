"""Grader for the L2 regularization course.

One entry point serves the page (through Pyodide), the command line and pytest::

    >>> from grader import grade
    >>> grade("l2-penalty", "def l2_penalty(w):\\n    return 0.0\\n")["status"]
    'fail'

Only the standard library is imported here; numpy is imported lazily, when an exercise
or a case needs it.
"""

import sys as _sys

if _sys.argv[:1] == ["-m"]:  # Python is starting `python -m grader` (see _startup.py)
    from ._startup import quiet_interrupts

    quiet_interrupts()

from .catalogue import UnknownExercise, all_exercises, exercise_ids, get_exercise
from .grading import grade, prepare, run
from .spec import ExerciseSpec

__all__ = [
    "ExerciseSpec",
    "UnknownExercise",
    "all_exercises",
    "exercise_ids",
    "get_exercise",
    "grade",
    "prepare",
    "run",
]
