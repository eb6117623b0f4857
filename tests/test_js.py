"""The page's pure JavaScript modules, unit-tested with Node's own test runner.

``node --test tests/js/*.test.mjs`` with the grader's page contract (as the bundle gets
it), so ``./dev test`` runs them with everything else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import ROOT

from grader.contract import page_data
from grader.workfile import Course, WorkFileError, read_work_file

TESTS = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))
WORKFILES = ROOT / "tests" / "workfiles"
_HEAD = '{"format": "l2-course-work", "format_version": 1, '
_EX = '"exercises": {"l2-penalty": {"version": "aaaaaaaaaaaa", "code": "x", '
# Files beyond the corpus where the two languages could part: number types, NaN, lengths
# in code points, Unicode digits, quotes in an id. The JS test reads each the same way.
EXTRA_CASES = {
    "x-float-count": _HEAD + _EX + '"failures": 2.0}}}',
    "x-nan-hints": _HEAD + _EX + '"hints": NaN}}}',
    "x-exp-selected": _HEAD + '"questions": {"lambda-zero": {"version": "cccccccccccc", '
    '"selected": [1e0]}}}',
    "x-huge-version": '{"format": "l2-course-work", "format_version": 1' + "0" * 30 + "}",
    "x-leading-zero": '{"format": "l2-course-work", "format_version": 01}',
    "x-astral-code": _HEAD
    + '"exercises": {"early-stop": {"version": "bbbbbbbbbbbb", "code": "'
    + "\\ud83d\\ude00" * 150_000
    + '"}}}',
    "x-odd-times": _HEAD
    + '"exported_at": "2026-12-01T12:00:00Z\\n", '
    + _EX
    + '"saved_at": "\\u0662026-12-01T12:00:00Z"}}}',
    "x-quoted-ids": _HEAD + '"it\\u0027s": 1, "exercises": {"a\\"b\\u0027c\\n": {}}, '
    '"questions": {"lambda-zero": {"version": "cccccccccccc", "selected": [0, 7]}}}',
    "x-site-null": _HEAD + '"site": null}',
    "x-entry-list": _HEAD + '"exercises": {"l2-penalty": []}, '
    '"questions": {"read-histograms": {"version": "x", "selected": [-1, 99], "verdict": null}}}',
}


def _python_outcomes() -> dict:
    """What grader/workfile.py makes of every corpus file and extra case, for the JS test."""
    raw = json.loads((WORKFILES / "course.json").read_text())
    course = Course(
        exercises=raw["exercises"],
        questions={k: (v["version"], v["options"]) for k, v in raw["questions"].items()},
    )
    cases = {p.stem: (p.read_bytes(), None) for p in (WORKFILES / "cases").glob("*.json")}
    good = json.loads(cases["good"][0])
    cases["too-big"] = (json.dumps({**good, "padding": " " * 50_000_000}).encode(), None)
    cases.update({name: (text.encode(), text) for name, text in EXTRA_CASES.items()})
    result = {}
    for name, (data, text) in cases.items():
        try:
            work = read_work_file(data, course)
        except WorkFileError as error:
            refused = {"refused": str(error), "exercises": [], "questions": [], "stale": []}
            outcome = {**refused, "problems": [], "messages": []}
        else:
            items = {**work.exercises, **work.questions}
            outcome = {
                "refused": None,
                "exercises": sorted(work.exercises),
                "questions": sorted(work.questions),
                "stale": sorted(i for i, e in items.items() if e.stale),
                "problems": sorted(p.code for p in work.problems),
                "messages": sorted(p.message for p in work.problems),
            }
        result[name] = {"outcome": outcome, "text": text}
    return result


def test_js_unit_tests_pass(tmp_path):
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is needed for the JS unit tests (run ./dev setup)")
        pytest.skip("node is not installed")
    assert TESTS, "no tests/js/*.test.mjs found"
    contract = tmp_path / "contract.json"
    contract.write_text(json.dumps(page_data()), encoding="utf-8")
    workfiles = tmp_path / "workfiles-python.json"
    workfiles.write_text(json.dumps(_python_outcomes()), encoding="utf-8")
    out = subprocess.run(
        [node, "--test", *map(str, TESTS)],
        cwd=ROOT,
        env={**os.environ, "L2_CONTRACT": str(contract), "L2_WORKFILES_PYTHON": str(workfiles)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "# fail 0" in out.stdout and "# pass 0" not in out.stdout
