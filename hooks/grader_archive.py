"""Pack the grader and the exercises into the zip that the browser's Pyodide unpacks.

The same archive feeds the site (written by the build hook) and the Node/Pyodide test, so
what the test proves is what learners get.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("grader", "exercises")
# A fixed timestamp keeps the archive byte-for-byte reproducible between builds.
_EPOCH = (2024, 1, 1, 0, 0, 0)


def grader_archive_bytes(root: Path = ROOT) -> bytes:
    """Return a zip of ``grader/`` and ``exercises/`` (sources and data, no caches)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for package in PACKAGES:
            for path in sorted((root / package).rglob("*")):
                if not path.is_file() or "__pycache__" in path.parts:
                    continue
                if path.suffix not in {".py", ".yml", ".yaml", ".json", ".typed"}:
                    continue
                info = zipfile.ZipInfo(path.relative_to(root).as_posix(), _EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def write_grader_archive(dest: Path, root: Path = ROOT) -> Path:
    """Write the archive to ``dest`` and return it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(grader_archive_bytes(root))
    return dest
