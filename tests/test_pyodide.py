"""grade() runs unchanged under Pyodide: the pinned npm core, booted offline in Node."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import ROOT
from grading_corpus import corpus, verdict

from grader import all_exercises, grade
from hooks.grader_archive import write_grader_archive
from hooks.stdlib import shipped_stdlib

L1 = "def l2_penalty(weights):\n    return float(sum(abs(w) for w in weights))\n"
GOOD = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    node = shutil.which("node")
    core = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"
    if not node or not core.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node and node_modules/pyodide are needed (run ./dev setup)")
        pytest.skip("node or node_modules/pyodide missing (run ./dev setup)")
    tmp = tmp_path_factory.mktemp("pyodide")
    archive = write_grader_archive(tmp / "grader.zip")
    # The standard library the site ships (split, precompiled), so what is proven is what runs.
    shipped = shipped_stdlib(ROOT, archive.read_bytes())
    library, rest = tmp / "python_stdlib.zip", tmp / "python_stdlib_rest.zip"
    library.write_bytes(shipped.boot)
    rest.write_bytes(shipped.rest or b"")
    request = tmp / "request.json"
    request.write_text(json.dumps({
        "graded": {
            "good": ["l2-penalty", GOOD],
            "l1": ["l2-penalty", L1],
            "syntax": ["l2-penalty", "def l2_penalty(w)\n"],
        },
        "corpus": corpus(),
    }))
    out = subprocess.run(
        [node, str(ROOT / "tests" / "js" / "grade_in_pyodide.mjs"), str(archive), str(request),
         str(library), str(rest)],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.node
def test_runs_on_pyodides_python(report):
    assert report["platform"] == "emscripten"
    assert report["python"] >= [3, 14]


@pytest.mark.node
def test_the_archive_comes_with_plans_made_from_its_own_files(report):
    # So the page takes the shipped plans, and skips the author checks the build ran.
    assert report["sources_checked"] is True


@pytest.mark.node
def test_first_verdicts_compile_no_standard_library_module_from_source(report):
    # Booting, importing the grader and grading (a pass, a known mistake, a syntax error)
    # loads only precompiled modules of the shipped standard library: none is compiled.
    assert report["stdlib_loaded"][".py"] == []
    assert {"typing.pyc", "inspect.pyc", "asyncio/__init__.pyc", "difflib.pyc"} <= set(
        report["stdlib_loaded"][".pyc"])


@pytest.mark.node
def test_the_rest_of_the_standard_library_loads_on_first_use(report):
    # Not in place (and no address to fetch it from, in Node): the import fails, saying why.
    before = report["rest"]["before"]
    assert before["status"] == "error" and before["error"]["type"] == "ImportError"
    assert before["error"]["message"] == (
        "email is part of Python's standard library that this site loads on first use, and it "
        "could not be loaded: is the network down? (no address to load it from)")
    assert report["rest"]["needed"] is True
    # In place: its packages, submodules of packages in the first zip, and codecs import.
    assert report["rest"]["after"] == {
        "status": "ok", "stdout": "b'x' {'a': 1} mime/text.py\n", "error": None}
    assert report["rest"]["from_rest"] == [True, True]
    assert report["rest"]["graded"]["status"] == "pass"


@pytest.mark.node
def test_correct_submission_passes_in_pyodide(report):
    assert report["graded"]["good"]["status"] == "pass"
    assert report["graded"]["good"]["score"] == 1.0


@pytest.mark.node
def test_known_mistake_is_named_in_pyodide(report):
    result = report["graded"]["l1"]
    assert result["status"] == "fail"
    assert result["feedback"].startswith("That is the L1 penalty")


@pytest.mark.node
def test_syntax_error_line_in_pyodide(report):
    error = report["graded"]["syntax"]["error"]
    assert error["type"] == "SyntaxError" and error["line"] == 1


@pytest.mark.node
def test_every_pure_python_exercise_verifies_in_pyodide(report):
    pure = [spec.id for spec in all_exercises().values() if not spec.requires]
    assert list(report["verify"]) == pure
    assert report["verify"] == {exercise: [] for exercise in report["verify"]}


@pytest.mark.node
def test_numpy_exercise_says_numpy_is_missing_and_nothing_imported_it(report):
    result = report["needs_numpy"]
    assert result["status"] == "error"
    assert result["error"]["type"] == "MissingPackage"
    assert "numpy" in result["feedback"]
    assert report["numpy_imported"] is False


@pytest.mark.node
def test_run_prints_in_pyodide(report):
    assert report["run"] == {"status": "ok", "stdout": "hi from pyodide\n", "error": None}


@pytest.mark.node
def test_the_corpus_gets_the_same_verdicts_in_cpython_and_in_pyodide(report):
    # References, starters, every known mistake, tampering and hostile submissions, in
    # the same order in one interpreter each: status, headline and every check agree.
    names = [name for name, _, _ in corpus()]
    assert [name for name, _ in report["corpus"]] == names
    here = {name: verdict(grade(ex, code)) for name, ex, code in corpus()}
    there = {name: verdict(result) for name, result in report["corpus"]}
    differ = {n: (json.loads(json.dumps(here[n])), there[n]) for n in names
              if json.loads(json.dumps(here[n])) != json.loads(json.dumps(there[n]))}
    assert differ == {}
    changed = [n for n in names if n.startswith("tampering")]
    assert all(there[n][2] == "ChangedPython" for n in changed)
