"""Runner side of ``grader.batch``: a long-lived process that grades work files in turn.

Usage (internal): ``python -m grader._batch``. The first line on stdin sets it up,
``{"timeout": S, "memory_mb": M, "plans": "...", "sandbox": true, "user": null,
"numpy": true}`` (``user``: the uid a root runner outside the sandbox runs the learner's
code as; ``numpy``: whether to load it now); it loads Python, numpy, the grader and every
exercise's trusted outcomes once, then writes ``{"ready": true}``. Each later line is one
work file, ``{"items": [[exercise_id, code], ...]}``, and for each item it writes
``{"index": i, "result": {...}}``, in order.

Each submission runs in a process forked from that untouched state, so nothing one
exercise's code does reaches the next. Each grading process is what ``grader._child`` is
for ``check``: its own session, the same memory and CPU limits, its result on a pipe of
its own, killed with everything it started when it ends or its time runs out. In the
sandbox (``"sandbox": true``, under bubblewrap) it also gets a ``/tmp`` and ``/dev/shm``
of its own and its own System V IPC (new user, mount and IPC namespaces, then one more
user namespace that owns none of them, so the learner's code holds no capability over
them), and before its result is written every other process in the sandbox is killed:
nothing a learner's code leaves behind, process or file, reaches the next submission.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import secrets
import select
import shutil
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
_CLONE_NEWNS, _CLONE_NEWUSER, _CLONE_NEWIPC = 0x00020000, 0x10000000, 0x08000000
_MS_NOSUID, _MS_NODEV = 2, 4
_SCRATCH = ("/tmp", "/dev/shm")  # the only places in the sandbox a submission may write
_SCRATCH_OPTIONS = b"mode=1777,size=64m,nr_inodes=4096"
_SWEEP_S = 5.0  # at most this long for what a submission left to die and be reaped


def _map_ids(uid: int, gid: int) -> None:
    """Map this process's ids to themselves in the user namespace it has just made."""
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                       ("gid_map", f"{gid} {gid} 1")):  # fmt: skip
        with open(f"/proc/self/{name}", "w") as file:
            file.write(text)


def _own_scratch() -> bool:
    """An empty, size-bounded /tmp and /dev/shm and System V IPC of this process's own,
    then a user namespace that owns none of them; False (nothing done) where the kernel
    refuses nested user namespaces, and the runner wipes the shared ones instead."""
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNS | _CLONE_NEWIPC) != 0:
        return False
    _map_ids(uid, gid)
    for path in _SCRATCH:
        if libc.mount(b"tmpfs", path.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                      _SCRATCH_OPTIONS) != 0:  # fmt: skip
            os._exit(1)  # half isolated is not isolated: the exercise gets an error
    # Capabilities in this new namespace reach nothing: the mounts and IPC belong to the
    # one before it, so the learner's code cannot unmount its /tmp and see beneath.
    if libc.unshare(_CLONE_NEWUSER) != 0:
        os._exit(1)
    _map_ids(uid, gid)
    return True


def _sweep() -> None:
    """Kill every other process in the sandbox (all of them a submission's: this runner
    is alone in its pid namespace but for bubblewrap's init, which ``kill(-1)`` spares)
    and reap them; this runner is a subreaper, so every orphan becomes its child."""
    deadline = time.monotonic() + _SWEEP_S
    while time.monotonic() < deadline:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:  # none left to signal
            pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:  # no child left: everything is reaped
            return
        time.sleep(0.001)


def _alone() -> bool:
    """Whether this process and bubblewrap's init are all the processes it can see: the
    sweep's ``kill(-1)`` is only ever sent from a pid namespace of the runner's own."""
    pids = {int(name) for name in os.listdir("/proc") if name.isdigit()}
    return pids <= {1, os.getpid()}


def _wipe_scratch() -> None:
    """Empty the shared /tmp and /dev/shm, for when no process could have its own."""
    for path in _SCRATCH:
        try:
            entries = os.listdir(path)
        except OSError:
            continue
        for name in entries:
            full = os.path.join(path, name)
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full, ignore_errors=True)
            else:
                try:
                    os.unlink(full)
                except OSError:
                    pass


def _grade_one(
    exercise_id: str,
    code: str,
    *,
    timeout: float,
    memory_mb: int,
    sandbox: bool,
    private_fds: tuple[int, ...],
    user: int | None = None,
) -> dict:
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
            for fd in private_fds:  # the runner's own pipes are never the learner's
                os.close(fd)
            isolated = sandbox and _own_scratch()
            if user is not None:  # a root runner outside the sandbox: no rights to its files
                os.setgroups([])
                os.setgid(user)
                os.setuid(user)
            os.setsid()
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            os.dup2(err_w, 2)
            _prctl(_PR_SET_DUMPABLE, 1)
            die_with_parent(runner)
            _limit_resources(memory_mb, timeout)
            me = os.getpid()
            os.write(result_w, READY + b"%d %d\n" % (me, isolated))
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
    if sandbox:
        _sweep()
        if not _isolated(out):
            _wipe_scratch()
    else:
        kill_descendants(pid, os.environ.get(ENV_TOKEN, ""), set(), uid=user)
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


def _isolated(out) -> bool:
    """Whether the grading process said, before any learner code ran, that it had its own
    /tmp; the learner's code can only add to what follows that line, never change it."""
    with out.lock:
        first = bytes(out.head).partition(b"\n")[0]
    return first.endswith(b" 1")


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
    requests = os.fdopen(os.dup(0), "rb")
    setup = json.loads(requests.readline().decode("utf-8"))
    timeout, memory_mb = float(setup["timeout"]), int(setup["memory_mb"])
    sandbox = bool(setup.get("sandbox"))
    user = setup.get("user")
    if sandbox and not _alone():
        print("a sandboxed runner must be alone in its pid namespace", file=sys.stderr)
        return 2
    out_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    # Not dumpable: a submission running as the same user cannot open this process's
    # file descriptors or memory through /proc and write results for later exercises.
    _prctl(_PR_SET_DUMPABLE, 0)
    become_subreaper()

    import pickle

    import grader
    from grader import plans

    # The gradebook's plans (trusted outcomes, computed in a process no learner code ran
    # in); any it could not make are made here, before any learner code runs.
    for exercise_id, plan in pickle.loads(base64.b64decode(setup.get("plans", ""))).items():
        plans._PLANS.setdefault(exercise_id, plan)
    if setup.get("numpy", True):
        try:
            import numpy  # noqa: F401 - once here, not in every grading process
        except ImportError:  # the exercises that need it say so
            pass
    grader.prepare()
    import gc

    # What the forks inherit stays out of their garbage collector's way, so a collection
    # in one does not copy every page the runner holds.
    gc.collect()
    gc.freeze()
    _write_all(out_fd, b'{"ready": true}\n')
    private = (requests.fileno(), out_fd)
    while line := requests.readline():
        items = [
            (str(i), str(code))
            for i, code in json.loads(line.decode("utf-8", "surrogatepass"))["items"]
        ]
        for index, (exercise_id, code) in enumerate(items):
            result = _grade_one(exercise_id, code, timeout=timeout, memory_mb=memory_mb,
                                sandbox=sandbox, private_fds=private, user=user)  # fmt: skip
            reply = json.dumps({"index": index, "result": result}, ensure_ascii=True) + "\n"
            _write_all(out_fd, reply.encode())
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
