"""A Gradescope autograder (issue 20, item 6): build it, and grade one submission in it.

``build(out)`` writes the zip that Gradescope's "Autograder" setting takes: ``setup.sh``
(run once when Gradescope builds its image: Python 3.11+, the pinned numpy and PyYAML,
bubblewrap), ``run_autograder`` (run for each submission) and what they need, the
``grader`` package and the ``exercises``. ``run_autograder`` calls ``main(root)``, which
grades what the learner handed in (``ROOT/submission``: a work file, or ``.py`` files)
and writes ``ROOT/results/results.json`` as Gradescope's autograder specification defines
it: a test per exercise (and per question, for a work file) with ``name``, ``score``,
``max_score``, ``status``, ``output``, and the total ``score``.

The learner's code runs as the gradebook runs it (``grader.batch``): in bubblewrap where
it works, else (Gradescope's containers usually forbid the namespaces it needs) as the
user ``nobody`` when the autograder runs as root, so it can neither write
``results.json`` nor change the grader for the exercises graded after it. Each
submission has a container of its own on Gradescope, so no other learner is near.
``ROOT`` is ``/autograder``, or ``$AUTOGRADER_ROOT`` (for tests).
"""

from __future__ import annotations

import ast
import io
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

from . import bwrap
from .batch import Runner
from .catalogue import all_exercises
from .contract import Result
from .feedback import known_mistake
from .gradebook import FileGrade, course, grade_file
from .questions import Question
from .sandbox import DEFAULT_TIMEOUT

__all__ = ["build", "grade_submission", "main"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = "/autograder"
_NOBODY = 65534
_MAX_PY_BYTES = 1 << 20  # as check reads a file
_PINNED = ("numpy", "PyYAML")  # what grading imports beyond the standard library
_NOTHING = ("Nothing to grade: hand in your work file (the site's \"Download my work\") or "
            "a .py file named after its exercise.")  # fmt: skip

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y bubblewrap python3-venv || true
PYTHON=""
for candidate in python3.14 python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PYTHON="$candidate"; break
  fi
done
if [ -z "$PYTHON" ]; then
  apt-get install -y python3.11 python3.11-venv
  PYTHON=python3.11
fi
"$PYTHON" -m venv venv
venv/bin/pip install --no-cache-dir -r requirements.txt
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: grade ROOT/submission into
# ROOT/results/results.json (ROOT is /autograder, or $AUTOGRADER_ROOT for tests). It may
# run a copy of this file, so the autograder's files are found under ROOT/source.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
PYTHON="${AUTOGRADER_PYTHON:-$SOURCE/venv/bin/python}"
mkdir -p "$ROOT/results"
cd "$SOURCE" && exec env PYTHONPATH="$SOURCE" "$PYTHON" -m grader.gradescope "$ROOT"
"""


def _requirements() -> str:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if name.strip().lower() in {p.lower() for p in _PINNED} and version:
            pins[name.strip()] = f"{name.strip()}=={version.strip()}"
    return "".join(f"{pins[name]}\n" for name in sorted(pins))


def _sources() -> list[Path]:
    files = []
    for folder in ("grader", "exercises"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.append(path)
    return files


def build(out: Path) -> int:
    """Write the autograder zip to ``out``; the number of files in it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str | bytes, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16  # a regular file with its mode
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)

        add("setup.sh", SETUP_SH, 0o755)
        add("run_autograder", RUN_AUTOGRADER, 0o755)
        add("requirements.txt", _requirements())
        for path in _sources():
            add(path.relative_to(ROOT).as_posix(), path.read_bytes())
        count = len(archive.infolist())
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, out)
    return count


def _exercise_for(path: Path, source: str) -> list[str]:
    """The exercises a ``.py`` file is for: the one its name says (``l2-penalty.py``,
    ``l2_penalty.py``), else every exercise whose function it defines."""
    specs = all_exercises()
    stem = path.stem.lower().replace("_", "-")
    if stem in specs:
        return [stem]
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return [i for i, spec in specs.items() if spec.function in defined]


def _output(result: Result) -> str:
    lines = [result["feedback"]]
    mistake = known_mistake(result["exercise"], result["feedback"])
    if mistake:
        lines.append(f"Known mistake: {mistake}.")
    failed = [c for c in result["checks"] if not c["passed"]]
    for check in failed[:10]:
        lines.append(f"- failed {check['name']}: {check['message']}")
    if len(failed) > 10:
        lines.append(f"- and {len(failed) - 10} more failed checks")
    if result.get("stdout"):
        lines += ["", "Your code printed:", result["stdout"][:2000]]
    return "\n".join(lines)


