"""Print where a gradebook runner's time goes per exercise, sandboxed and not.

``grader._batch`` grades each exercise of a work file in a process forked from a runner
that has loaded Python, numpy, the grader and the plans once. This measures, in such a
runner (under bubblewrap when it works here), each part of that: the fork alone, the
fork with the exercise's own /tmp (the sandbox's mount namespace), the first ``grade()``
in a fresh fork (it pays for the copy-on-write pages it touches) beside a second one in
the same process, and the whole ``_grade_one`` for the reference solutions of a file;
beside it, what one fork per work file (every exercise of the file in one process) would
cost. CPU-seconds are the runner's and its children's; the load average is beside them.
Figures only, no assertions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import bwrap  # noqa: E402

REPEAT = int(os.environ.get("BENCH_PHASES", "20"))

# Run as a script inside the runner's environment: only grader/ and exercises/ are there.
PROBE = r"""
import gc, os, resource, sys, time
sys.path[:0] = [os.environ.get("L2_COURSE", "/course")]
import numpy, grader
from grader import _batch, all_exercises
from grader._descendants import become_subreaper

SANDBOX = sys.argv[1] == "1"
REPEAT = int(sys.argv[2])

def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

def row(label, fn, per):
    wall, used = time.perf_counter(), cpu()
    for _ in range(REPEAT):
        fn()
    wall, used = (time.perf_counter() - wall) / REPEAT, (cpu() - used) / REPEAT
    print(f"    {label:<46} {1000 * used:7.1f} ms CPU {1000 * wall:7.1f} ms wall  {per}",
          flush=True)

def in_fork(body):
    pid = os.fork()
    if pid == 0:
        body()
        os._exit(0)
    os.waitpid(pid, 0)

grader.prepare()
right = {spec.id: spec.solution for spec in all_exercises().values()}
gc.collect()
gc.freeze()
if SANDBOX:
    become_subreaper()

def grade_one(exercise_id, code):
    _batch._grade_one(exercise_id, code, timeout=5, memory_mb=512, sandbox=SANDBOX,
                      private_fds=())

noop = ("l2-penalty", "pass\n")
row("fork and exit", lambda: in_fork(lambda: None), "per exercise")
if SANDBOX:
    row("fork, own /tmp and IPC, exit", lambda: in_fork(_batch._own_scratch), "per exercise")
row("fork, grade() an empty submission", lambda: in_fork(lambda: grader.grade(*noop)),
    "per exercise")
row("fork, grade() it twice", lambda: in_fork(lambda: [grader.grade(*noop) for _ in "12"]),
    "per exercise")
row("_grade_one of an empty submission", lambda: grade_one(*noop), "per exercise")
row(f"_grade_one of each of the {len(right)} references",
    lambda: [grade_one(*item) for item in right.items()], "per work file")
row("one fork grading all of them (not used)",
    lambda: in_fork(lambda: [grader.grade(*item) for item in right.items()]), "per work file")
"""


def main() -> None:
    print(f"gradebook runner, per part ({REPEAT} times each, load average "
          f"{os.getloadavg()[0]:.1f}):")  # fmt: skip
    modes = []
    if bwrap.available()[0]:
        modes.append(("sandboxed", bwrap.wrap([sys.executable, "-c", PROBE, "1", str(REPEAT)], {}),
                      None))  # fmt: skip
    else:
        print(f"  (sandboxed: not measured, {bwrap.available()[1]})")
    env = {**os.environ, "L2_COURSE": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    modes.append(("no sandbox", [sys.executable, "-c", PROBE, "0", str(REPEAT)], env))
    for label, argv, environment in modes:
        print(f"  {label}:", flush=True)
        subprocess.run(argv, env=environment, check=False, stdin=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
