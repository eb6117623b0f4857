"""Print what grading under the site's Python costs beside CPython's sandbox: a cold
start, one more submission, a batch of 50 (grader.site_python, check --python site|host).

Figures only, no assertions: run `./dev bench` (or this file) and read them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import all_exercises  # noqa: E402
from grader.sandbox import grade_isolated  # noqa: E402
from grader.site_python import (  # noqa: E402
    SitePython,
    SitePythonUnavailable,
    find_runtime,
    grade_batch,
)

BATCH = 50


def line(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:<58} {seconds * 1000:9.0f} ms  {note}")


def main() -> None:
    try:
        runtime = find_runtime()
    except SitePythonUnavailable as missing:
        print(f"site's Python not measured: {missing}")
        return
    pure = [spec for spec in all_exercises().values() if not spec.requires]
    jobs = [(pure[i % len(pure)].id, pure[i % len(pure)].solution) for i in range(BATCH)]
    with tempfile.NamedTemporaryFile("w", suffix=".py") as file:
        file.write(pure[0].solution)
        file.flush()
        for python in ("site", "host"):
            command = [sys.executable, "-m", "grader", "check", pure[0].id, file.name,
                       "--python", python]
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
            line(f"check --python {python} (new process, one submission)",
                 time.perf_counter() - start)

    start = time.perf_counter()
    with SitePython(runtime) as site:
        site.start()
        cold = time.perf_counter() - start
        line("site: Node up, Pyodide booted, snapshot taken", cold,
             f"(Node says {site.boot_s * 1000:.0f} ms)")
        each = []
        for exercise, source in jobs[:10]:
            begin = time.perf_counter()
            site.grade(exercise, source)
            each.append(time.perf_counter() - begin)
        line("site: one more submission (fresh worker, restored)", statistics.median(each[1:]),
             "median of 9 after the first")
        line("site: the first submission (the booted interpreter)", each[0])
    host = [time.perf_counter()]
    for exercise, source in jobs[:5]:
        grade_isolated(exercise, source)
        host.append(time.perf_counter())
    line("host: one submission (CPython child process)",
         statistics.median(b - a for a, b in zip(host, host[1:], strict=False)), "median of 5")
    for python in ("site", "host"):
        start = time.perf_counter()
        grade_batch(jobs, python=python, runtime=runtime)
        total = time.perf_counter() - start
        line(f"{python}: grade_batch of {BATCH} references", total,
             f"{total / BATCH * 1000:.0f} ms each")


if __name__ == "__main__":
    main()
