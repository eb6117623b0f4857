"""Every exercise's own code gets the verdict and headline the golden transcript records
(tests/golden.json; see tests/golden.py for the command that regenerates it)."""

from __future__ import annotations

import json

from golden import COMMAND, GOLDEN, transcript


def test_every_exercise_matches_the_golden_transcript():
    recorded = json.loads(GOLDEN.read_text("utf-8"))
    now = transcript()
    assert list(now) == list(recorded), f"exercises added or removed: run {COMMAND}"
    for exercise_id, outcomes in now.items():
        assert outcomes == recorded[exercise_id], (
            f"{exercise_id}: outcomes differ from tests/golden.json; if the change is meant, "
            f"run {COMMAND} and review the diff"
        )
