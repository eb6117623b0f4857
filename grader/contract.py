"""The result contract: the one place that says what a grading result is.

``grade()``, the command line, the browser's worker and the page all speak it. It holds
the result's type, its statuses, the limits, and every sentence a learner may read about
an outcome that is not a check's own message (a time-out, a Stop, a crash, a package that
can't be downloaded, a changed interpreter). The site build exports ``page_data()`` to
the front-end (``web/contract.js``), which fills in the ``{placeholders}`` and renders;
it defines no wording or limit of its own.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NotRequired, TypedDict

__all__ = [
    "LIMITS",
    "MESSAGES",
    "Check",
    "ErrorInfo",
    "Result",
    "Status",
    "make_result",
    "message",
    "page_data",
]


class Status(StrEnum):
    """How a submission ended."""

    PASS = "pass"  # every check passed
    FAIL = "fail"  # the code ran, at least one check failed
    ERROR = "error"  # the code could not be loaded, or could not be graded
    TIMEOUT = "timeout"  # the time limit ran out (or the learner pressed Stop)


class Check(TypedDict):
    """One case of an exercise, as the learner reads it."""

    name: str
    passed: bool
    message: str
    line: NotRequired[int]  # where the learner's code raised, when it did


class ErrorInfo(TypedDict):
    """What went wrong in the learner's code; ``line`` refers to their code."""

    type: str
    message: str
    line: int | None
    traceback: str


class Result(TypedDict):
    """What ``grade()`` returns: JSON-serializable, the same in every runtime."""

    exercise: str
    status: str  # a Status value
    score: float
    feedback: str  # one headline sentence for the learner
    checks: list[Check]
    error: ErrorInfo | None
    stdout: str


# Limits that the command line and the page both apply.
LIMITS: dict[str, float] = {
    "time_limit_s": 5.0,  # per submission, from the moment the code starts
    "memory_mb": 1024,  # command line only: the child's address space
    "stdout_chars": 10_000,  # learner output kept in a result
}

# Every outcome sentence a learner may read, by key. ``{name}`` placeholders are filled
# by ``message()`` in Python and by ``fill()`` in web/contract.js.
MESSAGES: dict[str, str] = {
    # verdict words, shown before the headline (pass, fail, error, timeout)
    "verdict.pass": "Passed.",
    "verdict.fail": "Not yet.",
    "verdict.error": "Error.",
    "verdict.timeout": "Time limit.",
    # outcomes decided outside grade(): by the child process or the page
    "timeout": (
        "Your code ran for more than {seconds} and was stopped: is there an infinite "
        "loop, or a loop whose condition never changes?"
    ),
    "stopped": "Stopped. Your code is unchanged; Python restarts for the next try.",
    "crashed": (
        "Your code crashed Python itself, so it was restarted: most likely a function "
        "that calls itself without end (unbounded recursion). Your code is kept."
    ),
    "signal": (
        "Python was stopped by signal {signal} before grading finished, most likely "
        "because your code used too much memory or crashed the interpreter."
    ),
    "memory": "Your code used more memory than the grader allows ({memory}).",
    "process_exit": (
        "Your code ended the Python process (exit code {code}) before grading finished: "
        "remove the os._exit() (or similar) call and return a value instead."
    ),
    "no_result": (
        "Python ended (exit code {code}) before grading gave a verdict: your code may "
        "have ended the process itself, or made the grader fail. What Python wrote to "
        "its error output is shown below."
    ),
    "killed_parent": (
        "The process that runs your code was stopped by signal {signal} while your code "
        "ran, so no verdict could be given: does your code stop or kill other processes "
        "(os.kill(), os.killpg())?"
    ),
    "packages": "This exercise needs {packages}, which couldn't be downloaded from {url}.",
    "packages.imported": (
        "Your code imports {packages}, which couldn't be downloaded from {url}; this "
        "exercise needs only plain Python."
    ),
    "packages.imported.detail": (
        "Remove the import and work with the lists, tuples or dicts you are given: "
        "loops, `sum()`, `min()` and `max()` do all it takes. Your code is kept here."
    ),
    "packages.detail": (
        "The other exercises on this site don't need it and still work. You can check "
        "this one offline: save your code to a file and run `python -m grader check "
        "{exercise} FILE` in a copy of the course. Your code is kept here."
    ),
    "changed_python": (
        "Your code changed Python itself ({what}), so no verdict can be trusted: remove "
        "that change and submit again. Python was reset for your next try."
    ),
    "ungradable": (
        "Your code returned or raised something the grader cannot read ({reason}), so no "
        "verdict can be given: return plain numbers, lists or tuples."
    ),
    "stale_grader": (
        "This page and its grader come from different versions of the course: reload the "
        "page."
    ),
    "startup": "Python could not run your code: {reason} Your code is kept; try again.",
    # a Run (no verdict), and the result panel's labels
    "run.ok": "Your code ran without errors.",
    "run.error": "Your code stopped with an error.",
    "run.silent": "It printed nothing.",
    "panel.printed": "Your code printed:",
    "panel.checks": "Checks: {passed} of {total} passed.",
    "panel.same": "And {count} more like this: {names}.",
    "panel.all": "All {total} checks, one by one",
    "panel.saved": "That was your last submission ({verdict}), saved in this browser.",
    "panel.saved_other": (
        "Your last submission ({verdict}) was other code than this: submit to check this code."
    ),
    # saving the learner's code in this browser
    "save.failed": (
        "Your code could not be saved in this browser ({reason}): it is only in this page "
        "now. Download it to keep it."
    ),
    "save.other_tab": (
        "This exercise was changed in another tab or window: its code is shown here now."
    ),
    # page progress
    "loading.python": "Loading Python…",
    "loading.grader": "Loading the grader…",
    "loading.packages": "Loading {packages}…",
    "loading.stdlib": "Loading more of Python's standard library…",
    # while Python downloads: how much has come, and what is still coming
    "loading.bytes": "Downloading Python: {loaded} of {total} MB",
    "loading.waiting_for": "still coming: {files}",
    "loading.file.wasm": "Python itself",
    "loading.file.stdlib": "its standard library",
    "loading.file.grader": "the grader",
    "waiting": "Python is still loading; your code will run as soon as it is ready…",
    "checking": "Checking your code…",
    "running": "Running your code…",
    "ready": "Python is ready.",
}


def message(key: str, **values: Any) -> str:
    """The learner-facing sentence ``key`` with its placeholders filled."""
    return MESSAGES[key].format(**values)


def seconds_text(seconds: float) -> str:
    """``5 seconds``, ``1 second``, ``2.5 seconds``."""
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def make_result(
    exercise: str,
    status: Status | str,
    feedback: str,
    *,
    score: float = 0.0,
    checks: list[Check] | None = None,
    error: ErrorInfo | None = None,
    stdout: str = "",
) -> Result:
    """A result dict with every key of the contract, in the contract's order."""
    return {
        "exercise": exercise,
        "status": str(Status(status)),
        "score": float(score),
        "feedback": feedback,
        "checks": list(checks or []),
        "error": error,
        "stdout": stdout,
    }


def page_data() -> dict[str, Any]:
    """What the front-end needs of this contract, as JSON-able data."""
    return {
        "statuses": [str(s) for s in Status],
        "limits": dict(LIMITS),
        "messages": dict(MESSAGES),
    }
