"""The build's check of every exercise in CPython: ``python -m grader verify``.

Each exercise's reference solution, starter and known mistakes are loaded and graded as
the author's check does (the same check runs under the site's Pyodide while its plans are
computed: hooks/grader_archive.py). It runs in a child process: the exercises' code is the
author's, and ``mkdocs serve`` rebuilds in one long-lived process, where the grader keeps
the outcomes it computed once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["cpython_problems"]

TIMEOUT = 120  # seconds: the whole catalogue takes about one


def cpython_problems(root: Path) -> list[str]:
    """verify's FAIL lines for the exercises under ``root`` (empty when all is well)."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "grader", "verify"], cwd=root, env=env,
            capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        return [f"FAIL python -m grader verify did not finish in {TIMEOUT} s: does a reference "
                "solution or a known mistake loop forever?"]
    if result.returncode == 0:
        return []
    found = [line for line in result.stdout.splitlines() if line.startswith(("FAIL ", "     - "))]
    if found:
        return found
    said = [line for line in (result.stderr or result.stdout).strip().splitlines() if line]
    return [f"FAIL python -m grader verify exited with {result.returncode}: "
            f"{said[-1] if said else 'no message'}"]
