"""``python -m grader``: list exercises, check a file, verify the catalogue.

Exit codes: 0 pass, 1 fail/error/timeout (or a verify problem), 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import re
import stat
import sys
import tokenize
from pathlib import Path
from typing import Any

from . import bwrap, gradebook_cli
from .batch import grade_batch
from .catalogue import CatalogueError, UnknownExercise, all_exercises, get_exercise
from .contract import message
from .sandbox import DEFAULT_TIMEOUT, MAX_TIMEOUT, become_subreaper, grade_isolated
from .verify import verify_catalogue

__all__ = ["main"]


class _UsageError(Exception):
    pass


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


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= MAX_TIMEOUT:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(
            f"must be more than 0 and at most {MAX_TIMEOUT:g} seconds, not {text}"
        )
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.split("\n")[0])
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
        help=f"time limit for your code (default {DEFAULT_TIMEOUT:g}, at most {MAX_TIMEOUT:g})",
    )
    check.add_argument(
        "--sandbox",
        choices=("auto", "on", "off"),
        default="auto",
        help="grade in bubblewrap: where it works (auto, the default), always (on), never (off)",
    )
    gradebook_cli.add_parser(commands, _timeout)
    commands.add_parser(
        "verify", help="every reference passes, every known mistake fails with its message"
    )
    return parser


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
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        needs = f"  (needs {', '.join(row['requires'])})" if row["requires"] else ""
        print(f"{row['id']:<{width}}  {row['title']}{needs}")
    return 0


def format_result(result: dict[str, Any]) -> str:
    """The result as a learner reads it in a terminal (control characters escaped)."""
    checks = result["checks"]
    passed = sum(check["passed"] for check in checks)
    lines = [
        f"{result['exercise']}: {result['status'].upper()}"
        + (f" ({passed}/{len(checks)} checks passed)" if checks else ""),
        result["feedback"],
    ]
    if checks:
        lines.append("")
        alike = _alike(checks)
        for check in checks:
            if check["passed"]:
                lines.append(f"  ok   {check['name']}")
                continue
            others = alike.get(id(check))
            if others is None:  # said already, with the first check that failed this way
                continue
            lines += [f"  FAIL {check['name']}", f"         {check['message']}"]
            if others:
                names = ", ".join(other["name"] for other in others)
                lines.append("         " + message("panel.same", count=len(others), names=names))
    error = result.get("error")
    if error and error.get("traceback"):
        lines += ["", error["traceback"].rstrip()]
    if result.get("stdout"):
        # Marked line by line, so printed text cannot pass for the grader's own lines.
        printed = result["stdout"].rstrip().split("\n")
        lines += ["", "Your code printed:", *(f"  | {line}" for line in printed)]
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


def _not_text(error: UnicodeDecodeError, encoding: str) -> str:
    bad = error.object[error.start : error.start + 1].hex()
    line = error.object[: error.start].count(b"\n") + 1
    hint = (
        "save it as UTF-8, or declare its encoding on the first line (# -*- coding: latin-1 -*-)"
        if encoding.startswith("utf-8")
        else "fix the file or its coding line"
    )
    return f"it is not {encoding.upper()} text (byte 0x{bad} on line {line}); {hint}"


def _check(exercise_id: str, file: Path, as_json: bool, timeout: float, sandbox: str) -> int:
    try:
        get_exercise(exercise_id)
    except UnknownExercise as exc:
        raise _UsageError(terminal_safe(str(exc))) from None
    source = _read_source(file)
    works, why = bwrap.available() if sandbox != "off" else (False, "")
    if sandbox == "on" and not works:
        raise _UsageError(f"--sandbox on, but {why}")
    if works:
        result = grade_batch([(exercise_id, source)], timeout=timeout)[0]
    else:
        # Orphans the submission leaves re-parent to this process, which can then kill them.
        become_subreaper()
        result = grade_isolated(exercise_id, source, timeout=timeout)
    # ensure_ascii: lone surrogates and control characters stay escapes, the JSON valid.
    text = json.dumps(result, indent=2, ensure_ascii=True) if as_json else format_result(result)
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `check ... | head`: the reader left; the exit code still counts
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0 if result["status"] == "pass" else 1


def _verify() -> int:
    try:
        return 1 if verify_catalogue() else 0
    except CatalogueError as error:  # an exercise file that does not load is a verify problem
        print(f"python -m grader: error: {error}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):  # never fail on a character to print
        sys.stdout.reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            return _list(args.json)
        if args.command == "check":
            return _check(args.exercise, args.file, args.json, args.timeout, args.sandbox)
        if args.command == "gradebook":
            return gradebook_cli.run(args)
        return _verify()
    except (_UsageError, gradebook_cli.UsageError) as exc:
        print(f"python -m grader: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl+C: the child and what it started are killed already
        print("python -m grader: interrupted", file=sys.stderr)
        return 130
