"""``python -m grader gradebook``: the command line over ``grader.gradebook``.

Exit codes: 0 when every work file was read (whatever the grades), 1 when some file could
not be read, 2 on bad usage (a path that does not exist, a bad --shard, no sandbox).
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import bwrap
from .batch import Runners, RunnerUnavailable, _plans
from .gradebook import FileGrade, collect, columns, course, grade_file, merge_csv, shard, write_csv
from .page_verdict import PageVerdicts
from .sandbox import DEFAULT_TIMEOUT
from .site_python import PYTHONS, SitePythonUnavailable

__all__ = ["add_parser", "run"]


class UsageError(Exception):
    """Bad usage; the message says what is wrong in one line."""


def _shard(text: str) -> tuple[int, int]:
    k, _, n = text.partition("/")
    try:
        k_, n_ = int(k), int(n)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be K/N such as 1/4, not {text!r}") from None
    if not 1 <= k_ <= n_:
        raise argparse.ArgumentTypeError(f"K must be between 1 and N, not {text!r}")
    return k_, n_


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_parser(commands: Any, timeout_type: Any) -> None:
    """Add ``gradebook`` to the CLI's subcommands."""
    book = commands.add_parser("gradebook", help="grade a class's work files into one CSV")
    book.add_argument("paths", metavar="PATH", nargs="*", type=Path,
                      help="work files, or folders of them (*.json)")
    book.add_argument("--csv", required=True, type=Path, metavar="OUT", help="the CSV to write")
    book.add_argument("--feedback", type=Path, metavar="DIR",
                      help="write one Markdown feedback file per work file into DIR")
    book.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1, metavar="N",
                      help="work files graded at once (default: the machine's cores)")
    book.add_argument("--shard", type=_shard, metavar="K/N",
                      help="grade only the K-th of N slices of the sorted file list")
    book.add_argument("--merge", nargs="+", type=Path, metavar="CSV",
                      help="merge the CSVs of shards into --csv instead of grading")
    book.add_argument("--no-sandbox", action="store_true",
                      help="grade without bubblewrap, with your own rights (trusted code only)")
    book.add_argument("--python", choices=PYTHONS, default="auto",
                      help="grade again under the site's Python what CPython fails and the "
                      "page may pass: where it is here (auto, the default), always (site), "
                      "never (host)")
    book.add_argument("--timeout", type=timeout_type, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                      help=f"time limit per exercise (default {DEFAULT_TIMEOUT:g})")  # fmt: skip


def _progress(total: int):
    """A progress bar on a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm  # only the command line needs it, and only on a terminal

    return tqdm(total=total, unit="file", file=sys.stderr, leave=False)


def run(args: argparse.Namespace) -> int:
    if args.merge:
        try:
            header, rows = merge_csv(args.merge)
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot merge: {error}") from None
        write_csv(args.csv, header, rows)
        return 0
    if not args.paths:
        raise UsageError("name at least one work file or folder (or --merge CSV...)")
    sandbox = not args.no_sandbox
    if sandbox:
        ok, why = bwrap.available()
        if not ok:
            raise UsageError(
                f"will not grade other people's code without the sandbox: {why} "
                "(--no-sandbox grades with your own rights)"
            )
    try:
        files = collect(args.paths)
    except FileNotFoundError as error:
        raise UsageError(str(error)) from None
    if args.shard:
        files = shard(files, *args.shard)
    course_, questions = course()
    _plans()  # here, not in a worker thread: computing them redirects sys.stdout for a while
    bar = _progress(len(files))

    # One runner per job, started once and reused for file after file.
    runners = Runners(sandbox=sandbox, timeout=args.timeout)
    verdicts = PageVerdicts(sandbox=sandbox, timeout=args.timeout, required=args.python == "site")
    if args.python == "site":
        try:
            verdicts.runtime()
        except SitePythonUnavailable as error:
            raise UsageError(f"--python site, but {error}") from None

    def grader(items: list[tuple[str, str]]) -> list:
        results = runners.grade_batch(items)
        return results if args.python == "host" else verdicts(items, results)

    def one(path: Path) -> FileGrade:
        try:
            return grade_file(path, course_, questions, grader)
        finally:
            if bar is not None:
                bar.update()

    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool, runners, verdicts:
            grades = list(pool.map(one, files))
    except RunnerUnavailable as error:
        raise UsageError(f"cannot grade: {error}") from None
    except SitePythonUnavailable as error:
        raise UsageError(f"--python site, but {error}") from None
    finally:
        if bar is not None:
            bar.close()
    exercise_ids, question_ids = list(course_.exercises), list(course_.questions)
    write_csv(
        args.csv,
        columns(exercise_ids, question_ids),
        (grade.row(exercise_ids, question_ids) for grade in grades),
    )
    from .feedback import summary, write_feedback

    if args.feedback:
        write_feedback(args.feedback, grades, exercise_ids, questions)
    print(summary(grades, exercise_ids), flush=True)
    if verdicts.report():
        print(verdicts.report(), file=sys.stderr)
    unread = [g for g in grades if not g.read]
    print(
        f"{len(grades)} work file(s) graded into {args.csv}"
        + (f"; {len(unread)} could not be read (see 'problems')" if unread else ""),
        file=sys.stderr,
    )
    return 1 if unread else 0
