"""``python -m grader`` as a learner and an author use it (SPEC §4)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from grader import exercise_ids, get_exercise


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


@pytest.fixture
def answer(tmp_path):
    def write(code: str) -> str:
        path = tmp_path / "answer.py"
        path.write_text(code, encoding="utf-8")
        return str(path)

    return write


def test_list_prints_every_exercise():
    out = cli("list")
    assert out.returncode == 0
    for exercise_id in exercise_ids():
        assert exercise_id in out.stdout
    assert "(needs numpy)" in out.stdout


def test_list_json():
    out = cli("list", "--json")
    rows = json.loads(out.stdout)
    assert [row["id"] for row in rows] == exercise_ids()
    assert {"id", "title", "function", "requires"} <= set(rows[0])


@pytest.mark.parametrize("exercise_id", exercise_ids())
def test_check_reference_exits_0(exercise_id, answer):
    out = cli("check", exercise_id, answer(get_exercise(exercise_id).solution))
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{exercise_id}: PASS" in out.stdout


def test_check_known_mistake_exits_1_and_names_it(answer):
    mistake = get_exercise("l2-penalty").mistakes[0]
    out = cli("check", "l2-penalty", answer(mistake.code))
    assert out.returncode == 1
    assert "l2-penalty: FAIL" in out.stdout
    assert mistake.message in out.stdout


def test_check_json_is_the_result_dict(answer):
    out = cli("check", "early-stop", answer("def stop_epoch(v, patience=1):\n    return 2\n"),
              "--json")
    assert out.returncode == 1
    result = json.loads(out.stdout)
    assert result["exercise"] == "early-stop"
    assert result["status"] == "fail"
    assert 0 < result["score"] < 1


def test_check_syntax_error_shows_the_line(answer):
    out = cli("check", "l2-penalty", answer("def l2_penalty(w):\nreturn 1\n"))
    assert out.returncode == 1
    assert "ERROR" in out.stdout and "line 2" in out.stdout


@pytest.mark.parametrize(
    ("code", "status", "fragment"),
    [
        ("def l2_penalty(w):\n    while True:\n        pass\n", "TIMEOUT", "more than 1 seconds"),
        ("import sys\nsys.exit(4)\n", "ERROR", "sys.exit()"),
        ("import os\nos._exit(0)\n", "ERROR", "ended the Python process"),
        ("x = 'a' * (40 * 1024 ** 3)\n", "ERROR", "out of memory"),
    ],
)
def test_check_runaway_submissions_give_a_result(answer, code, status, fragment):
    out = cli("check", "l2-penalty", answer(code), "--timeout", "1")
    assert out.returncode == 1
    assert f"l2-penalty: {status}" in out.stdout
    assert fragment in out.stdout


def test_check_unknown_exercise_exits_2(answer):
    out = cli("check", "l3-penalty", answer("x = 1\n"))
    assert out.returncode == 2
    assert "unknown exercise 'l3-penalty'" in out.stderr
    assert "l2-penalty" in out.stderr


def test_check_unreadable_file_exits_2(tmp_path):
    out = cli("check", "l2-penalty", str(tmp_path / "missing.py"))
    assert out.returncode == 2
    assert "cannot read" in out.stderr and "missing.py" in out.stderr
    binary = tmp_path / "binary.py"
    binary.write_bytes(b"\xff\xfe\x00bad")
    out = cli("check", "l2-penalty", str(binary))
    assert out.returncode == 2 and "binary.py" in out.stderr


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["check", "l2-penalty"],
                                  ["check", "l2-penalty", "x.py", "--timeout", "-1"]])
def test_bad_usage_exits_2(args):
    assert cli(*args).returncode == 2


def test_verify_passes_for_the_catalogue():
    out = cli("verify")
    assert out.returncode == 0, out.stdout
    assert f"{len(exercise_ids())} passed, 0 failed" in out.stdout
