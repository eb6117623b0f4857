"""Pack the grader and the exercises into the zip that the browser's Pyodide unpacks.

The same archive feeds the site (written by the build hook) and the Node/Pyodide test, so
what the test proves is what learners get. Its Python sources are lean (``lean``: no
comments, empty docstrings, every line where it was). Besides them it holds the exercises'
trusted outcomes, computed under the site's own Pyodide in Node (``grader/_plans.pickle``,
keyed by the hash of the sources' zip, which also names them in ``build/``: see
``grader.plans.shipped_plans``), so the browser need not compute them before its first
verdict. Without Node or Pyodide the archive has no plans and the browser computes them.

Computing them loads and runs every reference and known mistake under that Pyodide, and
the same script checks every exercise there as ``python -m grader verify`` does: what it
finds wrong is an ``ExerciseProblems``, which fails the build.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tokenize
import zipfile
from pathlib import Path

from grader.contract import DEFAULT_LANGUAGE, SITE_CATALOGUE, catalogue
from grader.plans import PLANS_FILE
from hooks.node_cache import node_outputs

__all__ = ["ExerciseProblems", "grader_archive_bytes", "write_grader_archive"]

log = logging.getLogger("mkdocs.hooks.grader_archive")

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("grader", "exercises")
# What the browser never imports: the command line's process handling, the gradebook and
# the questions (the build renders those). Leaving them out makes the archive on the first verdict's
# critical path about a third smaller.
NOT_FOR_THE_BROWSER = {
    "grader/__main__.py",
    "grader/cli.py",
    "grader/sandbox.py",
    "grader/_child.py",
    "grader/_descendants.py",
    "grader/_channel.py",
    "grader/_startup.py",
    "grader/_batch.py",
    "grader/batch.py",
    "grader/bwrap.py",
    "grader/feedback.py",
    "grader/gradebook.py",
    "grader/gradebook_cli.py",
    "grader/gradescope.py",
    "grader/page_verdict.py",
    "grader/questions.py",
    "grader/site_python.py",  # the command line's driver of Pyodide in Node
    "exercises/questions.yml",
}
# A fixed timestamp keeps the archive byte-for-byte reproducible between builds.
_EPOCH = (2024, 1, 1, 0, 0, 0)


class ExerciseProblems(Exception):
    """Exercises that fail under the site's Pyodide: verify's FAIL lines, one per line."""


def grader_archive_bytes(root: Path = ROOT, language: str | None = None) -> bytes:
    """Return a zip of ``grader/`` and ``exercises/`` (sources and data, no caches) and
    the shipped plans; ``ExerciseProblems`` if some exercise fails under Pyodide.

    With a ``language``, its catalogue goes in as the site's (``grader/messages/site.json``),
    after the plans, which no message changes: every language shares one set of plans.
    """
    sources = _sources_zip(root)
    plans = _plans(root, sources)
    added: dict[str, bytes] = {}
    if plans is not None:
        added[f"grader/{PLANS_FILE}"] = plans
    # English is what the grader speaks with no site catalogue: no second copy of it.
    if language is not None and language != DEFAULT_LANGUAGE:
        site = {"language": language, "messages": catalogue(language)}
        added[f"grader/messages/{SITE_CATALOGUE}"] = json.dumps(site).encode()
    if not added:
        return sources
    buffer = io.BytesIO(sources)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in added.items():
            info = zipfile.ZipInfo(name, _EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _plans(root: Path, sources: bytes) -> bytes | None:
    """The plans for these sources, computed under Pyodide in Node (kept in ``build/``,
    named by the sources' hash, with what the check found: a rebuild of the same broken
    sources fails at once); None if that cannot be done."""
    made = node_outputs(
        root, root / "scripts" / "grader-plans.mjs", [sources],
        hashlib.sha256(sources).hexdigest()[:16],
        ["grader-plans-{}.pickle", "grader-plans-{}.problems.txt"], log=log,
        skipped="grader plans not shipped",
        no_node="grader plans not shipped (no node or node_modules/pyodide): "
                "the browser computes them before its first verdict",
    )
    if not made:
        return None
    plans, problems = made
    if problems.strip():
        raise ExerciseProblems(problems.decode("utf-8").strip())
    return plans or None


def _sources_zip(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for package in PACKAGES:
            for path in sorted((root / package).rglob("*")):
                if not path.is_file() or "__pycache__" in path.parts:
                    continue
                if path.suffix not in {".py", ".yml", ".yaml", ".json", ".typed"}:
                    continue
                name = path.relative_to(root).as_posix()
                if name in NOT_FOR_THE_BROWSER or _other_language(name):
                    continue
                info = zipfile.ZipInfo(name, _EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                data = path.read_bytes()
                if path.suffix == ".py":
                    data = lean(data.decode("utf-8")).encode("utf-8")
                archive.writestr(info, data)
    return buffer.getvalue()


# Tokens between statements that say nothing about where a string stands.
_BETWEEN = {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}


def lean(source: str) -> str:
    """``source`` without its comments and with every string statement (docstrings) an
    empty string, each line where it was: the page downloads and compiles the grader on
    its first verdict, and nothing there reads a docstring or quotes a grader line."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    cuts, depth, statement_start = [], 0, True
    for n, token in enumerate(tokens):
        if token.type == tokenize.COMMENT:
            cuts.append((token.start, token.end, ""))
            continue
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        if token.type == tokenize.STRING and depth == 0 and statement_start:
            after = next((t for t in tokens[n + 1 :] if t.type not in _BETWEEN), None)
            if after is not None and after.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                cuts.append((token.start, token.end, '""'))
        if token.type not in _BETWEEN and token.type != tokenize.ENCODING:
            statement_start = token.type == tokenize.NEWLINE
    lines = source.splitlines(keepends=True)
    for (line, col), (end_line, end_col), text in sorted(cuts, reverse=True):
        # A cut over several lines leaves as many line breaks: line numbers do not move.
        lines[line - 1 : end_line] = [
            lines[line - 1][:col] + text + "\n" * (end_line - line) + lines[end_line - 1][end_col:]
        ]
    return "".join(lines)


def _other_language(name: str) -> bool:
    """A catalogue besides English, the fallback: the build adds the chosen one itself."""
    return name.startswith("grader/messages/") and name != "grader/messages/en.json"


def write_grader_archive(dest: Path, root: Path = ROOT) -> Path:
    """Write the archive to ``dest`` and return it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(grader_archive_bytes(root))
    return dest
