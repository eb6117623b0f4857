"""Grade in a child process with a time and a memory limit.

Whatever the submission does (``while True``, a memory bomb, ``sys.exit()``,
``os._exit()``, a signal, a fork that outlives it, a flood on the raw file descriptors)
the caller gets a well-formed result back, within the time limit plus a small margin:

- the child runs in a new session; its source comes from a temporary file and its output
  goes to pipes read by threads that keep a bounded part of it, so nothing waits for the
  pipes to close (a forked grandchild may hold them open) and nothing grows without end;
- the clock starts when the child says the learner's code starts (after Python, numpy and
  the trusted outcomes have loaded, bounded separately), and the parent waits on the
  process itself;
- when the child ends, or its time runs out, its process group and every descendant
  still alive are killed (``grader._descendants``);
- the child's result is only believed when it is complete, authenticated with the run's
  key (``grader._channel``: a submission can write to every file it has open) and has the
  contract's shape;
- the child holds the read end of a pipe whose write end only this process holds: when
  this process ends, even by ``SIGKILL``, the child's stand-in reads end-of-file and ends
  the grading and everything the submission started.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

from ._channel import KEY_BYTES, LOST, READY, RESULT_BYTES, unframe
from ._descendants import (
    ENV_TOKEN,
    become_subreaper,
    is_running,
    kill_descendants,
    our_children,
)
from .contract import LIMITS, Result, Status, make_error, make_result, message, seconds_text

__all__ = [
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "MAX_TIMEOUT",
    "MIN_TIMEOUT",
    "READY",
    "become_subreaper",
    "grade_isolated",
]

DEFAULT_TIMEOUT = LIMITS["time_limit_s"]
DEFAULT_MEMORY_MB = int(LIMITS["memory_mb"])
MAX_TIMEOUT = 600.0  # ten minutes: more than any exercise here could need
MIN_TIMEOUT = 0.1  # less would stop any submission before Python has run a line of it
_STARTUP_S = 30.0  # Python, numpy and the trusted outcomes, before the learner's clock
_DRAIN_S = 1.0  # after the child ended, how long its pipes may take to empty
_UNREAD_S = 5.0  # after the child ended, at most this for the unread line naming the grader
_RESULT_BYTES = RESULT_BYTES  # the name other runners of grading processes import
_STDERR_HEAD, _STDERR_TAIL = 2048, 6144  # what is kept of the child's error output
_ROOT = str(Path(__file__).resolve().parent.parent)


class _Capture:
    """Keep the start and the end of a byte stream, count what was cut in between."""

    def __init__(self, head: int, tail: int) -> None:
        self.head, self.tail = bytearray(), bytearray()
        self._head_max, self._tail_max = head, tail
        self.cut = 0
        self.first_byte_at: float | None = None
        self.ended = False  # the stream reached its end (every writer closed it)
        self.lock = threading.Lock()

    def add(self, chunk: bytes) -> None:
        with self.lock:
            if self.first_byte_at is None:
                self.first_byte_at = time.monotonic()
            room = self._head_max - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            self.tail += chunk
            extra = len(self.tail) - self._tail_max
            if extra > 0:
                del self.tail[:extra]
                self.cut += extra

    def text(self) -> str:
        with self.lock:
            head, tail, cut = bytes(self.head), bytes(self.tail), self.cut
        marker = f"\n[... {cut:,} bytes cut ...]\n".encode() if cut else b""
        return (head + marker + tail).decode("utf-8", "backslashreplace")


def _pump(stream: BinaryIO, capture: _Capture) -> None:
    fd = stream.fileno()
    try:
        while chunk := os.read(fd, 65536):
            capture.add(chunk)
    except OSError:
        pass
    finally:
        capture.ended = True


def _reader(stream: BinaryIO, capture: _Capture) -> threading.Thread:
    # A daemon thread: one blocked on a pipe that an unkillable process still holds
    # must not keep the CLI from exiting.
    thread = threading.Thread(target=_pump, args=(stream, capture), daemon=True)
    thread.start()
    return thread


def grade_isolated(
    exercise_id: str,
    source: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> Result:
    """Like ``grade()``, but in a child Python with limits; returns a ``timeout`` result
    when ``timeout`` seconds (counted from when the learner's code starts) run out."""
    if not MIN_TIMEOUT <= timeout <= MAX_TIMEOUT:
        raise ValueError(
            f"timeout must be at least {MIN_TIMEOUT:g} s and at most {MAX_TIMEOUT:g} s"
        )
    token = secrets.token_hex(16)
    key = secrets.token_bytes(KEY_BYTES)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_ROOT, env.get("PYTHONPATH")]))
    # One BLAS thread: fewer surprises under the address-space limit and across fork().
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env["PYTHONIOENCODING"] = "utf-8"
    env[ENV_TOKEN] = token
    known = our_children()
    # Only this process holds the write end: its end, however it comes, closes it.
    watch_read, watch_write = os.pipe() if os.name == "posix" else (-1, -1)
    args = [exercise_id, str(memory_mb), repr(timeout), str(watch_read)]
    try:
        with tempfile.TemporaryFile() as stdin:
            stdin.write(key.hex().encode() + b"\n" + source.encode("utf-8", "surrogatepass"))
            stdin.seek(0)
            process = subprocess.Popen(
                [sys.executable, "-m", "grader._child", *args],
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,
                pass_fds=(watch_read,) if watch_read >= 0 else (),
            )
    except BaseException:
        _close(watch_write)
        raise
    finally:
        _close(watch_read)
    out = _Capture(RESULT_BYTES + 1, 0)
    err = _Capture(_STDERR_HEAD, _STDERR_TAIL)
    readers = [_reader(process.stdout, out), _reader(process.stderr, err)]
    try:
        timed_out, code, orphan_code = _wait(process, out, timeout)
    finally:
        # Also on Ctrl+C or SIGTERM in the CLI: nothing the child started outlives this.
        _kill(process)
        kill_descendants(process.pid, token, known | {process.pid})
        _close(watch_write)
    end = time.monotonic() + _DRAIN_S
    for stream, thread in zip((process.stdout, process.stderr), readers, strict=True):
        thread.join(max(0.0, end - time.monotonic()))
        if not thread.is_alive():  # else a survivor holds the pipe: leave it to the thread
            stream.close()
    if timed_out:
        return make_result(
            exercise_id, Status.TIMEOUT, message("timeout", seconds=seconds_text(timeout))
        )
    if code is not None and code < 0:
        # Killed while the grading went on, or just after it finished (a busy machine: the
        # grading process wrote its whole result and ended before the kill landed, and
        # the child reaped it); either way the submission killed the grader's parent.
        grading = _grading_pid(out)
        finished = grading not in (None, process.pid) and _valid_result(out, exercise_id, key)
        if orphan_code is not None or finished:
            feedback = message("killed_parent", signal=_signal_name(-code))
            error = make_error("ParentKilled", feedback)
            return make_result(exercise_id, Status.ERROR, feedback, error=error)
        # Killed by a signal: whatever result it wrote may be cut short.
        return _describe_exit(exercise_id, code, err.text(), memory_mb, timeout)
    result = _valid_result(out, exercise_id, key)
    if result is not None:
        return result
    if code == LOST or (code is not None and code >= 0 and _wrote_after_ready(out)):
        feedback = message("channel")
        error = {"type": "ChannelBroken", "message": feedback, "line": None, "traceback": ""}
        return make_result(exercise_id, Status.ERROR, feedback, error=error)
    return _describe_exit(exercise_id, code, err.text(), memory_mb, timeout)


