"""Print the gradebook's throughput on a generated class of 200 work files.

The class mixes learners whose code is right, wrong (known mistakes) and runaway (one
exercise loops forever), graded sandboxed and not, as ``python -m grader gradebook``
grades them. Beside each figure: the machine's load average (other work slows a run
down) and the CPU-seconds spent per file, which other work hardly changes. Figures only,
no assertions: run ``./dev bench`` (or this file) and read them.
``BENCH_FILES=N`` grades a class of N instead.
"""

from __future__ import annotations

import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from class_files import first_mistakes, references, right_answers, work_file, write  # noqa: E402

from grader import bwrap  # noqa: E402

FILES = int(os.environ.get("BENCH_FILES", "200"))
MODERN_FILES = 20  # learners whose l2-penalty passes only under the site's Python
RUNAWAY_EVERY = 20  # one learner in 20 hands in an exercise that never ends
TIMEOUT = "5"  # the default time limit
# A cgroup counts the CPU time of every process a run starts, even those a sandbox's
# init reaps (children's rusage misses them); only root can make one.
CPUACCT = Path("/sys/fs/cgroup/cpuacct")


def make_class(folder: Path, files: int, runaway: bool = True) -> None:
    right, wrong, answers = references(), first_mistakes(), right_answers()
    for n in range(files):
        if runaway and n % RUNAWAY_EVERY == 0:
            code = {**right, "l2-penalty": "while True:\n    pass\n"}
        else:
            code = right if n % 2 else wrong
        write(folder, f"learner-{n:03}.json", work_file(f"Learner {n}", code, answers))


def _cgroup() -> Path | None:
    group = CPUACCT / f"l2-bench-{secrets.token_hex(4)}"
    try:
        group.mkdir()
    except OSError:
        return None
    return group


def run(folder: Path, *extra: str) -> tuple[float, float]:
    """Wall-clock seconds and CPU-seconds of one gradebook run."""
    command = [sys.executable, "-m", "grader", "gradebook", str(folder), "--csv",
               str(folder.parent / "grades.csv"), "--timeout", TIMEOUT, *extra]  # fmt: skip
    group = _cgroup()

    def join() -> None:
        (group / "cgroup.procs").write_text(str(os.getpid()))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=False, capture_output=True,
                   preexec_fn=join if group else None)  # fmt: skip
    seconds = time.perf_counter() - started
    if group is not None:
        cpu = int((group / "cpuacct.usage").read_text()) / 1e9
        group.rmdir()
    else:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu


def main() -> None:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        classes = []
        for name, runaway in (("mixed", True), ("no runaway", False)):
            folder = Path(tmp) / name.replace(" ", "-") / "class"
            folder.mkdir(parents=True)
            make_class(folder, FILES, runaway)
            classes.append((name, folder))
        runaway = len(range(0, FILES, RUNAWAY_EVERY))
        print(f"gradebook: {FILES} work files of 8 exercises and every question, {cores} "
              f"cores; 'mixed': {runaway} with a runaway exercise, time limit {TIMEOUT} s "
              "(each costs up to that much CPU)")  # fmt: skip
        modes = [("sandboxed", [])] if bwrap.available()[0] else []
        modes.append(("no sandbox", ["--no-sandbox"]))
        for label, extra in modes:
            honest = 0.0
            for name, folder in reversed(classes):  # the honest class first: its CPU per file
                for jobs in (cores, cores * 4):
                    load = os.getloadavg()[0]
                    seconds, cpu = run(folder, "--jobs", str(jobs), *extra)
                    print(f"  {label:<10} {name:<10} --jobs {jobs:<3} {seconds:6.1f} s "
                          f"{FILES / seconds:6.1f} files/s  {cpu / FILES:5.3f} CPU-s/file  "
                          f"(load average {load:.1f})")  # fmt: skip
                    if jobs == cores and name == "no runaway":
                        honest = cpu / FILES
            # A runaway must be given its whole time limit on a core of its own (less, and
            # code a little slower than the limit would fail here and pass in the page), so
            # no run of the mixed class can beat this, whatever the grader costs.
            least = (FILES * honest + runaway * float(TIMEOUT)) / cores
            print(f"  {label:<10} mixed: at best {FILES / least:.1f} files/s on {cores} cores "
                  f"({runaway} x {TIMEOUT} s of runaway + {FILES} x {honest:.3f} CPU-s, "
                  f"over {cores} cores: {least:.1f} s)")  # fmt: skip
        if not bwrap.available()[0]:
            print(f"  (sandboxed: not measured, {bwrap.available()[1]})")
        parity(Path(tmp) / "modern" / "class", modes[0][1])


def parity(folder: Path, extra: list[str]) -> None:
    """What taking the page's verdict costs: each file holds one submission that only the
    site's Python passes, graded again there (one Node per job, booted once)."""
    from parity_corpus import MODERN

    folder.mkdir(parents=True)
    modern = next(s for s in MODERN if s.exercise == "l2-penalty")
    right, answers = references(), right_answers()
    for n in range(MODERN_FILES):
        code = {**right, "l2-penalty": modern.code}
        write(folder, f"learner-{n:03}.json", work_file(f"Learner {n}", code, answers))
    cores = os.cpu_count() or 1
    print(f"page verdicts: {MODERN_FILES} work files, each with one submission that only "
          f"the site's Python passes ({modern.name})")  # fmt: skip
    for python in ("host", "auto"):
        load = os.getloadavg()[0]
        seconds, cpu = run(folder, "--jobs", str(cores), "--python", python, *extra)
        print(f"  --python {python:<5} {seconds:6.1f} s  {cpu / MODERN_FILES:5.3f} CPU-s/file  "
              f"(load average {load:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
