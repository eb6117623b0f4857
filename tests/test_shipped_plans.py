"""Shipped plans (grader/_plans.pickle in the grader archive) are used only for the sources
and the Python they were computed for; otherwise prepare() computes the plans as before."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# Ships plans in which l2-penalty's reference outcomes are marked, so the test can tell
# shipped plans from computed ones, then reports what prepare() took for l2-penalty.
SHIP_MARKED = """
import dataclasses, io, pathlib, pickle, zipfile
from grader import plans
from grader.cases import Outcome
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as sources:
    for path in sorted(pathlib.Path().rglob("*.py")):
        sources.writestr(path.as_posix(), path.read_bytes())
shipped = pickle.loads(plans.shipped_plans(buffer.getvalue()))
plan = shipped["plans"]["l2-penalty"]
shipped["plans"]["l2-penalty"] = dataclasses.replace(plan, reference=(Outcome("value", "marked"),))
open("grader/_plans.pickle", "wb").write(pickle.dumps(shipped))
"""
PREPARED = """
from grader import plans
plans.prepare()
print(tuple(plans._PLANS["l2-penalty"].reference[0]))
"""


def _python(folder: Path, code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(folder)})
    return out.stdout.strip()


def _copy(tmp_path: Path) -> Path:
    for package in ("grader", "exercises"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_shipped_plans_for_these_sources_are_used(tmp_path):
    folder = _copy(tmp_path)
    _python(folder, SHIP_MARKED)
    assert _python(folder, PREPARED) == "('value', 'marked')"


def test_shipped_plans_for_other_sources_are_ignored(tmp_path):
    folder = _copy(tmp_path)
    _python(folder, SHIP_MARKED)
    solution = folder / "exercises" / "l2_penalty.py"
    solution.write_text(solution.read_text("utf-8") + "\n# changed after the build\n", "utf-8")
    assert "marked" not in _python(folder, PREPARED)


def test_a_broken_plans_file_means_computing_them(tmp_path):
    folder = _copy(tmp_path)
    (folder / "grader" / "_plans.pickle").write_bytes(b"not a pickle")
    assert _python(folder, PREPARED).startswith("('value', ")
