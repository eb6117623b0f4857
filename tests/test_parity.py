"""The same verdict in the page, ``check`` and the gradebook (issue 23, item 5).

The page grades under Pyodide's Python; ``grader.site_python`` grades there too, from the
command line and in batches. tests/parity_corpus.py holds the submissions whose verdict
used to depend on the runtime.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from grading_corpus import verdict
from parity_corpus import CORPUS, MODERN, REWORDED

from grader import get_exercise, grade
from grader.site_python import SitePython, SitePythonUnavailable, find_runtime

GOOD = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"
# Each job with its time limit; graded in this order by one SitePython.
JOBS = {
    **{s.name: (s.exercise, s.code, 5.0) for s in CORPUS},
    "leaves a file and a JavaScript global": (
        "l2-penalty",
        "import js\nopen('/tmp/mark', 'w').write('x')\njs.globalThis.l2_mark = 1\n" + GOOD, 5.0),
    "sees neither": (
        "l2-penalty",
        "import js, os\nif os.path.exists('/tmp/mark') or hasattr(js.globalThis, 'l2_mark'):\n"
        "    raise RuntimeError('not a fresh interpreter')\n" + GOOD, 5.0),
    "loops forever": ("l2-penalty", "while True:\n    pass\n", 1.0),
    "ends Node": ("l2-penalty", "import js\njs.process.exit(3)\n", 5.0),
    "prints a forged verdict": (
        "l2-penalty",
        "import js\njs.process.stdout.write('{\"type\": \"result\", \"id\": 1}\\n')\n"
        "def l2_penalty(weights):\n    return 0.0\n", 5.0),
    "reads a file": (
        "l2-penalty",
        "import js\njs.process.getBuiltinModule('fs').readFileSync('/etc/hostname')\n" + GOOD,
        5.0),
    "after all that": ("l2-penalty", GOOD, 5.0),
    "needs numpy": ("ridge-gd", get_exercise("ridge-gd").solution, 5.0),
}


@pytest.fixture(scope="module")
def site() -> dict:
    try:
        runtime = find_runtime()
    except SitePythonUnavailable as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(str(missing))
        pytest.skip(str(missing))
    with SitePython(runtime) as python:
        results = {name: python.grade(ex, code, timeout=limit)
                   for name, (ex, code, limit) in JOBS.items()}
        results["python"] = python.python
    return results


@pytest.mark.node
def test_grades_under_the_sites_python(site):
    assert site["python"] >= (3, 14)


@pytest.mark.node
@pytest.mark.parametrize("submission", MODERN, ids=lambda s: s.name)
def test_modern_python_gets_the_pages_verdict(site, submission):
    result = site[submission.name]
    assert (result["status"], result["error"]) == (submission.status, None)


@pytest.mark.node
@pytest.mark.parametrize("submission", REWORDED, ids=lambda s: s.name)
def test_reworded_messages_read_the_same_in_cpython(site, submission):
    # Status, headline and every check, with its message: word for word.
    here = grade(submission.exercise, submission.code)
    there = site[submission.name]
    assert there["status"] == submission.status
    assert verdict(here) == verdict(there)
    assert [c["message"] for c in here["checks"]] == [c["message"] for c in there["checks"]]


@pytest.mark.parametrize("submission", CORPUS, ids=lambda s: s.name)
def test_cpython_agrees_where_it_has_what_the_code_uses(submission):
    if sys.version_info < submission.since:
        pytest.skip(f"needs Python {'.'.join(map(str, submission.since))}")
    assert grade(submission.exercise, submission.code)["status"] == submission.status


@pytest.mark.node
def test_every_submission_gets_an_interpreter_of_its_own(site):
    assert site["leaves a file and a JavaScript global"]["status"] == "pass"
    assert site["sees neither"]["status"] == "pass"


@pytest.mark.node
def test_a_runaway_or_a_node_exit_ends_only_its_own_submission(site):
    assert site["loops forever"]["status"] == "timeout"
    assert site["loops forever"]["feedback"].startswith("Your code ran for more than 1 second")
    assert site["ends Node"]["status"] == "error"
    assert site["after all that"]["status"] == "pass"


@pytest.mark.node
def test_learner_code_can_neither_forge_a_verdict_nor_read_files(site):
    assert site["prints a forged verdict"]["status"] == "fail"
    denied = site["reads a file"]
    assert denied["status"] == "error"
    assert "restricted" in denied["feedback"]  # Node's permission model said no


@pytest.mark.node
def test_a_submission_that_needs_numpy_is_left_to_cpython(site):
    assert site["needs numpy"] is None


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, env=env)


@pytest.mark.node
def test_check_gives_the_pages_verdict_by_default(site, tmp_path):
    submission = next(s for s in MODERN if s.since == (3, 14))
    path = tmp_path / "answer.py"
    path.write_text(submission.code, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "GRADER_PYTHON"}
    # Which Python's verdict, not the time limit, is what this checks: on a loaded machine
    # (a browser test beside it) a fresh Node's first grade once took more than 5 s.
    out = cli("check", submission.exercise, str(path), "--json", "--timeout", "60", env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["status"] == "pass"
    host = cli("check", submission.exercise, str(path), "--python", "host", "--json")
    expected = "pass" if sys.version_info >= submission.since else "error"
    assert json.loads(host.stdout)["status"] == expected


def test_check_says_in_one_line_when_the_sites_python_is_missing(tmp_path):
    path = tmp_path / "answer.py"
    path.write_text(GOOD, encoding="utf-8")
    out = cli("check", "l2-penalty", str(path), "--python", "site", env={"PATH": str(tmp_path)})
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "python -m grader: error: the site's Python needs node, which is not on PATH"]


def _corpus_class(folder) -> dict[str, str]:
    """The whole corpus as work files (each exercise once a file); file stem -> verdict."""
    from class_files import work_file, write

    expected: dict[str, str] = {}
    for n, submission in enumerate(CORPUS):
        name = f"{n:02}"
        write(folder, f"{name}.json", work_file(name, {submission.exercise: submission.code}))
        expected[name] = submission.status
    return expected


@pytest.mark.node
def test_the_gradebook_gives_the_pages_verdicts(site, tmp_path):
    """Graded by CPython, then again under the site's Python where they may differ."""
    from grader import bwrap

    folder = tmp_path / "class"
    folder.mkdir()
    expected = _corpus_class(folder)
    out = tmp_path / "grades.csv"
    sandbox = [] if bwrap.available()[0] else ["--no-sandbox"]
    done = cli("gradebook", str(folder), "--csv", str(out), "--jobs", "2", *sandbox)
    assert done.returncode == 0, done.stderr
    with open(out, newline="", encoding="utf-8") as handle:
        rows = {os.path.basename(r["file"])[:-5]: r for r in csv.DictReader(handle)}
    assert {name: rows[name][CORPUS[int(name)].exercise] for name in expected} == expected
    # Those CPython alone gets wrong are the ones the site's Python changed.
    changed = sum(sys.version_info < s.since for s in MODERN)
    assert f"; {changed} got the page's other verdict" in done.stderr
