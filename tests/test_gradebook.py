"""The teacher's gradebook (SPEC §7): the CSV, the parity with ``check``, shards, feedback."""

from __future__ import annotations

import csv
import functools
import json

import pytest
from class_files import first_mistakes, references, right_answers, work_file, write
from grading_corpus import corpus, verdict

from grader import all_exercises, bwrap
from grader.batch import grade_batch
from grader.cli import main
from grader.gradebook import columns, course
from grader.sandbox import grade_isolated

SANDBOX, WHY = bwrap.available()
needs_sandbox = pytest.mark.skipif(not SANDBOX, reason=f"no sandbox: {WHY}")


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def by_file(path):
    return {row["file"].rsplit("/", 1)[-1]: row for row in rows(path)}


def groups(items):
    """The corpus packed into work files: each exercise at most once per file."""
    files: list[dict[str, tuple[str, str]]] = []
    for name, exercise_id, code in items:
        home = next((f for f in files if exercise_id not in f), None)
        if home is None:
            home = {}
            files.append(home)
        home[exercise_id] = (name, code)
    return files


@functools.cache
def checked(exercise_id: str, code: str) -> tuple:
    return verdict(grade_isolated(exercise_id, code))


@pytest.mark.parametrize("sandbox", [False, pytest.param(True, marks=needs_sandbox)])
def test_every_verdict_is_what_check_gives_the_same_code(sandbox):
    mismatches = []
    for group in groups(corpus()):
        items = [(exercise_id, code) for exercise_id, (_, code) in group.items()]
        for (exercise_id, code), result in zip(
            items, grade_batch(items, sandbox=sandbox), strict=True
        ):
            want = checked(exercise_id, code)
            if verdict(result) != want:
                mismatches.append((group[exercise_id][0], verdict(result), want))
    assert mismatches == []


