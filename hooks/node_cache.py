"""What the build computes under the site's own Pyodide in Node, kept in ``build/``.

A script run as ``node SCRIPT INPUT... OUTPUT...`` boots Pyodide (a few seconds), so its
outputs are kept in ``build/``, named by a hash of what they are made from; the next build,
or one running beside this one, reads them instead. Used for the grader's plans
(hooks/grader_archive.py) and the standard library's two zips (hooks/stdlib.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["node_outputs"]


def node_outputs(
    root: Path,
    script: Path,
    inputs: list[bytes],
    key: str,
    outputs: list[str],
    *,
    log: logging.Logger,
    skipped: str,
    no_node: str,
) -> list[bytes] | None:
    """The bytes of ``outputs`` made from ``inputs``, from ``build/`` or by running
    ``script``. Each output is kept in ``build/`` under its pattern with ``{}`` replaced by
    ``key`` (a hash of what they are made from); None if they cannot be made, after one
    warning: ``no_node`` without Node or Pyodide, else ``skipped`` and what the script said."""
    cached = [root / "build" / pattern.format(key) for pattern in outputs]
    if all(path.is_file() for path in cached):
        return [path.read_bytes() for path in cached]
    node = shutil.which("node")
    if not node or not script.is_file() or not (root / "node_modules" / "pyodide").is_dir():
        log.warning(no_node)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        given = [Path(tmp) / f"input{i}" for i in range(len(inputs))]
        made = [Path(tmp) / f"output{i}" for i in range(len(outputs))]
        for path, data in zip(given, inputs, strict=True):
            path.write_bytes(data)
        result = subprocess.run([node, str(script), *map(str, given), *map(str, made)],
                                cwd=root, capture_output=True, text=True, check=False,
                                timeout=300)
        if result.returncode != 0 or not all(path.is_file() for path in made):
            log.warning("%s: node %s failed: %s", skipped, script.name, _readable(result.stderr))
            return None
        cached[0].parent.mkdir(parents=True, exist_ok=True)
        for pattern in outputs:  # older ones: the same name with another hash
            for old in cached[0].parent.glob(pattern.format("*")):
                old.unlink(missing_ok=True)  # (another build may be at it too)
        # Whole or not at all: a build running beside this one may read them.
        for source, target in zip(made, cached, strict=True):
            partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        return [path.read_bytes() for path in made]


def _readable(stderr: str) -> str:
    """What a failed script said, in a few lines: Node prints the line of an uncaught
    error's source, which for Pyodide is a whole minified file, then a JavaScript stack."""
    lines = [line for line in stderr.splitlines() if line.strip() and len(line) <= 300]
    lines = [line for line in lines if not line.lstrip().startswith("at ")
             and not line.startswith("Node.js v")]
    if any(line.startswith("PythonError: ") for line in lines):
        # A Python traceback: its last line says what went wrong.
        python = [line for line in lines if not line.startswith((" ", "\t", "}"))]
        return python[-1] if python else "a Python error"
    return "\n".join(lines[-3:]) or f"exit without a message ({len(stderr)} characters)"
