"""Grade under the site's own Python: the pinned Pyodide, in Node, as the page grades.

The page grades under Pyodide's Python (3.14), the command line by default under the
CPython that runs it, and new syntax, new functions and ``sum()``'s rounding differ
between the two: a submission can pass in the page and fail here. Where the verdict must
be the one the learner saw (``python -m grader check``, the gradebook), this module grades
it where the page did: ``scripts/site-python.mjs`` boots Pyodide once in Node with the
grader archive and the standard library the site ships, and restores every submission
into a fresh interpreter and worker thread from a memory snapshot taken before any
learner code ran.

>>> jobs = [("l2-penalty", "type W = list[float]\\ndef l2_penalty(w: W):\\n    return 0.0\\n")]
>>> [r["status"] for r in grade_batch(jobs)]  # doctest: +SKIP
['fail']

It needs ``node`` (20+), ``node_modules/pyodide`` and the repository's ``hooks/`` (which
build the archive and the standard library, kept in ``build/``); once ``find_runtime()``
has made its files, grading reads only ``SiteRuntime.read_paths()`` and writes nothing,
so it also runs in a read-only sandbox. Without them, ``python="auto"`` grades with
CPython (``grader.sandbox``). A submission that imports a package this Pyodide does not
have offline (numpy) is graded by CPython too.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .catalogue import get_exercise
from .contract import Result, Status, make_result, message, seconds_text
from .sandbox import DEFAULT_TIMEOUT, grade_isolated

__all__ = [
    "PYTHONS",
    "SitePython",
    "SitePythonUnavailable",
    "SiteRuntime",
    "find_runtime",
    "grade_batch",
    "grade_with",
]

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path("scripts") / "site-python.mjs"
PYTHONS = ("auto", "site", "host")  # --python: the site's if it is here, the site's, CPython
_BOOT_S = 180.0  # Pyodide's first boot, the grader's plans included, on a busy machine
_START_S = 60.0  # a restored interpreter coming up for a job, before its clock starts
_MARGIN_S = 5.0  # past the time limit, before Node itself is taken to be stuck
_LINE_BYTES = 8 << 20  # a result is far smaller: a longer line is not ours


class SitePythonUnavailable(Exception):
    """The site's Python cannot run here; the message says why, in one sentence."""


@dataclass(frozen=True)
class SiteRuntime:
    """What grading under the site's Python runs and reads."""

    node: Path  #: the node executable
    script: Path  #: scripts/site-python.mjs
    pyodide: Path  #: node_modules/pyodide: the core the site ships
    archive: Path  #: the grader archive the page unpacks (sources and shipped plans)
    stdlib: Path  #: the standard library as the site ships it (split, precompiled)
    rest: Path | None  #: the rest of it, loaded on first use; None if not split

    def read_paths(self) -> tuple[Path, ...]:
        """Every file or folder Node reads (a sandbox must let it, read-only)."""
        return tuple(p for p in (self.node, self.script, self.pyodide, self.archive,
                                 self.stdlib, self.rest) if p is not None)

    def command(self) -> list[str]:
        files = [self.pyodide, self.archive, self.stdlib, *([self.rest] if self.rest else [])]
        return [str(self.node), *_permission_flags(self), str(self.script), *map(str, files)]


