"""The Gradescope autograder (issue 20, item 6): built by the CLI, unpacked into a root laid
out as Gradescope's ``/autograder``, run on honest and hostile submissions.

The hostile runs happen inside ``unshare --pid --fork`` (a pid namespace of their own).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from class_files import first_mistakes, references, right_answers, work_file
from conftest import ROOT

from grader import all_exercises, bwrap
from grader.gradebook import course

UNSHARE = shutil.which("unshare")
REAL_ROOT = hasattr(os, "getuid") and os.getuid() == 0
PENALTY = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"


@pytest.fixture(scope="module")
def autograder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    done = subprocess.run([sys.executable, "-m", "grader", "gradescope", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def run_autograder(autograder: Path, root: Path, files: dict[str, str], *, hostile=False,
                   sandbox: str = "auto") -> dict:  # fmt: skip
    """Unpack into ``root`` as Gradescope does, hand in ``files``, run, read results.json."""
    with zipfile.ZipFile(autograder) as archive:
        archive.extractall(root / "source")
    for info in zipfile.ZipFile(autograder).infolist():  # zipfile drops the modes
        os.chmod(root / "source" / info.filename, (info.external_attr >> 16) & 0o777)
    (root / "submission").mkdir()
    for name, text in files.items():
        (root / "submission" / name).write_text(text, encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "AUTOGRADER_ROOT": str(root),
           "AUTOGRADER_PYTHON": sys.executable, "L2_AUTOGRADER_SANDBOX": sandbox}  # fmt: skip
    command = [str(root / "source" / "run_autograder")]
    if hostile:
        user = [] if REAL_ROOT else ["--user", "--map-root-user"]
        command = [UNSHARE, *user, "--pid", "--fork", "--mount-proc", *command]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def validate(results: dict) -> dict[str, dict]:
    """Check results.json against Gradescope's specification; its tests by id."""
    assert set(results) >= {"score", "tests", "output"}
    assert isinstance(results["output"], str)
    tests = results["tests"]
    assert isinstance(tests, list)
    by_id = {}
    for test in tests:
        assert set(test) >= {"name", "score", "max_score", "status", "output"}, test
        assert isinstance(test["name"], str) and test["name"].endswith(")")
        assert isinstance(test["output"], str) and test["output"]
        assert type(test["score"]) is float and type(test["max_score"]) is float
        assert 0.0 <= test["score"] <= test["max_score"] == 1.0
        assert test["status"] in ("passed", "failed")
        assert (test["status"] == "passed") == (test["score"] == test["max_score"])
        assert test.get("visibility", "visible") in ("hidden", "after_due_date",
                                                     "after_published", "visible")  # fmt: skip
        by_id[test["name"].rsplit("(", 1)[1][:-1]] = test
    assert len(by_id) == len(tests)  # one test per exercise or question, named by its id
    assert results["score"] == pytest.approx(sum(t["score"] for t in tests))
    return by_id


def test_an_honest_work_file_gets_every_point(autograder, tmp_path):
    work = work_file("Ada", references(), right_answers())
    tests = validate(run_autograder(autograder, tmp_path, {"ada.json": json.dumps(work)}))
    _, questions = course()
    assert set(tests) == set(all_exercises()) | set(questions)
    assert all(t["status"] == "passed" for t in tests.values())


def test_known_mistakes_are_named_and_missing_answers_fail(autograder, tmp_path):
    mistakes = first_mistakes(numpy=False)
    work = work_file("Bob", mistakes, {"lambda-zero": right_answers()["lambda-zero"]})
    results = run_autograder(autograder, tmp_path, {"bob.json": json.dumps(work)})
    tests = validate(results)
    for exercise_id in mistakes:
        assert tests[exercise_id]["status"] == "failed"
        assert "Known mistake:" in tests[exercise_id]["output"], exercise_id
    assert tests["ridge-gd"]["output"] == "Not handed in."
    assert tests["lambda-zero"]["status"] == "passed"
    assert results["score"] == 1.0
    assert "Passed in your browser but not here" in results["output"]  # claimed pass


def test_py_files_are_graded_by_name_or_by_the_function_they_define(autograder, tmp_path):
    files = {"l2_penalty.py": PENALTY, "mine.py": references(numpy=False)["early-stop"],
             "notes.py": "x = 1\n"}  # fmt: skip
    results = run_autograder(autograder, tmp_path, files)
    tests = validate(results)
    assert set(tests) == {"l2-penalty", "early-stop"}
    assert results["score"] == 2.0
    assert "notes.py is for no exercise" in results["output"]


def test_an_empty_submission_says_what_to_hand_in(autograder, tmp_path):
    results = run_autograder(autograder, tmp_path, {})
    assert validate(results) == {}
    assert results["score"] == 0 and "hand in your work file" in results["output"]


@pytest.mark.skipif(UNSHARE is None, reason="needs util-linux's unshare")
@pytest.mark.parametrize("sandbox", [
    pytest.param("auto", marks=pytest.mark.skipif(not bwrap.available()[0], reason="no bwrap")),
    pytest.param("off", marks=pytest.mark.skipif(not REAL_ROOT, reason="drops root to nobody")),
])  # fmt: skip
def test_hostile_code_cannot_forge_results_or_change_the_grader(autograder, tmp_path, sandbox):
    marker = "l2-gs-" + secrets.token_hex(6)
    results_json = tmp_path / "results" / "results.json"
    grading = tmp_path / "source" / "grader" / "grading.py"
    forged = json.dumps({"score": 999, "tests": []})
    codes = {
        "l2-penalty": (  # write results.json now, and again from a process that outlives it
            "import os, sys, time\n"
            f"for _ in range(2):\n"
            f"    try:\n"
            f"        open({str(results_json)!r}, 'w').write({forged!r})\n"
            f"    except OSError:\n"
            f"        pass\n"
            f"    if os.fork():\n"
            f"        break\n"
            f"    os.setsid()\n"
            f"    os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)',"
            f" {marker!r}])\n" + PENALTY
        ),
        "weight-share": f"open({str(grading)!r}, 'a').write('\\nraise SystemExit')\n",
        "early-stop": "import os\nos.kill(os.getppid(), 9)\n",
        "pick-lambda": "while True:\n    pass\n",
        "l2-step": references(numpy=False)["l2-step"],
    }
    work = work_file("Mallory", codes, right_answers())
    results = run_autograder(autograder, tmp_path, {"m.json": json.dumps(work)},
                             hostile=True, sandbox=sandbox)  # fmt: skip
    tests = validate(results)
    assert results["score"] != 999
    assert tests["l2-penalty"]["status"] == "passed"  # its own code is right; nothing forged
    assert tests["weight-share"]["status"] == "failed"
    assert tests["early-stop"]["status"] == "failed"
    assert tests["pick-lambda"]["status"] == "failed"
    assert "ran for more than" in tests["pick-lambda"]["output"]
    assert tests["l2-step"]["status"] == "passed"  # graded after all that, by the real grader
    assert grading.read_bytes() == (ROOT / "grader" / "grading.py").read_bytes()
    leftovers = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert marker not in leftovers
