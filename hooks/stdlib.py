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
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["REST_NAME", "Stdlib", "shipped_stdlib", "stdlib_version"]

log = logging.getLogger("mkdocs.hooks.stdlib")
SCRIPT = Path("scripts") / "precompile-stdlib.mjs"
FINDER = Path("scripts") / "sitecustomize.py"
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
    original = root / "node_modules" / "pyodide" / "python_stdlib.zip"
    key = hashlib.sha256()
    for part in (original.read_bytes(), grader_archive, (root / SCRIPT).read_bytes(),
                 (root / FINDER).read_bytes()):
        key.update(hashlib.sha256(part).digest())
    name = f"python-stdlib-{key.hexdigest()[:16]}"
    boot, rest = root / "build" / f"{name}.zip", root / "build" / f"{name}-rest.zip"
    if boot.is_file() and rest.is_file():
        return Stdlib(boot.read_bytes(), rest.read_bytes())
    node = shutil.which("node")
    if not node:
        log.warning("standard library not precompiled (no node): the browser compiles it "
                    "on each first boot")
        return Stdlib(original.read_bytes(), None)
    boot.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "grader.zip"
        made = Path(tmp) / "boot.zip", Path(tmp) / "rest.zip"
        archive.write_bytes(grader_archive)
        result = subprocess.run(
            [node, str(root / SCRIPT), str(original), str(archive), *map(str, made)],
            cwd=root, capture_output=True, text=True, check=False, timeout=300,
        )
        if result.returncode != 0 or not all(path.is_file() for path in made):
            log.warning("standard library not precompiled: node %s failed: %s",
                        SCRIPT.name, result.stderr.strip()[-500:])
            return Stdlib(original.read_bytes(), None)
        for old in boot.parent.glob("python-stdlib-*.zip"):
            old.unlink(missing_ok=True)  # (another build may be at it too)
        # Whole or not at all: a build running beside this one may read them.
        for source, target in zip(made, (boot, rest), strict=True):
            partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        return Stdlib(made[0].read_bytes(), made[1].read_bytes())