def _permission_flags(runtime: SiteRuntime) -> list[str]:
    """Node's permission model, where this Node has it: the submission (which reaches Node
    through Pyodide's ``js`` module) may read only what grading reads, write no file and
    start no process."""
    try:
        version = subprocess.run([str(runtime.node), "--version"], capture_output=True,
                                 text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = re.match(r"v(\d+)\.(\d+)", version)
    if not found:
        return []
    major, minor = int(found[1]), int(found[2])
    if major < 20:
        return []
    stable = major > 22 or (major == 22 and minor >= 13)
    reads = [str(p) for p in runtime.read_paths()[1:]]
    return ["--permission" if stable else "--experimental-permission", "--no-warnings",
            "--allow-worker", *(f"--allow-fs-read={p}" for p in reads)]


def find_runtime(root: Path = ROOT) -> SiteRuntime:
    """The site's Python as the site is built now; makes its files in ``build/`` the
    first time (Node, a few seconds). ``SitePythonUnavailable`` says what is missing."""
    node = shutil.which("node")
    pyodide = root / "node_modules" / "pyodide"
    if not node:
        raise SitePythonUnavailable("the site's Python needs node, which is not on PATH")
    if not (pyodide / "pyodide.mjs").is_file() or not (root / SCRIPT).is_file():
        raise SitePythonUnavailable(
            f"the site's Python needs {pyodide} and {root / SCRIPT} (run ./dev setup)")
    archive, boot, rest = _site_files(root)
    key = hashlib.sha256(archive + boot + (rest or b"")).hexdigest()[:16]
    folder = _kept(root / "build" / f"site-python-{key}", archive, boot, rest)
    # Real paths: Node's permission model checks those, and a symlinked node_modules
    # would need its parent readable too.
    folder, pyodide = folder.resolve(), pyodide.resolve()
    return SiteRuntime(Path(node), (root / SCRIPT).resolve(), pyodide, folder / "grader.zip",
                       folder / "python_stdlib.zip",
                       folder / "python_stdlib_rest.zip" if rest else None)


def _site_files(root: Path) -> tuple[bytes, bytes, bytes | None]:
    """The grader archive and the standard library, made as the site build makes them."""
    if str(root) not in sys.path:
        sys.path.append(str(root))
    try:
        from hooks.grader_archive import ExerciseProblems, grader_archive_bytes
        from hooks.stdlib import shipped_stdlib
    except ImportError as error:
        raise SitePythonUnavailable(
            f"the site's Python needs the course's build hooks ({error})") from None
    try:
        archive = grader_archive_bytes(root)
    except ExerciseProblems as problems:
        raise SitePythonUnavailable(f"an exercise fails under Pyodide: {problems}") from None
    stdlib = shipped_stdlib(root, archive)
    return archive, stdlib.boot, stdlib.rest


def _kept(folder: Path, archive: bytes, boot: bytes, rest: bytes | None) -> Path:
    """``folder`` with the three files (written whole, once); a temporary folder where
    ``build/`` cannot be written."""
    files = {"grader.zip": archive, "python_stdlib.zip": boot}
    if rest:
        files["python_stdlib_rest.zip"] = rest
    if all((folder / name).is_file() for name in files):
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.parent.glob("site-python-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="site-python-"))
    for name, data in files.items():
        partial = folder / f"{name}.{os.getpid()}.partial"
        partial.write_bytes(data)
        os.replace(partial, folder / name)
    return folder


class SitePython:
    """One Node process that grades submission after submission, each in a fresh
    interpreter restored from the pristine snapshot; a context manager.

    ``grade()`` returns the result, or None for a submission that needs a package this
    Pyodide does not have here. A time-out ends only that job; if Node itself ends (a
    submission can end it through ``js``), the job says so and the next one starts Node
    again.
    """

    def __init__(self, runtime: SiteRuntime | None = None, *, sandbox: bool = False) -> None:
        self.runtime = runtime or find_runtime()
        self.sandbox = sandbox  #: run Node under bubblewrap, reading only read_paths()
        self.python: tuple[int, ...] | None = None  # the site's Python version, once up
        self.boot_s: float | None = None  # how long Node took to boot it, once up
        self._process: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._jobs = 0

    def __enter__(self) -> SitePython:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Boot Node and Pyodide now (else the first ``grade()`` does)."""
        if self._process is not None:
            return
        from ._descendants import die_with_parent

        token = secrets.token_hex(16)
        parent = os.getpid()
        self._lines = queue.Queue()
        # Only PATH: learner code can read Node's environment through `js`.
        command = self.runtime.command()
        if self.sandbox:
            from .bwrap import wrap_command

            command = wrap_command(command, self.runtime.read_paths())
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env={"PATH": os.environ.get("PATH", "")},
            cwd=str(self.runtime.pyodide), start_new_session=True,
            preexec_fn=lambda: die_with_parent(parent),
        )
        self._stderr = _Tail()
        threading.Thread(target=_read_lines, args=(self._process.stdout, token, self._lines),
                         daemon=True).start()
        threading.Thread(target=self._stderr.pump, args=(self._process.stderr,),
                         daemon=True).start()
        self._send({"token": token})
        ready = self._next(_BOOT_S)
        if not ready or ready.get("type") != "ready":
            said = self._stderr.text()
            self.close()
            raise SitePythonUnavailable(
                "Pyodide did not start in Node" + (f": {said}" if said else ""))
        self.python = tuple(ready["python"])
        self.boot_s = ready["boot_ms"] / 1000

    def grade(self, exercise_id: str, source: str, *,
              timeout: float = DEFAULT_TIMEOUT) -> Result | None:
        """The site's verdict on ``source``, graded in a fresh interpreter; None if it
        needs a package the site's Python does not have here."""
        spec = get_exercise(exercise_id)
        self.start()
        self._jobs += 1
        job = self._jobs
        self._send({"id": job, "exercise": spec.id, "code": source, "timeout": timeout,
                    "requires": list(spec.requires)})
        reply = self._next(_START_S)
        if reply and reply.get("type") == "start":
            reply = self._next(timeout + _MARGIN_S)
            if reply is None and self._alive():
                self.close()  # Node is stuck: end it, and start again next time
                reply = {"type": "timeout"}
        if reply is None or reply.get("id") != job:
            code = self._ended()
            return _error(spec.id, message("no_result", code=code), "NoResult")
        kind = reply.get("type")
        if kind == "needs":
            return None
        if kind == "timeout":
            return make_result(spec.id, Status.TIMEOUT,
                               message("timeout", seconds=seconds_text(timeout)))
        if kind == "crashed":
            return _error(spec.id, message("crashed"), "Crashed")
        return _checked(reply.get("result"), spec.id)

    def close(self) -> None:
        """End Node and everything it started."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            os.killpg(process.pid, 9)
        except OSError:
            pass
        process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            try:
                stream.close()
            except OSError:
                pass

    def _send(self, data: dict[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(data).encode() + b"\n")
            self._process.stdin.flush()
        except OSError:
            pass  # Node has ended: the reply that never comes says so

    def _next(self, seconds: float) -> dict[str, Any] | None:
        try:
            return self._lines.get(timeout=seconds)
        except queue.Empty:
            return None

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _ended(self) -> int | str:
        """Node's exit code, after ending it (the next job starts it again)."""
        process = self._process
        code: int | str = "unknown"
        if process is not None:
            try:
                code = process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        self.close()
        return code


def _read_lines(stream: IO[bytes], token: str, lines: queue.Queue) -> None:
    """Put every line that carries ``token`` on ``lines``, parsed; None at the end."""
    mark = token.encode() + b" "
    try:
        while True:
            line = stream.readline(_LINE_BYTES)
            if not line:
                break
            if line.startswith(mark) and line.endswith(b"\n"):
                try:
                    lines.put(json.loads(line[len(mark):]))
                except ValueError:
                    pass
    except (OSError, ValueError):
        pass
    lines.put(None)


class _Tail:
    """The last few lines Node wrote to stderr, for a boot that fails."""

    def __init__(self) -> None:
        self.kept = b""

    def pump(self, stream: IO[bytes]) -> None:
        try:
            for chunk in iter(lambda: stream.read(4096), b""):
                self.kept = (self.kept + chunk)[-2048:]
        except (OSError, ValueError):
            pass

    def text(self) -> str:
        lines = self.kept.decode("utf-8", "replace").strip().splitlines()
        return " / ".join(line for line in lines[-3:] if len(line) < 300)


def _error(exercise: str, feedback: str, kind: str) -> Result:
    error = {"type": kind, "message": feedback, "line": None, "traceback": ""}
    return make_result(exercise, Status.ERROR, feedback, error=error)  # type: ignore[arg-type]


def _checked(raw: Any, exercise: str) -> Result:
    """``raw`` if it has the contract's shape, else an error result."""
    keys = ("exercise", "status", "score", "feedback", "checks", "error", "stdout")
    if (isinstance(raw, dict) and tuple(raw) == keys and raw["exercise"] == exercise
            and raw["status"] in {str(s) for s in Status} and isinstance(raw["checks"], list)):
        raw["score"] = float(raw["score"])
        return raw  # type: ignore[return-value]
    return _error(exercise, message("no_result", code=0), "NoResult")


def grade_with(python: str, exercise_id: str, source: str, *,
               timeout: float = DEFAULT_TIMEOUT) -> Result:
    """One submission, graded by ``python`` (one of ``PYTHONS``): ``site`` raises
    ``SitePythonUnavailable`` where Node or Pyodide is missing, ``auto`` then uses CPython."""
    return grade_batch([(exercise_id, source)], python=python, timeout=timeout)[0]


def grade_batch(jobs: Iterable[tuple[str, str]], *, python: str = "auto",
                timeout: float = DEFAULT_TIMEOUT,
                runtime: SiteRuntime | None = None) -> list[Result]:
    """Grade ``(exercise_id, source)`` pairs, each in a fresh interpreter, in order.

    ``python="auto"`` (the default) grades under the site's Python where it can run, else
    under CPython in a child process per submission (``grader.sandbox``); ``"site"``
    raises ``SitePythonUnavailable`` rather than fall back; ``"host"`` is CPython only.
    A submission the site's Python cannot grade here (it needs numpy) goes to CPython.
    """
    if python not in PYTHONS:
        raise ValueError(f"python must be one of {', '.join(PYTHONS)}, not {python!r}")
    jobs = list(jobs)
    site: SitePython | None = None
    if python != "host" and jobs:
        try:
            site = SitePython(runtime)
            site.start()
        except SitePythonUnavailable:
            if python == "site":
                raise
            site = None
    results: list[Result] = []
    try:
        for exercise_id, source in jobs:
            result = site.grade(exercise_id, source, timeout=timeout) if site else None
            if result is None:
                result = grade_isolated(exercise_id, source, timeout=timeout)
            results.append(result)
    finally:
        if site is not None:
            site.close()
    return results
