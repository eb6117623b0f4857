"""The service worker of the built site (``sw.js`` at its root), for offline use.

It is ``web/service-worker.js`` after one line that lists this build's files with their
sha256 and names the build by a hash of them all, so a new deploy is a new cache and a
page is never served with another deploy's grader. ``files`` are cached when the worker
installs (pages, styles, scripts, figures); ``python`` (the Pyodide core, shipped
packages, the grader) only once a page with an exercise has loaded Python; ``onUse`` (the
part of the standard library no first verdict imports) the first time it is fetched.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hooks.stdlib import REST_NAME

__all__ = ["SW_NAME", "build_manifest", "write_service_worker"]

SW_NAME = "sw.js"
PYTHON_PREFIXES = ("pyodide/", "assets/grader.zip")
ON_USE = (f"pyodide/{REST_NAME}",)
# Not worth keeping: compressed duplicates, search stemmers for other languages, font
# formats that every browser with service workers has a woff2 for.
SKIP_PREFIXES = ("assets/javascripts/lunr/min/",)
SKIP_SUFFIXES = (".gz", ".map", ".ttf", ".woff")


def _url_of(path: str) -> str:
    """The URL the site links to: ``x/`` for ``x/index.html``, ``./`` for the home page."""
    if path == "index.html":
        return "./"
    return path.removesuffix("index.html") if path.endswith("/index.html") else path


def build_manifest(site: Path) -> dict[str, object]:
    files: list[list[str]] = []
    python: list[list[str]] = []
    on_use: list[list[str]] = []
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        path = file.relative_to(site).as_posix()
        if path == SW_NAME or path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
            continue
        entry = [_url_of(path), hashlib.sha256(file.read_bytes()).hexdigest()]
        kind = on_use if path in ON_USE else python if path.startswith(PYTHON_PREFIXES) else files
        kind.append(entry)
    whole = hashlib.sha256(json.dumps([files, python, on_use]).encode()).hexdigest()[:16]
    return {"version": whole, "files": files, "python": python, "onUse": on_use}


def write_service_worker(site: Path, source: Path) -> Path:
    """Write ``sw.js`` into the built ``site`` from the template ``source``."""
    manifest = build_manifest(site)
    target = site / SW_NAME
    target.write_text(
        f"const BUILD = {json.dumps(manifest, separators=(',', ':'))};\n"
        + source.read_text("utf-8"),
        encoding="utf-8",
    )
    return target
