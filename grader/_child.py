"""Child side of ``grader.sandbox``: read source on stdin, write the result JSON.

Usage (internal): ``python -m grader._child EXERCISE_ID MEMORY_MB TIMEOUT``.

On its result pipe (the original stdout) the child writes a line, ``READY`` and the pid
of the grading process, when the learner's code is about to start, then the result as
JSON. The learner's own writes to file descriptor 1 go nowhere, so they cannot corrupt
the result.

Where ``os.fork`` exists, the grading runs in a forked process while this one only waits
for it, cleans up after it and ends the way it ended. So a submission's
``os.kill(os.getppid(), 9)`` hits this stand-in, not the CLI: the CLI still gives a
result.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from grader._descendants import ENV_TOKEN, become_subreaper, die_with_parent, kill_descendants


def _limit_resources(memory_mb: int, timeout: float) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the parent's timeout still applies
        return
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(timeout) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    # os.abort() or a segfault must not leave a core file in the learner's folder.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _stand_in(result_fd: int) -> int:
    """Fork; in the grading process return its pid; here, wait and end as it ended.

    This process is a child subreaper, so what the submission forks stays below it even
    after ``os.setsid()`` or its parent's end; once the grading process has ended, it
    kills all of that before it exits. The grading process dies with it, so killing it
    (``os.kill(os.getppid(), 9)``) ends the grading, and a second kill cannot reach the
    CLI by climbing the process tree.
    """
    stand_in = os.getpid()
    become_subreaper()
    pid = os.fork()
    if pid == 0:
        die_with_parent(stand_in)
        return os.getpid()
    os.close(result_fd)  # only the grading process may write a result
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    _, status = os.waitpid(pid, 0)
    kill_descendants(stand_in, os.environ.get(ENV_TOKEN, ""), set(), group=False)
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        try:
            signal.signal(signum, signal.SIG_DFL)
        except (OSError, ValueError):  # SIGKILL, SIGSTOP: their action is the default
            pass
        os.kill(os.getpid(), signum)
        os._exit(128 + signum)  # only if the signal did not end this process
    os._exit(os.waitstatus_to_exitcode(status))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def main() -> int:
    exercise_id, memory_mb, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    source = sys.stdin.buffer.read().decode("utf-8", "surrogatepass")
    # The result goes to the original stdout; learner writes to fd 1 go nowhere.
    result_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)

    import grader
    from grader.sandbox import READY

    # numpy and the trusted outcomes are loaded before the limits and the learner's code.
    grader.prepare(exercise_id)
    _limit_resources(memory_mb, timeout)
    grading_pid = _stand_in(result_fd) if hasattr(os, "fork") else os.getpid()

    os.write(result_fd, READY + b"%d\n" % grading_pid)
    result = grader.grade(exercise_id, source)
    if os.getpid() != grading_pid:  # a copy of this process that the learner's fork made
        os._exit(0)
    _write_all(result_fd, json.dumps(result).encode("utf-8"))
    # No atexit handler, thread or finalizer of the learner's may run after the verdict.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