def _exercise_test(exercise_id: str, result: Result | None) -> dict[str, Any]:
    spec = all_exercises()[exercise_id]
    passed = result is not None and result["status"] == "pass"
    return {
        "name": f"{spec.title} ({exercise_id})",
        "score": 1.0 if passed else 0.0,
        "max_score": 1.0,
        "status": "passed" if passed else "failed",
        "output": _output(result) if result else "Not handed in.",
        "visibility": "visible",
    }


def _question_test(question_id: str, question: Question, answer: str | None) -> dict[str, Any]:
    said = {"correct": "Right.", "wrong": "Wrong.",
            "stale": "Answered for an older version of this question."}  # fmt: skip
    prompt = " ".join(question.prompt.split())
    return {
        "name": f"Question: {prompt[:100]} ({question_id})",
        "score": 1.0 if answer == "correct" else 0.0,
        "max_score": 1.0,
        "status": "passed" if answer == "correct" else "failed",
        "output": said.get(answer or "", "Not answered."),
        "visibility": "visible",
    }


def _runner(timeout: float) -> Runner:
    sandbox = os.environ.get("L2_AUTOGRADER_SANDBOX", "auto") != "off" and bwrap.available()[0]
    user = _NOBODY if not sandbox and hasattr(os, "getuid") and os.getuid() == 0 else None
    return Runner(sandbox=sandbox, timeout=timeout, user=user)


def grade_submission(submission: Path, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Gradescope's results for what ``submission`` (a folder) holds."""
    files = sorted(p for p in submission.rglob("*") if p.is_file()) if submission.is_dir() else []
    works = [p for p in files if p.suffix.lower() == ".json"]
    scripts = [p for p in files if p.suffix.lower() == ".py"]
    course_, questions = course()
    with _runner(timeout) as runner:
        if works:
            grade = grade_file(works[0], course_, questions, runner.grade)
            return _work_results(grade, questions, extra=works[1:])
        if scripts:
            return _script_results(scripts, runner)
    return _results([], _NOTHING)


def _work_results(
    grade: FileGrade, questions: dict[str, Question], extra: list[Path]
) -> dict[str, Any]:
    if not grade.read:
        return _results([], "Your work file could not be graded: " + " ".join(grade.problems))
    tests = [_exercise_test(i, grade.results.get(i)) for i in all_exercises()]
    tests += [_question_test(i, q, grade.answers.get(i)) for i, q in questions.items()]
    notes = list(grade.problems)
    if grade.claimed_but_failed:
        notes.append("Passed in your browser but not here: " + ", ".join(grade.claimed_but_failed))
    if extra:
        notes.append("Only the first work file was graded; also handed in: "
                     + ", ".join(p.name for p in extra))  # fmt: skip
    return _results(tests, "\n".join(notes))


def _script_results(scripts: list[Path], runner: Runner) -> dict[str, Any]:
    items: list[tuple[str, str]] = []
    notes = []
    for path in scripts:
        try:
            data = path.read_bytes()[: _MAX_PY_BYTES + 1]
            source = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            notes.append(f"{path.name} is not a UTF-8 text file of at most 1 MB; not graded.")
            continue
        if len(data) > _MAX_PY_BYTES:
            notes.append(f"{path.name} is larger than 1 MB; not graded.")
            continue
        ids = [i for i in _exercise_for(path, source) if i not in {e for e, _ in items}]
        if not ids:
            notes.append(f"{path.name} is for no exercise: name it after one (l2-penalty.py) "
                         "or define its function.")  # fmt: skip
        items += [(i, source) for i in ids]
    results = dict(zip((i for i, _ in items), runner.grade(items), strict=True))
    tests = [_exercise_test(i, results[i]) for i in all_exercises() if i in results]
    return _results(tests, "\n".join(notes))


def _results(tests: list[dict[str, Any]], output: str) -> dict[str, Any]:
    return {
        "score": sum(t["score"] for t in tests),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def main(root: str | None = None) -> int:
    """Grade ``root/submission`` into ``root/results/results.json``."""
    base = Path(root or os.environ.get("AUTOGRADER_ROOT") or DEFAULT_ROOT)
    results = base / "results"
    results.mkdir(parents=True, exist_ok=True)
    try:
        data = grade_submission(base / "submission")
    except Exception as error:  # noqa: BLE001 - Gradescope shows the output, not a traceback
        data = _results([], f"The autograder failed: {type(error).__name__}: {error}")
    text = json.dumps(data, indent=2, ensure_ascii=True)
    tmp = results / "results.json.part"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, results / "results.json")  # whatever the learner's code wrote there is gone
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
