"""``python -m grader``: list exercises, check a file, verify the catalogue.

Exit codes: 0 pass, 1 fail/error/timeout (or a verify problem), 2 bad usage or output
that cannot be written; 130 after Ctrl+C; killed by SIGTERM or SIGHUP after cleaning up.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import re
import signal
import stat
import sys
import threading
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from . import bwrap, gradebook_cli
from ._descendants import hide_from_other_processes
from .batch import grade_batch
from .catalogue import CatalogueError, UnknownExercise, all_exercises, get_exercise
from .contract import message
from .sandbox import DEFAULT_TIMEOUT, MAX_TIMEOUT, MIN_TIMEOUT, become_subreaper
from .site_python import PYTHONS, SitePythonUnavailable, grade_with
from .verify import verify_catalogue

__all__ = ["main"]


PROG = "python -m grader"


class _UsageError(Exception):
    """Bad input: the message says what is wrong, and where."""


class _OutputError(Exception):
    """Standard output cannot be written (a full disk, an I/O error)."""


class _ReaderGone(Exception):
    """Whoever read standard output has left (``| head``)."""


class _Ended(Exception):
    """SIGTERM or SIGHUP arrived: clean up, then die of it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


MAX_SOURCE_BYTES = 1_000_000  # a submission is a short Python file
# Characters a terminal may act on rather than show: C0/C1 controls but newline and tab
# (escape sequences could fake colours or set the window title, a carriage return could
# overwrite a line), lone surrogates (not printable at all), and bidirectional overrides
# (they reorder what is shown).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
    "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal would act on written as an escape."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escape, text)


_SECONDS = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")


def _timeout(text: str) -> float:
    # Plain decimals only: float() would also take "5_0" (50), "1e-9" and " 5 ".
    if not _SECONDS.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds such as 5 or 2.5"
        )
    value = float(text)
    if not MIN_TIMEOUT <= value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(
            f"must be at least {MIN_TIMEOUT:g} and at most {MAX_TIMEOUT:g} seconds, not {text}"
        )
    return value


class _Parser(argparse.ArgumentParser):
    def print_help(self, file: Any = None) -> None:
        # argparse hides a failed write; a --help that cannot be written must say so.
        if file is None:
            _write(self.format_help().rstrip("\n"))
        else:
            super().print_help(file)

    def error(self, message: str) -> NoReturn:
        # One line, not the usage block: `--help` shows that.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list the exercises")
    listing.add_argument("--json", action="store_true", help="print JSON")
    check = commands.add_parser("check", help="grade a file for one exercise")
    check.add_argument("exercise", metavar="EXERCISE_ID")
    check.add_argument("file", metavar="FILE", type=Path)
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=(
            f"time limit for your code, in seconds (default {DEFAULT_TIMEOUT:g}, "
            f"at least {MIN_TIMEOUT:g}, at most {MAX_TIMEOUT:g})"
        ),
    )
    check.add_argument(
        "--python",
        choices=PYTHONS,
        default=os.environ.get("GRADER_PYTHON") or "auto",
        help="site: the site's Pyodide in Node, as the page grades; host: this Python; "
        "auto (default, or $GRADER_PYTHON): site where node and node_modules/pyodide are here",
    )
    check.add_argument(
        "--sandbox",
        choices=("auto", "on", "off"),
        default=os.environ.get("GRADER_SANDBOX") or "auto",
        help="grade in bubblewrap: where it works (auto, the default, or $GRADER_SANDBOX), "
        "always (on), never (off)",
    )
    gradebook_cli.add_parser(commands, _timeout)
    scope = commands.add_parser("gradescope", help="write a Gradescope autograder (a zip)")
    scope.add_argument("--out", type=Path, default=Path("autograder.zip"), metavar="ZIP",
                       help="where to write it (default autograder.zip)")
    commands.add_parser(
        "verify", help="every reference passes, every known mistake fails with its message"
    )
    return parser


