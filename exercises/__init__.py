"""The course's coding exercises: one module each, defining ``EXERCISE = ExerciseSpec(...)``.

``grader.catalogue`` finds them; modules whose name starts with ``_`` are shared helpers.
"""