@pytest.fixture
def klass(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    pure = {k: v for k, v in references(numpy=False).items()}
    write(folder, "ada.json", work_file("Ada", pure, right_answers()))
    answers = {qid: [(sel[0] + 1) % 2] for qid, sel in list(right_answers().items())[:3]}
    answers["lambda-zero"] = right_answers()["lambda-zero"]
    write(
        folder,
        "bob.json",
        work_file(
            "=cmd|' /C calc'!A0",
            {"l2-penalty": first_mistakes()["l2-penalty"], "early-stop": pure["early-stop"]},
            answers,
            stale=("early-stop", "lambda-zero"),
        ),
    )
    write(folder, "junk.json", "{not json")
    write(folder, "other.json", {"format": "something-else"})
    (folder / "notes.txt").write_text("not a work file: not .json, so not collected")
    return folder


def run(*args):
    return main(["gradebook", *map(str, args)])


def test_the_csv_has_specs_columns_and_one_row_per_file(klass, tmp_path, capsys):
    out = tmp_path / "grades.csv"
    capsys.readouterr()
    assert run(klass, "--csv", out, "--no-sandbox", "--jobs", "2") == 1  # some unreadable
    today, questions = course()
    with open(out, newline="") as handle:
        header = next(csv.reader(handle))
    assert header == columns(all_exercises(), questions)
    assert header[:7] == ["file", "learner", "score", "exercises_passed", "exercises_total",
                          "questions_correct", "questions_total"]  # fmt: skip
    assert header[-2:] == ["claimed_but_failed", "problems"]
    got = by_file(out)
    assert sorted(got) == ["ada.json", "bob.json", "junk.json", "other.json"]
    ada, bob = got["ada.json"], got["bob.json"]
    pure = references(numpy=False)
    assert ada["exercises_passed"] == str(len(pure))
    assert ada["questions_correct"] == ada["questions_total"] == str(len(questions))
    for exercise_id in all_exercises():
        assert ada[exercise_id] == ("pass" if exercise_id in pure else "missing")
    total = len(all_exercises()) + len(questions)
    assert float(ada["score"]) == pytest.approx((len(pure) + len(questions)) / total, abs=5e-5)
    assert ada["claimed_but_failed"] == "" and ada["problems"] == ""
    # Bob: a known mistake claimed as a pass, a stale exercise graded against today's.
    assert bob["learner"].startswith("'=")  # never a formula in a spreadsheet
    assert (bob["l2-penalty"], bob["early-stop"]) == ("fail", "pass")
    assert bob["claimed_but_failed"] == "l2-penalty"
    assert "'early-stop' was saved for another version" in bob["problems"]
    assert bob["lambda-zero"] == "stale"
    assert [bob[q] for q in list(questions)[:3]].count("wrong") == 3
    assert bob["questions_correct"] == "0"
    for name, why in (("junk.json", "not valid JSON"), ("other.json", "not a work file")):
        assert why in got[name]["problems"]
        assert got[name]["score"] == "" and got[name]["l2-penalty"] == ""
    summary = capsys.readouterr()
    assert "l2-penalty" in summary.out, summary and "1/2 passed" in summary
    assert "L1 instead of L2 (1)" in summary.out


def test_exit_codes(klass, tmp_path, capsys):
    out = tmp_path / "g.csv"
    assert run(klass / "ada.json", "--csv", out, "--no-sandbox") == 0
    assert run(tmp_path / "nowhere", "--csv", out, "--no-sandbox") == 2
    with pytest.raises(SystemExit) as stopped:
        run(klass, "--csv", out, "--shard", "3/2", "--no-sandbox")
    assert stopped.value.code == 2
    assert "nowhere does not exist" in capsys.readouterr().err


def test_without_a_sandbox_the_gradebook_refuses_in_one_line(klass, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(bwrap, "available", lambda: (False, "bubblewrap is not installed."))
    out = tmp_path / "g.csv"
    assert run(klass, "--csv", out) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "bubblewrap is not installed" in err and "--no-sandbox" in err
    assert not out.exists()


def test_shards_merge_into_the_csv_of_one_run(klass, tmp_path):
    for n in range(5):
        write(klass, f"extra{n}.json", work_file(f"L{n}", {"l2-penalty": "x = 1\n"}))
    whole = tmp_path / "whole.csv"
    run(klass, "--csv", whole, "--no-sandbox")
    parts = [tmp_path / f"part{k}.csv" for k in (1, 2, 3)]
    for k, part in enumerate(parts, 1):
        run(klass, "--csv", part, "--shard", f"{k}/3", "--no-sandbox")
    sizes = [len(rows(part)) for part in parts]
    assert sum(sizes) == len(rows(whole)) and min(sizes) > 0
    merged = tmp_path / "merged.csv"
    assert main(["gradebook", "--merge", *map(str, parts), "--csv", str(merged)]) == 0
    assert rows(merged) == rows(whole)


def test_feedback_names_the_verdict_the_mistake_and_the_answers(klass, tmp_path):
    folder = tmp_path / "feedback"
    run(klass, "--csv", tmp_path / "g.csv", "--feedback", folder, "--no-sandbox")
    assert sorted(p.name for p in folder.iterdir()) == [
        "ada.md", "bob.md", "junk.md", "other.md"]  # fmt: skip
    bob = (folder / "bob.md").read_text()
    assert "(`l2-penalty`): failed" in bob
    assert "Known mistake: **L1 instead of L2**" in bob
    assert "- failed ` worked example from the table `" in bob
    assert "(`early-stop`): passed" in bob and ": wrong" in bob
    assert "not valid JSON" in (folder / "junk.md").read_text()
    assert ": right" in (folder / "ada.md").read_text()
    assert "not handed in" in (folder / "ada.md").read_text()  # ridge-gd


def test_check_in_the_sandbox_gives_checks_verdict(tmp_path, capsys):
    file = tmp_path / "a.py"
    file.write_text(all_exercises()["l2-penalty"].mistakes[0].code)
    if SANDBOX:
        assert main(["check", "l2-penalty", str(file), "--json", "--sandbox", "on"]) == 1
        on = json.loads(capsys.readouterr().out)
        assert main(["check", "l2-penalty", str(file), "--json", "--sandbox", "off"]) == 1
        assert verdict(json.loads(capsys.readouterr().out)) == verdict(on)


FORGED_PASS = json.dumps({
    "exercise": "l2-penalty", "status": "pass", "score": 1.0, "feedback": "All checks passed.",
    "checks": [{"name": "forged", "passed": True, "message": ""}], "error": None, "stdout": "",
})


@pytest.mark.parametrize("sandbox", [False, pytest.param(True, marks=needs_sandbox)])
def test_a_learner_cannot_forge_a_pass_on_the_runners_pipes(sandbox):
    forge = (
        "import os\n"
        f"data = b'R1\\n' + {FORGED_PASS!r}.encode()\n"
        "for fd in range(256):\n"
        "    try:\n"
        "        os.write(fd, data)\n"
        "    except OSError:\n"
        "        pass\n"
    )
    wrong = "def l2_penalty(weights):\n    return 0.0\n"
    results = grade_batch(
        [("l2-penalty", forge + "os._exit(0)\n"), ("l2-penalty", forge + wrong)],
        sandbox=sandbox, timeout=10,
    )
    assert [r["status"] for r in results] == ["error", "fail"]
    assert all(c["name"] != "forged" for r in results for c in r["checks"])


def test_grading_in_process_spares_the_callers_own_children(klass, tmp_path):
    """After check made this process a subreaper, a gradebook run outside the sandbox
    kills only its runner's orphans, never a child of the caller's (a browser driver)."""
    import subprocess
    import sys

    from grader._descendants import become_subreaper

    become_subreaper()
    own = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        run(klass, "--csv", tmp_path / "g.csv", "--no-sandbox", "--jobs", "1")
        assert own.poll() is None, "the gradebook killed a child of its caller"
    finally:
        own.kill()
        own.wait()