def _write(text: str) -> None:
    """Print a line, raising ``_ReaderGone`` or ``_OutputError`` if it cannot be written."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # Nothing more is written, and the exit's own flush must not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise _ReaderGone from None
    except OSError as exc:
        raise _OutputError(f"cannot write the output: {exc.strerror or exc}") from None


def _say(text: str) -> None:
    """One line on stderr; if even that cannot be written, the exit code says it all."""
    try:
        sys.stderr.write(f"{PROG}: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _list(as_json: bool) -> int:
    rows = [
        {
            "id": spec.id,
            "title": spec.title,
            "function": spec.function,
            "requires": list(spec.requires),
        }
        for spec in all_exercises().values()
    ]
    if as_json:
        _write(json.dumps(rows, indent=2))
        return 0
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        needs = f"  (needs {', '.join(row['requires'])})" if row["requires"] else ""
        _write(f"{row['id']:<{width}}  {row['title']}{needs}")
    return 0


def format_result(result: dict[str, Any]) -> str:
    """The result as a learner reads it in a terminal (control characters escaped)."""
    checks = result["checks"]
    passed = sum(check["passed"] for check in checks)
    counted = message("cli.counted", passed=passed, total=len(checks)) if checks else ""
    lines = [
        message("cli.headline", exercise=result["exercise"], status=result["status"].upper(),
                counted=counted),
        result["feedback"],
    ]
    if checks:
        lines.append("")
        alike = _alike(checks)
        for check in checks:
            if check["passed"]:
                lines.append(message("cli.ok", name=check["name"]))
                continue
            others = alike.get(id(check))
            if others is None:  # said already, with the first check that failed this way
                continue
            lines += [message("cli.fail", name=check["name"]), f"         {check['message']}"]
            if others:
                names = ", ".join(other["name"] for other in others)
                lines.append("         " + message("panel.same", count=len(others), names=names))
    error = result.get("error")
    if error and error.get("traceback"):
        lines += ["", error["traceback"].rstrip()]
    if result.get("stdout"):
        # Marked line by line, so printed text cannot pass for the grader's own lines.
        printed = result["stdout"].rstrip().split("\n")
        lines += ["", message("panel.printed"), *(f"  | {line}" for line in printed)]
    return terminal_safe("\n".join(lines))


def _alike(checks: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """For the first failed check of each message (by ``id``), the later ones that failed
    with the very same message."""
    first: dict[str, dict[str, Any]] = {}
    groups: dict[int, list[dict[str, Any]]] = {}
    for check in checks:
        if check["passed"]:
            continue
        leader = first.setdefault(check["message"], check)
        if leader is check:
            groups[id(check)] = []
        else:
            groups[id(leader)].append(check)
    return groups


_SPECIAL_FILES = [
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
]


def _read_source(file: Path) -> str:
    """The file's text, decoded as Python decodes a module (BOM, coding line)."""
    name = terminal_safe(str(file))
    try:
        info = os.stat(file)  # before opening: opening a FIFO would wait for a writer
    except OSError as exc:
        raise _UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _UsageError(f"cannot read {name}: it is a folder, not a Python file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((kind for test, kind in _SPECIAL_FILES if test(info.st_mode)), "a special file")
        raise _UsageError(f"cannot read {name}: it is {kind}, not a Python file")
    try:
        with open(file, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise _UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise _UsageError(
            f"cannot read {name}: it is larger than {MAX_SOURCE_BYTES // 1_000_000} MB, "
            "too large for a submission"
        )
    try:
        return _decode(data)
    except ValueError as exc:
        raise _UsageError(f"cannot read {name}: {exc}") from None


def _decode(data: bytes) -> str:
    """``data`` decoded as Python decodes a module; ValueError says why it cannot be."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return importlib.util.decode_source(data)
    except SyntaxError as exc:
        if exc.msg.startswith("unknown encoding"):
            raise ValueError(f"its coding line names an {exc.msg}") from None
        if exc.msg.startswith("encoding problem"):  # a BOM, and a coding line for another
            raise ValueError(
                "it starts with a UTF-8 byte-order mark but its coding line names another encoding"
            ) from None
        encoding = "utf-8"  # no coding line, and its first lines are not UTF-8
        try:
            data.decode(encoding)
        except UnicodeDecodeError as error:
            raise ValueError(_not_text(error, encoding)) from None
        raise ValueError(exc.msg) from None
    except UnicodeDecodeError as exc:
        raise ValueError(_not_text(exc, encoding)) from None
    except LookupError:  # a codec that is no text encoding: rot13, hex, base64, zlib
        raise ValueError(
            f"its coding line names {encoding!r}, which is not a text encoding; "
            "save the file as UTF-8"
        ) from None


def _not_text(error: UnicodeDecodeError, encoding: str) -> str:
    bad = error.object[error.start : error.start + 1].hex()
    line = error.object[: error.start].count(b"\n") + 1
    hint = (
        "save it as UTF-8, or declare its encoding on the first line (# -*- coding: latin-1 -*-)"
        if encoding.startswith("utf-8")
        else "fix the file or its coding line"
    )
    return f"it is not {encoding.upper()} text (byte 0x{bad} on line {line}); {hint}"


def _check(exercise_id: str, file: Path, as_json: bool, timeout: float,
           python: str = "auto", sandbox: str = "auto") -> int:
    try:
        get_exercise(exercise_id)
    except UnknownExercise as exc:
        raise _UsageError(terminal_safe(str(exc))) from None
    source = _read_source(file)
    works, why = bwrap.available() if sandbox != "off" else (False, "")
    if sandbox == "on" and not works:
        raise _UsageError(f"--sandbox on, but {why}")
    # Orphans the submission leaves re-parent to this process, which can then kill them.
    become_subreaper()
    try:
        if works and python == "host":
            result = grade_batch([(exercise_id, source)], timeout=timeout)[0]
        else:
            result = grade_with(python, exercise_id, source, timeout=timeout)
    except SitePythonUnavailable as exc:
        raise _UsageError(terminal_safe(str(exc))) from None
    # ensure_ascii: lone surrogates and control characters stay escapes, the JSON valid.
    text = json.dumps(result, indent=2, ensure_ascii=True) if as_json else format_result(result)
    code = 0 if result["status"] == "pass" else 1
    try:
        _write(text)
    except _ReaderGone:  # `check ... | head`: the reader left; the verdict's code still counts
        pass
    return code


def _verify() -> int:
    try:
        return 1 if verify_catalogue(write=_write) else 0
    except CatalogueError as error:  # an exercise file that does not load is a verify problem
        _say(f"error: {error}")
        return 1


_ENDING = ("SIGINT", "SIGTERM", "SIGHUP")


def _end(signum: int, frame: object) -> None:
    # A second signal must not cut the cleanup short: SIGKILL still can.
    for name in _ENDING:
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise _Ended(signum)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """Turn Ctrl+C, SIGTERM and SIGHUP into exceptions, so that ``grade_isolated``
    ends what it started (signals that were ignored, as under ``nohup``, stay so)."""
    saved = {}
    if threading.current_thread() is threading.main_thread():
        for name in _ENDING:
            signum = getattr(signal, name, None)
            if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
                saved[signum] = signal.signal(signum, _end)
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def _gradescope(out: Path) -> int:
    from .gradescope import build

    try:
        count = build(out)
    except OSError as exc:
        raise _OutputError(f"cannot write {out}: {exc.strerror or exc}") from None
    _say(f"wrote {out} ({count} files): upload it as the assignment's autograder")
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "list":
        return _list(args.json)
    if args.command == "check":
        # Keeps the submission out of this process's memory (the run's key) and pipes.
        hide_from_other_processes()
        return _check(args.exercise, args.file, args.json, args.timeout, args.python,
                      args.sandbox)
    if args.command == "gradebook":
        return gradebook_cli.run(args)
    if args.command == "gradescope":
        return _gradescope(args.out)
    return _verify()


def main(argv: list[str] | None = None) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):  # never fail on a character to print
        sys.stdout.reconfigure(errors="backslashreplace")
    ended = None
    try:
        with _signals_unwind():
            try:
                return _run(_parser().parse_args(argv))
            except _Ended as exc:  # what the run started is ended already
                ended = exc.signum
    except (_UsageError, gradebook_cli.UsageError, _OutputError) as exc:
        _say(f"error: {exc}")
        return 2
    except _ReaderGone:  # `list | head`: stop quietly, as a tool ended by SIGPIPE does
        return 128 + getattr(signal, "SIGPIPE", 13)
    except KeyboardInterrupt:  # Ctrl+C: the child and what it started are killed already
        _say("interrupted")
        return 130
    finally:
        _flush()
    _say(f"stopped by {signal.Signals(ended).name}")
    signal.signal(ended, signal.SIG_DFL)
    os.kill(os.getpid(), ended)
    return 128 + ended  # only where the signal did not end the process


def _flush() -> None:
    """Flush stdout now, so that the interpreter's own flush at exit cannot fail."""
    try:
        sys.stdout.flush()
    except OSError:
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
