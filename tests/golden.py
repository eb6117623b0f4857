"""The golden transcript: what every exercise's own code gets from ``grade()``.

For each exercise (catalogue order): the reference solution, the starter code and every
known mistake, each with its status and headline. ``tests/test_golden.py`` compares it
with ``tests/golden.json``, so a change of wording or of a verdict is reviewed as a diff
of that file. After an intended change, regenerate it from the repository root::

    .venv/bin/python -m tests.golden --update

In a headline the grader wrote (not a known mistake's message, which is the author's
text), numbers with a fraction or an exponent are written as ``<float>``: the transcript
pins words and verdicts, not the last digits of a float.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from grader import all_exercises, grade

GOLDEN = Path(__file__).with_name("golden.json")
COMMAND = ".venv/bin/python -m tests.golden --update"
_FLOAT = re.compile(r"-?(?:\d+\.\d+|\d+(?=[eE][-+]?\d))(?:[eE][-+]?\d+)?")


def outcome(exercise_id: str, code: str) -> dict[str, str]:
    """Status and headline of one submission, the grader's floats masked.

    >>> outcome("l2-penalty", "def l2_penalty(w):\\n    return 1.5\\n")["headline"][:52]
    'l2_penalty([<float>, <float>, <float>, <float>, <flo'
    """
    result = grade(exercise_id, code)
    headline = result["feedback"]
    if headline not in {m.message for m in all_exercises()[exercise_id].mistakes}:
        headline = _FLOAT.sub("<float>", headline)
    return {"status": result["status"], "headline": headline}


def transcript() -> dict[str, dict]:
    """The outcome of every exercise's reference, starter and known mistakes."""
    return {
        spec.id: {
            "reference": outcome(spec.id, spec.solution),
            "starter": outcome(spec.id, spec.starter),
            "mistakes": {m.name: outcome(spec.id, m.code) for m in spec.mistakes},
        }
        for spec in all_exercises().values()
    }


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print(f"usage: {COMMAND}", file=sys.stderr)
        return 2
    text = json.dumps(transcript(), indent=2, ensure_ascii=False) + "\n"
    GOLDEN.write_text(text, "utf-8")
    print(f"wrote {GOLDEN.name}: review it with git diff")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
