"""Grade one work file's exercises together: one runner process (sandboxed or not) for all.

``grade_batch(items)`` is the gradebook's one call into a runtime: it takes the
``(exercise_id, code)`` pairs of one learner and returns one result per pair, each what
``python -m grader check`` gives the same code. Another runtime (Pyodide in Node, say)
can stand in for it with the same signature.

The runner (``grader._batch``) streams a result per exercise. If it dies or stops
answering (a submission killed or stopped it), the exercise it was grading gets an
``error`` (or ``timeout``) result and the rest are graded again in a fresh runner, so a
runaway in one exercise costs that exercise its time limit, never the learner's others.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from . import bwrap
from ._descendants import ENV_TOKEN, kill_descendants
from .catalogue import all_exercises
from .contract import Result, Status, make_result, message, seconds_text
from .sandbox import _RESULT_BYTES, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, _as_result

__all__ = ["SandboxUnavailable", "grade_batch"]

_ROOT = str(Path(__file__).resolve().parent.parent)
_STARTUP_S = 30.0  # Python, numpy and every trusted outcome, before the first exercise
_MARGIN_S = 5.0  # per exercise, beyond its time limit: forking, killing, writing


class SandboxUnavailable(RuntimeError):
    """bubblewrap does not work here; the message says why in one sentence."""


def grade_batch(
    items: Sequence[tuple[str, str]],
    *,
    sandbox: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> list[Result]:
    """One result per ``(exercise_id, code)``, in order; every exercise id must exist."""
    if sandbox:
        ok, why = bwrap.available()
        if not ok:
            raise SandboxUnavailable(why)
    results: list[Result] = []
    while len(results) < len(items):
        done, failure = _run(items[len(results) :], sandbox, timeout, memory_mb)
        results += done
        if failure is not None:
            results.append(failure(items[len(results)][0]))
    return results


_PLANS_LOCK = threading.Lock()


def _plans() -> str:
    """The plans, computed by one thread only: computing swaps sys.stdout while it runs."""
    with _PLANS_LOCK:
        return _compute_plans()


@functools.cache
def _compute_plans() -> str:
    """Every exercise's trusted outcomes, computed once here (a process that runs no
    learner code) and handed to each runner, which would otherwise spend most of its
    time recomputing them; an exercise whose plan cannot be made here is left out."""
    from . import grading

    plans = {}
    for spec in all_exercises().values():
        try:
            plans[spec.id] = grading._compute_plan(spec)
        except Exception:  # noqa: BLE001 - the runner computes it and says what is wrong
            continue
    return base64.b64encode(grading.dumps(plans)).decode("ascii")


def _run(items, sandbox, timeout, memory_mb):
    """Results of a prefix of ``items``, and if the runner failed before the end, a
    function giving the result of the exercise it was grading."""
    token = secrets.token_hex(16)
    job = {
        "timeout": timeout,
        "memory_mb": memory_mb,
        "items": [list(item) for item in items],
        "plans": _plans(),
    }
    argv = [sys.executable, "-m", "grader._batch"]
    if sandbox:
        argv, env = bwrap.wrap(argv, {ENV_TOKEN: token}), None
    else:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_ROOT, env.get("PYTHONPATH")]))
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        env["PYTHONIOENCODING"] = "utf-8"
        env[ENV_TOKEN] = token
    with tempfile.TemporaryFile() as stdin:
        stdin.write(json.dumps(job).encode("utf-8", "surrogatepass"))
        stdin.seek(0)
        process = subprocess.Popen(
            argv,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd="/" if sandbox else None,
            start_new_session=True,
        )
    lines: queue.Queue[bytes | None] = queue.Queue()
    reader = threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True)
    reader.start()
    results: list[Result] = []
    budget = _STARTUP_S + timeout + _MARGIN_S
    failure = None
    try:
        while len(results) < len(items):
            try:
                line = lines.get(timeout=budget)
            except queue.Empty:  # the runner stopped answering: stopped, or stuck
                failure = _timed_out(timeout)
                break
            result = _parse(line, len(results), items[len(results)][0])
            if result is None:  # ended, or wrote what is not a result: it was killed
                failure = _killed(process)
                break
            results.append(result)
            budget = timeout + _MARGIN_S
    finally:
        _stop(process, token, sandbox)
    reader.join(1.0)
    if not reader.is_alive():  # else a survivor holds the pipe: leave it to the thread
        process.stdout.close()
    return results, failure


def _lines(stream, lines: queue.Queue) -> None:
    try:
        while line := stream.readline(_RESULT_BYTES + 100):
            lines.put(line)
    except (OSError, ValueError):
        pass
    lines.put(None)


def _parse(line: bytes | None, index: int, exercise_id: str) -> Result | None:
    if not line or not line.endswith(b"\n"):
        return None
    try:
        raw = json.loads(line)
        if raw["index"] != index:
            return None
        return _as_result(raw["result"], exercise_id)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _timed_out(timeout: float):
    return lambda exercise_id: make_result(
        exercise_id, Status.TIMEOUT, message("timeout", seconds=seconds_text(timeout))
    )


def _killed(process: subprocess.Popen):
    try:
        code = process.wait(5)
    except subprocess.TimeoutExpired:
        code = -signal.SIGKILL
    signum = -code if code < 0 else (code - 128 if code > 128 else signal.SIGKILL)
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = str(signum)
    feedback = message("killed_parent", signal=name)

    def result(exercise_id: str) -> Result:
        error = {"type": "ParentKilled", "message": feedback, "line": None, "traceback": ""}
        return make_result(exercise_id, Status.ERROR, feedback, error=error)

    return result


def _stop(process: subprocess.Popen, token: str, sandbox: bool) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            process.kill()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        pass
    if not sandbox:  # in the sandbox, the pid namespace ends with its first process
        kill_descendants(process.pid, token, {process.pid})

