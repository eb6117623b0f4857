"""The standard library the site ships beside the Pyodide core: Pyodide's own
``python_stdlib.zip`` split in two. ``python_stdlib.zip``: the modules a first verdict
imports, precompiled to bytecode (a fresh boot otherwise compiles each from source: most
of its time), and a ``sitecustomize`` that loads ``python_stdlib_rest.zip``, every other
module, the first time one of them is imported.

``scripts/precompile-stdlib.mjs`` makes both under the site's own Pyodide in Node; they
are kept in ``build/``, named by what they are made from (the npm zip, the grader
archive, the scripts). Without Node the build ships the npm zip as it is and says so.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from hooks.node_cache import node_outputs

__all__ = ["REST_NAME", "Stdlib", "shipped_stdlib", "stdlib_version"]

log = logging.getLogger("mkdocs.hooks.stdlib")
SCRIPT = Path("scripts") / "precompile-stdlib.mjs"
FINDER = Path("scripts") / "sitecustomize.py"
SPLIT = Path("scripts") / "split_stdlib.py"  # the split's rules, run by SCRIPT
REST_NAME = "python_stdlib_rest.zip"  # beside python_stdlib.zip, under pyodide/


@dataclass(frozen=True)
class Stdlib:
    boot: bytes  # published as pyodide/python_stdlib.zip
    rest: bytes | None  # as pyodide/python_stdlib_rest.zip; None: the boot zip is whole


def stdlib_version(data: bytes) -> str:
    """A short content hash: a Python snapshot is only valid with the zip it was made with."""
    return hashlib.sha256(data).hexdigest()[:16]


def shipped_stdlib(root: Path, grader_archive: bytes) -> Stdlib:
    """The zips to publish: split and precompiled when Node can do it (a few seconds, once
    per grader and Pyodide version), else Pyodide's zip as it is."""
    original = (root / "node_modules" / "pyodide" / "python_stdlib.zip").read_bytes()
    key = hashlib.sha256()
    for part in (original, grader_archive, (root / SCRIPT).read_bytes(),
                 (root / FINDER).read_bytes(), (root / SPLIT).read_bytes()):
        key.update(hashlib.sha256(part).digest())
    made = node_outputs(
        root, root / SCRIPT, [original, grader_archive], key.hexdigest()[:16],
        ["python-stdlib-{}.zip", "python-stdlib-{}-rest.zip"], log=log,
        skipped="standard library not precompiled",
        no_node="standard library not precompiled (no node): the browser compiles it on "
                "each first boot",
    )
    return Stdlib(*made) if made else Stdlib(original, None)
