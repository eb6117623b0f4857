"""``python -m grader``: list exercises, check a file, verify the catalogue.

Exit codes: 0 pass, 1 fail/error/timeout (or a verify problem), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .catalogue import CatalogueError, UnknownExercise, all_exercises, get_exercise
from .sandbox import DEFAULT_TIMEOUT, grade_isolated
from .verify import verify_catalogue

__all__ = ["main"]


class _UsageError(Exception):
    pass


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
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
        type=_positive,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit (default {DEFAULT_TIMEOUT:g})",
    )
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
    """The result as a learner reads it in a terminal."""
    checks = result["checks"]
    passed = sum(check["passed"] for check in checks)
    lines = [f"{result['exercise']}: {result['status'].upper()}"
             + (f" ({passed}/{len(checks)} checks passed)" if checks else "")]
    lines.append(result["feedback"])
    if checks:
        lines.append("")
        for check in checks:
            mark = "ok  " if check["passed"] else "FAIL"
            lines.append(f"  {mark} {check['name']}")
            if check["message"]:
                lines.append(f"         {check['message']}")
    error = result.get("error")
    if error and error.get("traceback"):
        lines += ["", error["traceback"].rstrip()]
    if result.get("stdout"):
        lines += ["", "Your code printed:", result["stdout"].rstrip()]
    return "\n".join(lines)


def _check(exercise_id: str, file: Path, as_json: bool, timeout: float) -> int:
    try:
        get_exercise(exercise_id)
    except UnknownExercise as exc:
        raise _UsageError(str(exc)) from None
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _UsageError(f"cannot read {file}: {reason}") from None
    result = grade_isolated(exercise_id, source, timeout=timeout)
    print(json.dumps(result, indent=2) if as_json else format_result(result))
    return 0 if result["status"] == "pass" else 1


def _verify() -> int:
    try:
        return 1 if verify_catalogue() else 0
    except CatalogueError as error:  # an exercise file that does not load is a verify problem
        print(f"python -m grader: error: {error}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            return _list(args.json)
        if args.command == "check":
            return _check(args.exercise, args.file, args.json, args.timeout)
        return _verify()
    except _UsageError as exc:
        print(f"python -m grader: error: {exc}", file=sys.stderr)
        return 2
