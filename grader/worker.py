"""The page's Python worker (web/worker.js) calls into the grader only through here.

Kept in a module, not in JavaScript strings, so that ruff reads it and pytest imports it.
Each function takes and returns plain values that Pyodide converts to and from JS.
"""

from __future__ import annotations

import json
import sys

from .grading import grade, prepare, run

__all__ = ["call", "imports_of", "prepare", "rest_path"]


def call(kind: str, a: str, b: str | None) -> str:
    """``grade(a, b)`` for ``kind == "grade"``; for ``"table"``, the teacher's gradebook
    from ``a`` (JSON: ``grader.grades.table``'s data); else ``run(a)``. As a JSON string."""
    if kind == "table":
        from .grades import table  # the teacher's page only: no learner waits for it

        return json.dumps(table(json.loads(a)))
    result = grade(a, b) if kind == "grade" else run(a)
    return json.dumps(result)


def imports_of(code: str) -> list[str]:
    """The module names ``code`` imports, with their parents, sorted; none if it does not
    parse. Pyodide's ``find_imports`` where there is one, else the same rule."""
    try:
        from pyodide.code import find_imports
    except ImportError:  # CPython, as in the tests
        find_imports = _find_imports
    try:
        return list(find_imports(code))
    # A null byte (ValueError), code nested too deeply for the parser (MemoryError,
    # RecursionError): grade() then reports it as the learner's error, not the worker.
    except Exception:  # noqa: BLE001 - any parser failure is the learner's, reported by grade()
        return []


def _find_imports(code: str) -> list[str]:
    import ast
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return []
    names = set()
    for node in ast.walk(tree):
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        for module in modules:
            parts = module.split(".")
            names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(names)


def rest_path(names: list[str], always: bool) -> str | None:
    """Where the rest of the standard library goes if importing ``names`` needs it and it
    is not in place yet (``always``: a package is about to load); else None.

    The split is the site's own (scripts/sitecustomize.py); without it there is no rest.
    """
    site = sys.modules.get("sitecustomize")
    needs_rest = getattr(site, "needs_rest", None)
    if needs_rest is None or not needs_rest(list(names), always):
        return None
    return site.REST_PATH
