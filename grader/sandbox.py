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
from typing import Any

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "grade_isolated"]

DEFAULT_TIMEOUT = 5.0
DEFAULT_MEMORY_MB = 1024
_ROOT = str(Path(__file__).resolve().parent.parent)


def _bare_result(exercise_id: str, status: str, feedback: str, error: dict | None) -> dict:
    return {
        "exercise": exercise_id,
        "status": status,
        "score": 0.0,
        "feedback": feedback,
        "checks": [],
        "error": error,
        "stdout": "",
    }


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
) -> dict[str, Any]:
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
        return _bare_result(
            exercise_id,
            "timeout",
            f"Your code ran for more than {timeout:g} seconds and was stopped: "
            "is there a loop that never ends?",
            None,
        )
    if process.returncode == 0:
        try:
            return json.loads(out.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            pass
    return _bare_result(exercise_id, "error", *_describe_exit(process.returncode, err))


def _describe_exit(code: int, stderr: bytes) -> tuple[str, dict]:
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals else str(-code)
        message = (
            f"Python was stopped by signal {name} before grading finished, most likely "
            "because your code used too much memory."
        )
        kind = "Crash"
    elif b"MemoryError" in stderr:
        message = "Your code used more memory than the grader allows."
        kind = "MemoryError"
    else:
        message = (
            f"Your code ended the Python process (exit code {code}) before grading "
            "finished: remove the os._exit() (or similar) call and return a value instead."
        )
        kind = "ProcessExit"
    return message, {"type": kind, "message": message, "line": None, "traceback": ""}
