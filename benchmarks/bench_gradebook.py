"""Print the gradebook's throughput on a generated class of 200 work files.

The class mixes learners whose code is right, wrong (known mistakes) and runaway (one
exercise loops forever), graded sandboxed and not, as ``python -m grader gradebook``
grades them. Figures only, no assertions: run ``./dev bench`` (or this file) and read them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from class_files import first_mistakes, references, right_answers, work_file, write  # noqa: E402

from grader import bwrap  # noqa: E402

FILES = 200
RUNAWAY_EVERY = 20  # one learner in 20 hands in an exercise that never ends
TIMEOUT = "5"  # the default time limit


def make_class(folder: Path) -> None:
    right, wrong, answers = references(), first_mistakes(), right_answers()
    for n in range(FILES):
        if n % RUNAWAY_EVERY == 0:
            code = {**right, "l2-penalty": "while True:\n    pass\n"}
        else:
            code = right if n % 2 else wrong
        write(folder, f"learner-{n:03}.json", work_file(f"Learner {n}", code, answers))


def run(folder: Path, *extra: str) -> float:
    command = [sys.executable, "-m", "grader", "gradebook", str(folder), "--csv",
               str(folder.parent / "grades.csv"), "--timeout", TIMEOUT, *extra]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=False, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        make_class(folder)
        runaway = len(range(0, FILES, RUNAWAY_EVERY))
        print(f"gradebook: {FILES} work files of 8 exercises and every question ({runaway} "
              f"with a runaway exercise, time limit {TIMEOUT} s), {cores} cores, "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        modes = [("sandboxed", [])] if bwrap.available()[0] else []
        modes.append(("no sandbox", ["--no-sandbox"]))
        for label, extra in modes:
            for jobs in (cores, cores * 4):
                seconds = run(folder, "--jobs", str(jobs), *extra)
                print(f"  {label:<11} --jobs {jobs:<3} {seconds:6.1f} s  "
                      f"{FILES / seconds:6.1f} files/s")
        if not bwrap.available()[0]:
            print(f"  (sandboxed: not measured, {bwrap.available()[1]})")


if __name__ == "__main__":
    main()
