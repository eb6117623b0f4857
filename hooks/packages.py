"""Pyodide packages shipped beside the core (numpy), so that no page asks a CDN for them.

When ``SHIP_PACKAGES`` names packages (the Pages workflow sets ``numpy``), the build
downloads each one's wheel, and the wheels it depends on, as the pinned
``pyodide-lock.json`` lists them, from Pyodide's CDN for that exact version; checks each
against the lock's sha256 (a mismatch is refused: the build fails); keeps them in
``build/packages/`` for the next build; and publishes them under ``pyodide/`` beside the
lock file, where the pages then load them from. Without network the build says so in one
line and the pages fall back to the CDN (or ``PYODIDE_URL``), as without ``SHIP_PACKAGES``.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["PackageError", "cdn_url", "closure", "fetch", "shipped_files"]

TIMEOUT_S = 30


class PackageError(RuntimeError):
    """A downloaded wheel is not the one the lock file pins: it is not shipped."""


def cdn_url(version: str) -> str:
    return f"https://cdn.jsdelivr.net/pyodide/v{version}/full/"


def closure(lock: dict[str, Any], names: Iterable[str]) -> list[dict[str, Any]]:
    """The lock entries of ``names`` and of everything they depend on, each once."""
    packages = lock["packages"]
    seen: dict[str, dict[str, Any]] = {}
    todo = [name.strip().lower() for name in names if name.strip()]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise PackageError(f"pyodide-lock.json has no package named {name!r}")
        seen[name] = packages[name]
        todo.extend(packages[name].get("depends", []))
    return [seen[name] for name in sorted(seen)]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(entry: dict[str, Any], base_url: str, folder: Path) -> Path:
    """The wheel of lock ``entry`` in ``folder``: kept from before, or downloaded now.

    Raises ``OSError`` (``urllib.error.URLError``) when it cannot be downloaded and
    ``PackageError`` when what came is not what the lock pins.
    """
    target = folder / entry["file_name"]
    if target.is_file() and _sha256(target) == entry["sha256"]:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(base_url + entry["file_name"], timeout=TIMEOUT_S) as response:
        data = response.read()
    got = hashlib.sha256(data).hexdigest()
    if got != entry["sha256"]:
        raise PackageError(
            f"{entry['file_name']} from {base_url} has sha256 {got}, but pyodide-lock.json "
            f"pins {entry['sha256']}: refused"
        )
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def shipped_files(
    root: Path, names: Iterable[str], *, base_url: str | None = None, log: Any = None
) -> list[tuple[str, Path]]:
    """(site path, wheel) pairs to publish under ``pyodide/``; empty without network."""
    lock_path = root / "node_modules" / "pyodide" / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text("utf-8"))
    version = json.loads((lock_path.parent / "package.json").read_text("utf-8"))["version"]
    base = base_url or cdn_url(version)
    entries = closure(lock, names)
    try:
        wheels = [fetch(entry, base, root / "build" / "packages") for entry in entries]
    except (OSError, urllib.error.URLError) as error:
        if log is not None:
            reason = getattr(error, "reason", error)
            log.info(
                "Not shipping %s: %s is unreachable (%s); the pages will load them from there.",
                ", ".join(e["name"] for e in entries), base, reason,
            )
        return []
    return [(f"pyodide/{wheel.name}", wheel) for wheel in wheels]
