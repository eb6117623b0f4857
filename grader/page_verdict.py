"""The page's verdict for the gradebook: CPython first, the site's Python where they may differ.

The page grades under Pyodide's Python (3.14); the gradebook's sandboxed runners under the
CPython that runs it, which may be older. A submission that uses what the older one lacks
(new syntax, a new function, ``sum()``'s compensated rounding) passes in the page and
fails here. Grading everything under the site's Python would cost several times more
(Pyodide restores a fresh interpreter for every submission; ``./dev bench``), and a
difference can only show in a non-pass, so ``PageVerdicts`` grades again, under the site's
Python (``grader.site_python``, in Node, sandboxed like the runners), each CPython result
that is neither a pass nor explained without the Python version:

- a ``timeout``: the site's Python is the slower of the two, so it would run out too;
- an outcome of the grading process rather than of the code's Python (killed, a signal,
  no result, out of memory): the page has no such process to kill;
- a recognized known mistake: the code's outputs equal the mistake's on every case that
  tells it from the reference, which a difference between Pythons does not produce.

When the site's verdict differs, its result replaces CPython's (headline and checks as
the learner saw them); when they agree, CPython's stays, and so it does when the site's
Python ran out of time or Node failed (the machine's doing, not the code's). A
submission that needs a package the site's Python does not have here (numpy) keeps
CPython's result. A CPython pass that the page would fail (code using a module that 3.12
to 3.14 removed) is not looked for.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence

from ._per_thread import PerThread
from .catalogue import get_exercise
from .contract import Result, Status
from .site_python import SitePython, SitePythonUnavailable, SiteRuntime, find_runtime

__all__ = ["PageVerdicts", "may_differ"]

# Error kinds the grading process gives (grader.sandbox, grader.batch), never the code.
_PROCESS_KINDS = frozenset(
    {"Crash", "Crashed", "NoResult", "ProcessExit", "ParentKilled", "MemoryError"}
)


@functools.cache
def _mistake_messages(exercise_id: str) -> frozenset[str]:
    return frozenset(m.message for m in get_exercise(exercise_id).mistakes)


def may_differ(result: Result) -> bool:
    """Whether the site's Python could give ``result``'s code another verdict."""
    status = result["status"]
    if status in (Status.PASS, Status.TIMEOUT):
        return False
    error = result.get("error")
    if isinstance(error, dict) and error.get("type") in _PROCESS_KINDS:
        return False
    if get_exercise(result["exercise"]).requires:  # numpy: the site loads it from a CDN
        return False
    return not (
        status == Status.FAIL and result["feedback"] in _mistake_messages(result["exercise"])
    )


def _believed(result: Result | None) -> bool:
    """Whether the site's result is a verdict on the code, not on the machine (a time-out
    under load, a crash of Node) or a package it lacks here."""
    if result is None or result["status"] == Status.TIMEOUT:
        return False
    error = result.get("error")
    return not (isinstance(error, dict) and error.get("type") in _PROCESS_KINDS)


class PageVerdicts:
    """Regrade, under the site's Python, what CPython's verdict may get wrong; one Node per
    thread (``--jobs``), started on first need, closed by ``close``.

    ``required`` raises ``SitePythonUnavailable`` where the site's Python is missing (the
    first call says so); otherwise CPython's results stay and ``unavailable`` says why.
    """

    def __init__(self, *, sandbox: bool, timeout: float, required: bool = False,
                 runtime: SiteRuntime | None = None) -> None:  # fmt: skip
        self.sandbox, self.timeout, self.required = sandbox, timeout, required
        self.unavailable: str | None = None  #: why the site's Python could not grade
        self.regraded = 0  #: submissions graded again under the site's Python
        self.changed = 0  #: of those, how many got another verdict
        self.missed = 0  #: submissions that would have been, had the site's Python been here
        self._runtime = runtime
        self._lock = threading.Lock()
        self._sites = PerThread(self._start_site)

    def __enter__(self) -> PageVerdicts:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def runtime(self) -> SiteRuntime:
        """The site's Python, found once (the first time, Node makes its files)."""
        with self._lock:
            if self.unavailable is not None:
                raise SitePythonUnavailable(self.unavailable)
            if self._runtime is None:
                try:
                    self._runtime = find_runtime()
                except SitePythonUnavailable as error:
                    self.unavailable = str(error)
                    raise
            return self._runtime

    def __call__(self, items: Sequence[tuple[str, str]], results: list[Result]) -> list[Result]:
        """``results`` (CPython's, one per item) with the site's verdict where it differs."""
        todo = [i for i, result in enumerate(results) if may_differ(result)]
        if not todo:
            return results
        try:
            site = self._sites.get()
        except SitePythonUnavailable:
            if self.required:
                raise
            with self._lock:
                self.missed += len(todo)
            return results
        out = list(results)
        for i in todo:
            exercise_id, code = items[i]
            theirs = site.grade(exercise_id, code, timeout=self.timeout)
            with self._lock:
                self.regraded += 1
            if _believed(theirs) and theirs["status"] != results[i]["status"]:
                out[i] = theirs
                with self._lock:
                    self.changed += 1
        return out

    def report(self) -> str:
        """One line for the end of a gradebook run, or "" when nothing was graded again."""
        if self.missed:
            return (f"{self.missed} verdict(s) are CPython's where the page's could differ: "
                    f"{self.unavailable}")  # fmt: skip
        if self.regraded:
            return (f"{self.regraded} submission(s) graded again under the site's Python; "
                    f"{self.changed} got the page's other verdict")  # fmt: skip
        return ""

    def close(self) -> None:
        self._sites.close()

    def _start_site(self) -> SitePython:
        site = SitePython(self.runtime(), sandbox=self.sandbox)
        try:
            site.start()
        except SitePythonUnavailable as error:  # not tried again for every file
            self.unavailable = str(error)
            raise
        return site
