"""Runner side of ``grader.batch``: grade one work file's exercises, one forked process each.

Usage (internal): ``python -m grader._batch`` with a JSON job on stdin,
``{"timeout": S, "memory_mb": M, "items": [[exercise_id, code], ...]}``; it writes one
line of JSON per item, in order, ``{"index": i, "result": {...}}``, to stdout.

Python, numpy and every exercise's trusted outcomes load once; then each submission runs
in a process forked from that untouched state, so nothing one exercise's code does
reaches the next. Each grading process is what ``grader._child`` is for ``check``: its
own session, the same memory and CPU limits, its result on a pipe of its own, killed with
everything it started when it ends or its time runs out.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import select
import signal
import sys
import time

from grader._child import _limit_resources, _write_all
from grader._descendants import (
    ENV_TOKEN,
    _prctl,
    become_subreaper,
    die_with_parent,
    kill_descendants,
)

_PR_SET_DUMPABLE = 4


def _grade_one(exercise_id: str, code: str, timeout: float, memory_mb: int, out_fd: int) -> dict:
    import grader
    from grader._channel import KEY_BYTES, bound, frame
    from grader.contract import Status, make_result, message, seconds_text
    from grader.sandbox import (
        _RESULT_BYTES,
        _STDERR_HEAD,
        _STDERR_TAIL,
        READY,
        _Capture,
        _describe_exit,
        _reader,
        _valid_result,
    )

    runner = os.getpid()
    # The grading process runs learner code that can write to every fd it holds: only a
    # frame signed with this key, made afresh for each exercise, counts as its result.
    key = secrets.token_bytes(KEY_BYTES)
    result_r, result_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the grading process
        try:
            os.close(result_r)
            os.close(err_r)
            os.close(out_fd)  # the runner's own output is never the learner's to write
            os.setsid()
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            os.dup2(err_w, 2)
            _prctl(_PR_SET_DUMPABLE, 1)
            die_with_parent(runner)
            _limit_resources(memory_mb, timeout)
            me = os.getpid()
            os.write(result_w, READY + b"%d\n" % me)
            result = grader.grade(exercise_id, code)
            if os.getpid() == me:  # not a copy that the learner's fork made
                _write_all(result_w, frame(key, json.dumps(bound(result)).encode("utf-8")))
        finally:
            os._exit(0)
    os.close(result_w)
    os.close(err_w)
    out = _Capture(_RESULT_BYTES + 1, 0)
    err = _Capture(_STDERR_HEAD, _STDERR_TAIL)
    streams = [os.fdopen(result_r, "rb", buffering=0), os.fdopen(err_r, "rb", buffering=0)]
    readers = [_reader(streams[0], out), _reader(streams[1], err)]
    status = _wait(pid, timeout)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    kill_descendants(pid, os.environ.get(ENV_TOKEN, ""), set())
    end = time.monotonic() + 1.0
    for stream, thread in zip(streams, readers, strict=True):
        thread.join(max(0.0, end - time.monotonic()))
        if not thread.is_alive():
            stream.close()
    if status is None:
        return make_result(
            exercise_id, Status.TIMEOUT, message("timeout", seconds=seconds_text(timeout))
        )
    exit_code = os.waitstatus_to_exitcode(status)
    if exit_code < 0:
        return _describe_exit(exercise_id, exit_code, err.text(), memory_mb, timeout)
    return _valid_result(out, exercise_id, key) or _describe_exit(
        exercise_id, exit_code, err.text(), memory_mb, timeout
    )


def _wait(pid: int, timeout: float) -> int | None:
    """The grading process's wait status, or None when its time ran out (it is killed)."""
    deadline = time.monotonic() + timeout
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            if pidfd is not None:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(min(left, 0.01))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def main() -> int:
    job = json.loads(sys.stdin.buffer.read().decode("utf-8", "surrogatepass"))
    timeout, memory_mb = float(job["timeout"]), int(job["memory_mb"])
    items = [(str(exercise_id), str(code)) for exercise_id, code in job["items"]]
    out_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    # Not dumpable: a submission running as the same user cannot open this process's
    # file descriptors or memory through /proc and write results for later exercises.
    _prctl(_PR_SET_DUMPABLE, 0)
    become_subreaper()

    import grader
    from grader import grading

    # The gradebook's plans (trusted outcomes, computed in a process no learner code ran
    # in); any it could not make are made here, before any learner code runs.
    for exercise_id, plan in grading.loads(base64.b64decode(job.get("plans", ""))).items():
        grading._PLANS.setdefault(exercise_id, plan)
    ids = list(dict.fromkeys(exercise_id for exercise_id, _ in items))
    grader.prepare(*ids)
    if any(grader.get_exercise(i).requires for i in ids):
        import numpy  # noqa: F401 - once here, not in every grading process
    for index, (exercise_id, code) in enumerate(items):
        result = _grade_one(exercise_id, code, timeout, memory_mb, out_fd)
        line = json.dumps({"index": index, "result": result}, ensure_ascii=True) + "\n"
        _write_all(out_fd, line.encode())
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
