"""The work-file reader against the shared corpus (tests/workfiles/), which the page's
reader (web/work-file.js, tests/js) must read the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.workfile import Course, WorkFileError, read_work_file

CORPUS = Path(__file__).parent / "workfiles"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())


def course() -> Course:
    raw = json.loads((CORPUS / "course.json").read_text())
    return Course(
        exercises=raw["exercises"],
        questions={k: (v["version"], v["options"]) for k, v in raw["questions"].items()},
    )


def corpus_bytes(name: str) -> bytes:
    if name == "too-big":
        good = json.loads((CORPUS / "cases" / "good.json").read_text())
        good["padding"] = " " * 50_000_000
        return json.dumps(good).encode()
    return (CORPUS / "cases" / f"{name}.json").read_bytes()


def test_every_corpus_file_has_an_expectation():
    names = {path.stem for path in (CORPUS / "cases").glob("*.json")} | {"too-big"}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_reads_as_expected(name):
    want = EXPECTED[name]
    data = corpus_bytes(name)
    if want["refused"]:
        with pytest.raises(WorkFileError) as caught:
            read_work_file(data, course())
        message = str(caught.value)
        assert want["refused"] in message
        assert message.endswith(".") and "\n" not in message
        return
    work = read_work_file(data, course())
    assert sorted(work.exercises) == sorted(want["exercises"])
    assert sorted(work.questions) == sorted(want["questions"])
    stale = [i for i, e in {**work.exercises, **work.questions}.items() if e.stale]
    assert sorted(stale) == sorted(want["stale"])
    assert sorted(p.code for p in work.problems) == sorted(want["problems"])
    for problem in work.problems:
        assert problem.message.endswith(".") and "'" in problem.message


def test_good_file_keeps_every_field():
    work = read_work_file(corpus_bytes("good"), course())
    assert work.learner == "Ada Lovelace"
    assert work.site_url == "https://you.github.io/l2-course/"
    entry = work.exercises["l2-penalty"]
    assert (entry.verdict, entry.failures, entry.hints, entry.solution_shown) == (
        "pass",
        2,
        1,
        False,
    )
    assert entry.code.startswith("def l2_penalty")
    assert work.questions["lambda-zero"].selected == (0,)