def _close(fd: int) -> None:
    if fd >= 0:
        try:
            os.close(fd)
        except OSError:
            pass


def _wrote_after_ready(out: _Capture) -> bool:
    """Whether bytes that are not the result followed the READY line: learner code wrote
    on the result pipe."""
    with out.lock:
        ready, newline, rest = bytes(out.head).partition(b"\n")
    return bool(newline and ready.startswith(READY) and rest)


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


def _wait(
    process: subprocess.Popen, out: _Capture, timeout: float
) -> tuple[bool, int | None, int | None]:
    """Wait until grading ends; return (whether the time ran out, the child's exit
    status, the grading process's exit status if it outlived the child).

    Grading ends with the grading process, which the child forked (``grader._child``).
    It outlives the child only when something killed the child (the submission's
    ``os.kill(os.getppid(), ...)``); on Linux it is then killed as well, and this process,
    a subreaper, adopts it and learns how it ended.
    """
    started = time.monotonic()
    code: int | None = None
    exited_at = 0.0
    while True:
        ready_at = out.first_byte_at
        deadline = (
            (ready_at + timeout) if ready_at is not None else (started + _STARTUP_S + timeout)
        )
        if code is None:
            code = process.poll()
            if code is not None:
                exited_at = time.monotonic()
        if code is not None:
            grading = _grading_pid(out)
            if grading is None and not out.ended and time.monotonic() < exited_at + _UNREAD_S:
                # The child is gone, but the line naming the grading process may still be
                # in the pipe, not yet read (a busy machine): without it, a killed child
                # would look like a crash.
                time.sleep(0.01)
                continue
            if grading is None or grading == process.pid:
                return False, code, None
            running, status = _still_running(grading)
            if not running:
                return False, code, status
        left = deadline - time.monotonic()
        if left <= 0:
            return True, code, None
        if code is None:
            try:
                process.wait(min(left, 0.05))
            except subprocess.TimeoutExpired:
                pass
        else:
            time.sleep(min(left, 0.05))


