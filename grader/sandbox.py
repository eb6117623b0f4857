"""Grade in a child process with a time and a memory limit.

Whatever the submission does (``while True``, a memory bomb, ``sys.exit()``,
``os._exit()``, printing to the raw file descriptors) the caller gets a result dict back,
never a hang or a crash.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from .contract import LIMITS, Result, make_result, message, seconds_text

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "grade_isolated"]

DEFAULT_TIMEOUT = LIMITS["time_limit_s"]
DEFAULT_MEMORY_MB = int(LIMITS["memory_mb"])
_ROOT = str(Path(__file__).resolve().parent.parent)


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


def grade_isolated(
    exercise_id: str,
    source: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> Result:
    """Like ``grade()``, but in a child Python with limits; returns a ``timeout`` result
    when ``timeout`` seconds run out."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_ROOT, env.get("PYTHONPATH")]))
    # One BLAS thread: fewer surprises under the address-space limit.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env["PYTHONIOENCODING"] = "utf-8"
    process = subprocess.Popen(
        [sys.executable, "-m", "grader._child", exercise_id, str(memory_mb), str(timeout)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(source.encode("utf-8", "surrogatepass"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        return make_result(
            exercise_id, "timeout", message("timeout", seconds=seconds_text(timeout))
        )
    if process.returncode == 0:
        try:
            return json.loads(out.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            pass
    feedback, kind = _describe_exit(process.returncode, err, memory_mb)
    error = {"type": kind, "message": feedback, "line": None, "traceback": ""}
    return make_result(exercise_id, "error", feedback, error=error)


def _describe_exit(code: int, stderr: bytes, memory_mb: int) -> tuple[str, str]:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return message("signal", signal=name), "Crash"
    if b"MemoryError" in stderr:
        return message("memory", memory=f"{memory_mb} MB"), "MemoryError"
    return message("process_exit", code=code), "ProcessExit"
