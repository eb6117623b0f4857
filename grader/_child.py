"""Child side of ``grader.sandbox``: read source on stdin, write the result JSON.

Usage (internal): ``python -m grader._child EXERCISE_ID MEMORY_MB TIMEOUT [WATCH_FD]``.

Standard input holds the run's key (hex, one line), then the source. On its result pipe
(the original stdout) the child writes what ``grader._channel`` describes: a line,
``READY`` and the pid of the grading process, when the learner's code is about to start,
then the result as an authenticated frame. The learner's own writes to file descriptor 1
go nowhere, and what it writes on the result pipe is never taken for a result.

Where ``os.fork`` exists, the grading runs in a forked process while this one only waits
for it, cleans up after it and ends the way it ended. So a submission's
``os.kill(os.getppid(), 9)`` hits this stand-in, not the CLI: the CLI still gives a
result. ``WATCH_FD`` is the read end of a pipe whose write end only the CLI holds: when
it reads end-of-file the CLI is gone, however it ended, and the stand-in ends the grading
and everything it started.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading

from grader._descendants import (
    ENV_TOKEN,
    become_subreaper,
    die_with_parent,
    kill_descendants,
    outlive_parent,
)


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


def _parent_gone(watch_fd: int) -> bool:
    """Whether the CLI closed its end of the watch pipe (it ended), without waiting."""
    if watch_fd < 0 or not select.select([watch_fd], [], [], 0)[0]:
        return False
    try:
        return os.read(watch_fd, 512) == b""
    except OSError:
        return True


def _watch_parent(watch_fd: int, pid: int) -> None:
    """Kill the grading process ``pid`` once the CLI has ended, whatever ended it."""
    try:
        while os.read(watch_fd, 512):
            pass
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:  # it ended already
        pass


def _stand_in(result_fd: int, watch_fd: int) -> int:
    """Fork; in the grading process return its pid; here, wait and end as it ended.

    This process is a child subreaper, so what the submission forks stays below it even
    after ``os.setsid()`` or its parent's end; once the grading process has ended, it
    kills all of that before it exits. The grading process dies with it, so killing it
    (``os.kill(os.getppid(), 9)``) ends the grading, and a second kill cannot reach the
    CLI by climbing the process tree.
    """
    stand_in = os.getpid()
    become_subreaper()
    # From here the watch pipe, not the kernel, ends this process with the CLI: a kill
    # by the kernel would leave no one to clean up after the submission.
    outlive_parent()
    if _parent_gone(watch_fd):
        os._exit(1)
    pid = os.fork()
    if pid == 0:
        die_with_parent(stand_in)
        if watch_fd >= 0:
            os.close(watch_fd)
        return os.getpid()
    os.close(result_fd)  # only the grading process may write a result
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    if watch_fd >= 0:
        threading.Thread(target=_watch_parent, args=(watch_fd, pid), daemon=True).start()
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


def _send(fd: int, channel: os.stat_result, data: bytes) -> None:
    """Write ``data`` on the result pipe ``fd``; end with ``LOST`` if learner code closed
    it or put another file in its place."""
    from grader._channel import LOST

    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (channel.st_dev, channel.st_ino):
            os._exit(LOST)
        _write_all(fd, data)
    except OSError:
        os._exit(LOST)


def main() -> int:
    exercise_id, memory_mb, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    watch_fd = int(sys.argv[4]) if len(sys.argv) > 4 else -1
    # Until the stand-in watches the pipe, the kernel ends this process with the CLI.
    die_with_parent(os.getppid())
    key = bytes.fromhex(sys.stdin.buffer.readline().decode("ascii"))
    source = sys.stdin.buffer.read().decode("utf-8", "surrogatepass")
    # The result goes to the original stdout; learner writes to fd 1 go nowhere, and
    # stdin, which held the key, becomes /dev/null.
    result_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)

    import grader
    from grader._channel import READY, bound, frame

    # numpy and the trusted outcomes are loaded before the limits and the learner's code.
    grader.prepare(exercise_id)
    _limit_resources(memory_mb, timeout)
    grading_pid = _stand_in(result_fd, watch_fd) if hasattr(os, "fork") else os.getpid()

    channel = os.fstat(result_fd)
    os.write(result_fd, READY + b"%d\n" % grading_pid)
    result = grader.grade(exercise_id, source)
    if os.getpid() != grading_pid:  # a copy of this process that the learner's fork made
        os._exit(0)
    # Bounded before it is serialized: a huge traceback must not outgrow the channel.
    payload = json.dumps(bound(result)).encode("utf-8")
    _send(result_fd, channel, frame(key, payload))
    # No atexit handler, thread or finalizer of the learner's may run after the verdict.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
