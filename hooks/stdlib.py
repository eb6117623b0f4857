"""The standard library the site ships beside the Pyodide core: Pyodide's own
``python_stdlib.zip`` with the modules a first verdict imports precompiled to bytecode.

A fresh boot in the browser otherwise compiles each of them from source (most of its
time). ``scripts/precompile-stdlib.mjs`` does it under the site's own Pyodide in Node; the
result is kept in ``build/``, named by what it is made from (the npm zip, the grader
archive, the script). Without Node the build ships the npm zip as it is and says so.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["shipped_stdlib", "stdlib_version"]

log = logging.getLogger("mkdocs.hooks.stdlib")
SCRIPT = Path("scripts") / "precompile-stdlib.mjs"


def stdlib_version(data: bytes) -> str:
    """A short content hash: a Python snapshot is only valid with the zip it was made with."""
    return hashlib.sha256(data).hexdigest()[:16]


def shipped_stdlib(root: Path, grader_archive: bytes) -> bytes:
    """The zip to publish as ``pyodide/python_stdlib.zip``: precompiled when Node can do
    it (a few seconds, once per grader and Pyodide version), else Pyodide's as it is."""
    original = root / "node_modules" / "pyodide" / "python_stdlib.zip"
    script = root / SCRIPT
    key = hashlib.sha256()
    for part in (original.read_bytes(), grader_archive, script.read_bytes()):
        key.update(hashlib.sha256(part).digest())
    cached = root / "build" / f"python-stdlib-{key.hexdigest()[:16]}.zip"
    if cached.is_file():
        return cached.read_bytes()
    node = shutil.which("node")
    if not node:
        log.warning("standard library not precompiled (no node): the browser compiles it "
                    "on each first boot")
        return original.read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        archive, out = Path(tmp) / "grader.zip", Path(tmp) / "stdlib.zip"
        archive.write_bytes(grader_archive)
        result = subprocess.run([node, str(script), str(original), str(archive), str(out)],
                                cwd=root, capture_output=True, text=True, check=False,
                                timeout=300)
        if result.returncode != 0 or not out.is_file():
            log.warning("standard library not precompiled: node %s failed: %s",
                        SCRIPT.name, result.stderr.strip()[-500:])
            return original.read_bytes()
        for old in cached.parent.glob("python-stdlib-*.zip"):
            old.unlink(missing_ok=True)  # (another build may be at it too)
        # Whole or not at all: a build running beside this one may read it.
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
        shutil.copyfile(out, partial)
        os.replace(partial, cached)
        return out.read_bytes()
