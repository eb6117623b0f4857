"""Grade work files with long-lived runner processes (sandboxed or not), one file at a time.

A ``Runner`` is one ``grader._batch`` process: it loads Python, numpy, the grader and the
trusted outcomes once, then grades one work file after another, each exercise in a
process forked from that untouched state (with a ``/tmp`` of its own in the sandbox), and
kills whatever that exercise's code left running before it answers. ``Runners`` gives
each thread of the gradebook (``--jobs``) a runner of its own and closes them together.
``grade_batch(items)`` grades one learner's ``(exercise_id, code)`` pairs in a runner
started for them alone, as ``check`` does; each result is what ``python -m grader check``
gives the same code. Another runtime (Pyodide in Node, say) can stand in for it with the
same signature.

A runner streams a result per exercise. If it dies or stops answering (a submission
killed or stopped it), the exercise it was grading gets an ``error`` (or ``timeout``)
result and the rest are graded in a fresh runner, so a runaway in one exercise costs
that exercise its time limit, never the learner's others, and never another learner's.
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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from . import bwrap
from ._descendants import ENV_TOKEN, children_not_of, kill_descendants
from ._per_thread import PerThread
from .catalogue import all_exercises, get_exercise
from .contract import Result, Status, make_result, message, seconds_text
from .sandbox import _RESULT_BYTES, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, _as_result

__all__ = ["Runner", "RunnerUnavailable", "Runners", "SandboxUnavailable", "grade_batch"]

_ROOT = str(Path(__file__).resolve().parent.parent)
_STARTUP_S = 30.0  # Python, numpy and every trusted outcome, before the first exercise
_MARGIN_S = 5.0  # per exercise, beyond its time limit: forking, killing, writing
_STARTS = 2  # a runner that twice fails to start (having run no learner code) is broken
_STDERR_TAIL = 2_000  # what a runner that failed to start is quoted by


class RunnerUnavailable(RuntimeError):
    """A runner cannot start here; the message says why in one sentence."""


class SandboxUnavailable(RunnerUnavailable):
    """bubblewrap does not work here; the message says why in one sentence."""


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
    import pickle

    from . import plans as trusted

    plans = {}
    for spec in all_exercises().values():
        try:
            plans[spec.id] = trusted._compute(spec)
        except Exception:  # noqa: BLE001 - the runner computes it and says what is wrong
            continue
    return base64.b64encode(pickle.dumps(plans)).decode("ascii")


Failure = Callable[[str], Result]


class Runner:
    """One long-lived runner process; ``grade`` takes one learner's items at a time."""

    def __init__(
        self,
        *,
        sandbox: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB,
        user: int | None = None,
        numpy: bool = True,
    ) -> None:
        """``user``: outside the sandbox, a root runner runs the learner's code as this
        uid (``nobody``, say), so it cannot write the runner's files. ``numpy``: load it
        once in the runner (else each grading process that needs it loads it)."""
        if sandbox:
            ok, why = bwrap.available()
            if not ok:
                raise SandboxUnavailable(why)
        self.sandbox, self.timeout, self.memory_mb = sandbox, timeout, memory_mb
        self.user = None if sandbox else user
        self.numpy = numpy
        self._process: subprocess.Popen | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._reader: threading.Thread | None = None
        self._stderr: IO[bytes] | None = None
        self._token = ""

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def grade(self, items: Sequence[tuple[str, str]]) -> list[Result]:
        """One result per ``(exercise_id, code)``, in order; every exercise id must exist."""
        results: list[Result] = []
        while len(results) < len(items):
            done, failure = self._grade(items[len(results) :])
            results += done
            if failure is not None:
                results.append(failure(items[len(results)][0]))
                self.close()  # the rest in a fresh runner
        return results

    def close(self) -> None:
        """End the runner (a new one starts if ``grade`` is called again)."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.stdin.close()  # the runner ends when its requests do
        except OSError:
            pass
        try:
            process.wait(2)
        except subprocess.TimeoutExpired:
            pass
        _stop(process, self._token, self.sandbox)
        if self._reader is not None:
            self._reader.join(1.0)
            if not self._reader.is_alive():  # else a survivor holds the pipe: leave it
                process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _grade(self, items: Sequence[tuple[str, str]]) -> tuple[list[Result], Failure | None]:
        """Results of a prefix of ``items``, and if the runner failed before the end, a
        function giving the result of the exercise it was grading."""
        request = json.dumps({"items": [list(item) for item in items]}) + "\n"
        for _ in range(_STARTS):
            self._ensure_started()
            try:  # a runner answers only once nothing of the last learner's is left
                self._process.stdin.write(request.encode("utf-8", "surrogatepass"))
                self._process.stdin.flush()
                break
            except OSError:  # it died between two learners: no one's fault, start again
                self.close()
        else:
            raise RunnerUnavailable("the grading runner keeps ending before it grades.")
        results: list[Result] = []
        while len(results) < len(items):
            try:
                line = self._lines.get(timeout=self.timeout + _MARGIN_S)
            except queue.Empty:  # the runner stopped answering: stopped, or stuck
                return results, _timed_out(self.timeout)
            result = _parse(line, len(results), items[len(results)][0])
            if result is None:  # ended, or wrote what is not a result: it was killed
                return results, _killed(self._process)
            results.append(result)
        return results, None

    def _ensure_started(self) -> None:
        why = ""
        for _ in range(_STARTS):
            if self._process is not None:
                return
            why = self._start()
            if not why:
                return
            self.close()
        raise (SandboxUnavailable if self.sandbox else RunnerUnavailable)(
            f"the grading runner did not start: {why}"
        )

    def _start(self) -> str:
        """Start a runner and wait until it is ready; "" or why it is not."""
        self._token = secrets.token_hex(16)
        argv = [sys.executable, "-m", "grader._batch"]
        if self.sandbox:
            argv, env = bwrap.wrap(argv, {ENV_TOKEN: self._token}), None
        else:
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [_ROOT, env.get("PYTHONPATH")]))
            env.setdefault("OPENBLAS_NUM_THREADS", "1")
            env["PYTHONIOENCODING"] = "utf-8"
            env[ENV_TOKEN] = self._token
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            cwd="/" if self.sandbox else None,
            start_new_session=True,
        )
        setup = {
            "timeout": self.timeout,
            "memory_mb": self.memory_mb,
            "sandbox": self.sandbox,
            "user": self.user,
            "numpy": self.numpy,
            "plans": _plans(),
        }
        self._lines = queue.Queue()
        self._reader = threading.Thread(
            target=_read_lines, args=(self._process.stdout, self._lines), daemon=True
        )
        self._reader.start()
        try:
            self._process.stdin.write(json.dumps(setup).encode() + b"\n")
            self._process.stdin.flush()
            line = self._lines.get(timeout=_STARTUP_S)
        except (OSError, queue.Empty):
            line = None
        if line == b'{"ready": true}\n':
            return ""
        self._stderr.seek(0)
        tail = self._stderr.read()[-_STDERR_TAIL:].decode("utf-8", "replace").strip()
        return (tail.splitlines() or ["it did not answer"])[-1].rstrip(".") + "."


class Runners:
    """A ``Runner`` per thread that calls ``grade_batch``, all closed by ``close``."""

    def __init__(self, **options: object) -> None:
        self._runners = PerThread(lambda: Runner(**options))

    def __enter__(self) -> Runners:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def grade_batch(self, items: Sequence[tuple[str, str]]) -> list[Result]:
        """``grade_batch(items)`` in this thread's runner."""
        return self._runners.get().grade(items)

    def close(self) -> None:
        self._runners.close()


def grade_batch(
    items: Sequence[tuple[str, str]],
    *,
    sandbox: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> list[Result]:
    """One result per ``(exercise_id, code)``, in order; every exercise id must exist."""
    numpy = any(spec.requires for spec in map(get_exercise, (i for i, _ in items)))
    with Runner(sandbox=sandbox, timeout=timeout, memory_mb=memory_mb, numpy=numpy) as runner:
        return runner.grade(items)


def _read_lines(stream, lines: queue.Queue) -> None:
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


def _timed_out(timeout: float) -> Failure:
    return lambda exercise_id: make_result(
        exercise_id, Status.TIMEOUT, message("timeout", seconds=seconds_text(timeout))
    )


def _killed(process: subprocess.Popen) -> Failure:
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
        # A subreaper's own children (other runners, a test's browser driver) are spared:
        # only this runner's orphans carry its token.
        kill_descendants(process.pid, token, children_not_of(token) | {process.pid})
