"""Print how fast the grader is: `python -m grader verify`, and one in-process grade.

Figures only, no assertions: run `./dev bench` (or this file) and read them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import all_exercises, grade  # noqa: E402
from grader.sandbox import grade_isolated  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def show(label: str, times: list[float]) -> None:
    print(f"{label:<52} median {statistics.median(times) * 1000:8.1f} ms"
          f"   min {min(times) * 1000:8.1f} ms   (n={len(times)})")


def main() -> None:
    verify = [sys.executable, "-m", "grader", "verify"]
    show("python -m grader verify (all exercises, new process)",
         timed(lambda: subprocess.run(verify, cwd=ROOT, capture_output=True, check=True), 5))
    for spec in all_exercises().values():
        grade(spec.id, spec.solution)  # warm the reference and mistake cache
        show(f"grade('{spec.id}', reference) in-process, warm",
             timed(lambda spec=spec: grade(spec.id, spec.solution), 20))
    spec = next(iter(all_exercises().values()))
    show(f"grade_isolated('{spec.id}') (child process, as the CLI)",
         timed(lambda: grade_isolated(spec.id, spec.solution), 5))


if __name__ == "__main__":
    main()
