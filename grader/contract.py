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
    "make_error",
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
    "channel": (
        "Your code wrote to, closed or replaced the channel the grader reports through, so "
        "no verdict could be given: leave file descriptors your code did not open alone."
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
    "load_failed": (
        "Python failed while getting ready for your code ({reason}), so it was restarted. "
        "Your code is kept; try again."
    ),
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

# Sentences of the learner's work file (SPEC §7) as the page says them: the reader's
# (web/work-file.js, word for word those of grader/workfile.py, which the JS tests check)
# and those of Download, Restore, the link to one's code and the line on where work is kept.
MESSAGES.update(
    {
        "workfile.too_big": (
            "This file is {size} MB; a work file is at most {max} MB, so it is not one."
        ),
        "workfile.not_json": "This file is not valid JSON, so it is not a work file.",
        "workfile.other_course": (
            "This file is not a work file of this course (its format is not {format})."
        ),
        "workfile.no_version": "This work file has no valid format_version.",
        "workfile.newer": (
            "This work file has format version {version}, newer than this site reads "
            "({supported}): it comes from a newer version of the course."
        ),
        "workfile.not_object": "This work file's {key} is not an object.",
        "workfile.unknown_key": "The file's key {key} is not known; it was ignored.",
        "workfile.unknown_exercise": "Exercise {id} is not in this course; it was ignored.",
        "workfile.unknown_question": "Question {id} is not in this course; it was ignored.",
        "workfile.exercise_not_object": "Exercise {id} is not an object; it was ignored.",
        "workfile.question_not_object": "Question {id} is not an object; it was ignored.",
        "workfile.code_too_long": (
            "Exercise {id}: its code has {length} characters, more than the {max} a work "
            "file may hold; it was ignored."
        ),
        "workfile.exercise_bad": "Exercise {id}: {fields} {verb} not valid; it was ignored.",
        "workfile.question_bad": "Question {id}: {fields} {verb} not valid; it was ignored.",
        "workfile.stale_exercise": "Exercise {id} was saved for another version of the exercise.",
        "workfile.option_out_of_range": (
            "Question {id}: it selects an option the question does not have (it has "
            "{count}); it was ignored."
        ),
        "workfile.stale_question": (
            "Question {id} was answered for another version of the question."
        ),
        # Download and restore, on the recap page
        "work.where": (
            "Your work is saved in this browser only{kept}. Last downloaded: {when}."
        ),
        "work.kept": ", which has agreed to keep it",
        "work.not_kept": ", which may delete it if the site goes unused or space runs low",
        "work.never": "never",
        "work.remind.never": (
            "You have never downloaded your work: download it to keep a copy outside this "
            "browser."
        ),
        "work.remind.days": (
            "Your last download is {days} days old: download your work again, it is the "
            "only copy outside this browser."
        ),
        "work.too_long": (
            "Left out of the file, its code being longer than the {max} characters a work "
            "file holds: {names}."
        ),
        "work.downloaded": "Downloaded {file}: {exercises} and {questions}.",
        "work.nothing": "There is no work in this browser yet: nothing to download.",
        "work.reading": "Reading {file}…",
        "work.holds": "{file} holds {exercises} and {questions}, exported {when}{site}.",
        "work.holds.site": " from {url}",
        "work.holds.unknown_time": "at an unknown time",
        "work.holds.nothing": "There is nothing in it that this course can restore.",
        "work.older_version": (
            "Code saved for an older version of its exercise ({names}) is offered in the "
            "exercise, never loaded by itself."
        ),
        "work.newer_here": "This browser holds newer or other work on: {names}.",
        "work.ask": "Restore this work into this browser?",
        "work.ask.newer": (
            "Replace the newer work in this browser too, or keep it and restore the rest?"
        ),
        "work.restored": "Restored {exercises} and {questions} from {file}.",
        "work.restored.none": "Nothing was restored: this browser already holds this work.",
        "work.cancelled": "Nothing was changed.",
        "work.exercises.one": "1 exercise",
        "work.exercises.other": "{count} exercises",
        "work.answers.one": "1 answer",
        "work.answers.other": "{count} answers",
        "work.holds.on": "on {date}",
        "work.label.name": "Your name in the file (optional)",
        "work.label.download": "Download my work",
        "work.label.restore": "Restore from a work file",
        "work.label.drop": "Or drop a work file here.",
        "work.label.problems": "What the file holds that cannot be restored as it is:",
        "work.label.yes": "Restore",
        "work.label.replace": "Replace everything",
        "work.label.keep": "Keep this browser's newer work",
        "work.label.cancel": "Cancel",
        "link.label.copy": "Copy a link to my code",
        "link.label.use": "Use this code",
        "link.label.dismiss": "Dismiss",
        "link.label.linked": "Code from the link",
        "work.storage_failed": (
            "This browser would not store the work ({reason}), so nothing was changed."
        ),
        "work.unreadable": "This file could not be read ({reason}), so nothing was changed.",
        "work.refused": "{reason} Nothing was changed.",
        # A link to one's code (URL fragment #code=<id>:<base64url>)
        "link.copied": "A link to your code is copied: whoever opens it sees your code offered.",
        "link.copy_here": "Copy this link to share your code:",
        "link.too_long": (
            "This link is {length} characters long, more than the {max} a link to code may "
            "be, so its code is not shown."
        ),
        "link.invalid": "The code in this link cannot be read (it is cut off or changed).",
        "link.unknown": "This link is for an exercise this course does not have ({id}).",
        "link.elsewhere": "This link is for an exercise on another page: {title}.",
        "link.offer": (
            "This page was opened with a link to code for this exercise. Your own code is "
            "unchanged."
        ),
    }
)

# The teacher's page (docs/teach.md, web/teach.js): what it says while it grades a class.
MESSAGES.update(
    {
        "teach.pick": "Choose a folder of work files",
        "teach.drop": "…or drop work files or a folder of them here.",
        "teach.none": "No work file (.json) was among what you gave: nothing to grade.",
        "teach.grading": "Grading {file} ({done} of {total} files)…",
        "teach.done": "Graded {total} files: {unread} could not be read.",
        "teach.csv": "Download CSV",
        "teach.table": "Grades, one row per work file",
        "teach.summary": (
            "Each exercise: how many files pass it, and its most common known mistakes"
        ),
        "teach.exercise": "Exercise",
        "teach.passed": "Passed",
        "teach.mistakes": "Most common known mistakes",
        "teach.sort": "Sort by {column}",
        "teach.no_numpy": (
            "Exercise {id} needs {packages}, which this page cannot load: grade it with "
            "python -m grader gradebook."
        ),
        "teach.not_graded": "Exercise {id} could not be graded here: {reason}",
        "teach.reload": "Reloading this page so that its protections apply…",
    }
)


def message(key: str, **values: Any) -> str:
    """The learner-facing sentence ``key`` with its placeholders filled."""
    return MESSAGES[key].format(**values)


def seconds_text(seconds: float) -> str:
    """``5 seconds``, ``1 second``, ``2.5 seconds``."""
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def make_error(
    kind: str, text: str, line: int | None = None, traceback: str = ""
) -> ErrorInfo:
    """The result's ``error``: what went wrong, and where in the learner's code.

    >>> make_error("SyntaxError", "invalid syntax", 3)["line"]
    3
    """
    return {"type": kind, "message": text, "line": line, "traceback": traceback}


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
    from grader import workfile

    return {
        "statuses": [str(s) for s in Status],
        "limits": dict(LIMITS),
        "messages": dict(MESSAGES),
        "workfile": {
            "format": workfile.FORMAT,
            "format_version": workfile.FORMAT_VERSION,
            "max_file_bytes": workfile.MAX_FILE_BYTES,
            "max_code": workfile.MAX_CODE,
            "max_count": workfile.MAX_COUNT,
            "max_learner": workfile.MAX_LEARNER,
            "exercise_verdicts": list(workfile.EXERCISE_VERDICTS),
            "question_verdicts": list(workfile.QUESTION_VERDICTS),
            "top_keys": sorted(workfile.TOP_KEYS),
            "time": workfile.TIME.pattern,
        },
    }
