"""The Python the page's worker and the standard-library split run, imported directly:
grader/worker.py (web/worker.js calls only it) and scripts/split_stdlib.py (run under
Pyodide by scripts/precompile-stdlib.mjs; tests/test_pyodide.py checks the zips it makes)."""

from __future__ import annotations

import json
import sys
import types

import pytest
from conftest import ROOT

from grader import get_exercise, worker

sys.path.insert(0, str(ROOT / "scripts"))
import split_stdlib


def test_call_grades_and_runs_as_json():
    spec = get_exercise("l2-penalty")
    assert json.loads(worker.call("grade", spec.id, spec.solution))["status"] == "pass"
    mistake = json.loads(worker.call("grade", spec.id, spec.mistakes[0].code))
    assert mistake["status"] == "fail" and mistake["feedback"] == spec.mistakes[0].message
    ran = json.loads(worker.call("run", "print(6 * 7)", None))
    assert ran == {"status": "ok", "stdout": "42\n", "error": None}


def test_the_teachers_table_is_the_gradebooks_rows_csv_and_summary():
    # What web/teach.js sends after grading: FileGrade's fields, as plain JSON.
    from grader.feedback import summary
    from grader.grades import FileGrade, columns, csv_text

    spec = get_exercise("l2-penalty")
    failed = {spec.id: {"status": "fail", "feedback": spec.mistakes[0].message}}
    grades = [
        FileGrade("a.json", True, "=Ada", failed, {"q1": "correct"}, [spec.id], ["a problem"]),
        FileGrade("b.json", False, problems=["This file is not valid JSON."]),
        FileGrade("c.json", True, "Cy", {spec.id: {"status": "timeout", "feedback": ""}},
                  {"q1": "stale"}),
    ]
    ids, questions = [spec.id, "early-stop"], ["q1", "q2"]
    data = {"exercises": ids, "questions": questions, "grades": [vars(g) for g in grades]}
    table = json.loads(worker.call("table", json.dumps(data), None))
    rows = [g.row(ids, questions) for g in grades]
    assert table["header"] == columns(ids, questions)
    assert table["rows"] == rows
    assert table["csv"] == csv_text(columns(ids, questions), rows)
    assert "'=Ada" in table["csv"]  # the formula guard, as the CLI's CSV has it
    assert table["summary"] == [[spec.id, 0, [[spec.mistakes[0].name, 1]]], ["early-stop", 0, []]]
    assert f"{spec.mistakes[0].name} (1)" in summary(grades, ids)


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("import numpy as np; import scipy.stats", ["numpy", "scipy", "scipy.stats"]),
        ("    from email.mime import text\n", ["email", "email.mime"]),  # indented, as pasted
        ("def broken(:\n", []),
        ("import os\x00\n", []),  # a null byte: ast refuses it with ValueError
        ("x = " + "-" * 10000 + "1\n", []),  # too deep for the parser: a MemoryError
    ],
)
def test_imports_of_names_modules_and_their_parents(code, names):
    assert worker.imports_of(code) == names


def test_rest_path_only_with_the_sites_finder_and_when_needed(monkeypatch):
    monkeypatch.delitem(sys.modules, "sitecustomize", raising=False)
    assert worker.rest_path(["email"], True) is None  # no split: nothing to fetch
    finder = types.ModuleType("sitecustomize")
    finder.REST_PATH = "/lib/python3-rest.zip"
    finder.needs_rest = lambda names, always: always or "email" in names
    monkeypatch.setitem(sys.modules, "sitecustomize", finder)
    assert worker.rest_path(["email"], False) == "/lib/python3-rest.zip"
    assert worker.rest_path(["math"], True) == "/lib/python3-rest.zip"
    assert worker.rest_path(["math"], False) is None


def test_split_rules():
    assert split_stdlib.module_name("json/tool.py") == "json.tool"
    assert split_stdlib.module_name("email/__init__.py") == "email"
    names = {"tomllib/__init__.py", "tomllib/mypy.ini", "json/__init__.py", "README.txt"}
    hot = {"json/__init__.py"}
    # A data file goes with its package: tomllib is not hot, so its mypy.ini is not either.
    assert not split_stdlib.in_boot("tomllib/mypy.ini", names, hot, set())
    assert split_stdlib.in_boot("json/__init__.py", names, hot, set())
    assert split_stdlib.in_boot("README.txt", names, hot, set())  # no package: boot
    # Frozen into the interpreter: its source is not needed to boot, even when imported.
    assert not split_stdlib.in_boot("os.py", names, hot | {"os.py"}, {"os"})
    assert split_stdlib.in_boot("pyodide/code.py", names, hot, set())


def test_docstrings_are_left_out_and_asserts_kept():
    source = b'"""Module."""\nclass A:\n    """Class."""\n    def f(self):\n        """Only."""\n'
    source += b'def g(x):\n    """Doc."""\n    assert x, "kept"\n    return x\n'
    namespace: dict = {}
    exec(compile(split_stdlib.without_docstrings(source, "m.py"), "m.py", "exec"), namespace)
    assert namespace.get("__doc__") is None
    assert namespace["A"].__doc__ is None and namespace["A"]().f() is None
    assert namespace["g"].__doc__ is None and namespace["g"](3) == 3
    with pytest.raises(AssertionError, match="kept"):
        namespace["g"](0)


def test_the_finder_must_have_its_line_to_fill_in():
    source = (ROOT / "scripts" / "sitecustomize.py").read_text(encoding="utf-8")
    filled = split_stdlib.finder_for(source, ["email", "json.tool"])
    assert "REST = frozenset(['email', 'json.tool'])" in filled
    with pytest.raises(ValueError, match="REST = frozenset"):
        split_stdlib.finder_for("REST = set()\n", [])