def _grading_pid(out: _Capture) -> int | None:
    with out.lock:
        line = bytes(out.head[:32]).partition(b"\n")
    if not line[1] or not line[0].startswith(READY):
        return None
    try:
        return int(line[0][len(READY) :])
    except ValueError:
        return None


def _still_running(pid: int) -> tuple[bool, int | None]:
    """Whether ``pid`` runs; its exit status when it was adopted by us and just ended."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child (no subreaper here): just look
        return is_running(pid), None
    if not done:
        return True, None
    return False, os.waitstatus_to_exitcode(status)


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (AttributeError, OSError):  # no process groups here, or it is gone
            process.kill()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:  # stuck in the kernel: leave it, still report
        pass


def _valid_result(out: _Capture, exercise_id: str, key: bytes | None = None) -> Result | None:
    """The child's result if it wrote one that is complete, framed with ``key`` and has
    the contract's shape. Without a key, what follows the READY line is taken as the
    result's JSON: a runner that does this believes anything the submission wrote."""
    with out.lock:
        data = bytes(out.head)
    ready, newline, rest = data.partition(b"\n")
    if not ready.startswith(READY) or not newline:
        return None
    payload = rest if key is None else unframe(key, rest)
    if payload is None or len(payload) > RESULT_BYTES:
        return None
    try:
        raw = json.loads(payload.decode("utf-8"))
        return _as_result(raw, exercise_id)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _as_result(raw: Any, exercise_id: str) -> Result | None:
    def of(value: Any, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise TypeError(value)
        return value

    if of(raw, dict)["exercise"] != exercise_id:
        return None
    checks = []
    for check in of(raw["checks"], list):
        item = {
            "name": of(check["name"], str),
            "passed": of(check["passed"], bool),
            "message": of(check["message"], str),
        }
        if "line" in check:
            item["line"] = of(check["line"], int)
        checks.append(item)
    error = raw["error"]
    if error is not None:
        line = error["line"]
        error = {
            "type": of(error["type"], str),
            "message": of(error["message"], str),
            "line": None if line is None else of(line, int),
            "traceback": of(error["traceback"], str),
        }
    score = of(raw["score"], (int, float))
    if isinstance(score, bool) or not math.isfinite(score):
        return None
    return make_result(
        exercise_id,
        Status(of(raw["status"], str)),
        of(raw["feedback"], str),
        score=score,
        checks=checks,
        error=error,
        stdout=of(raw["stdout"], str),
    )


def _describe_exit(
    exercise_id: str, code: int | None, stderr: str, memory_mb: int, timeout: float
) -> Result:
    """An honest result for a child that gave no (valid) result."""
    if code is None:  # could not be reaped; only reachable in a broken kernel state
        code = -9
    if code < 0:
        signum = -code
        if signum == getattr(signal, "SIGXCPU", None):  # its CPU-time limit ran out
            feedback = message("timeout", seconds=seconds_text(timeout))
            return make_result(exercise_id, Status.TIMEOUT, feedback)
        feedback, kind = message("signal", signal=_signal_name(signum)), "Crash"
    elif "MemoryError" in stderr:
        feedback, kind = message("memory", memory=f"{memory_mb} MB"), "MemoryError"
    elif not stderr.strip():
        feedback, kind = message("process_exit", code=code), "ProcessExit"
    else:
        feedback, kind = message("no_result", code=code), "NoResult"
    error = make_error(kind, feedback, traceback=stderr)
    return make_result(exercise_id, Status.ERROR, feedback, error=error)
