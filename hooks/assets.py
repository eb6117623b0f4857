"""The files the site ships besides its pages: Pyodide, KaTeX, the grader, the front-end.

They are added to the build as generated files, so ``mkdocs build``, ``serve`` and
``gh-deploy`` carry them with no other step, and nothing generated is committed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "AssetError",
    "build_id",
    "bundle_files",
    "course_files",
    "grader_version",
    "katex_files",
    "pyodide_files",
    "pyodide_version",
]

# What loadPyodide() fetches from its indexURL: the loader, the Emscripten module, the
# WebAssembly binary, the standard library and the package lock file. Packages the core
# lacks (numpy) come from the lock file's CDN or PYODIDE_URL, not from here.
PYODIDE_CORE = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
KATEX_FILES = ("katex.min.js", "katex.min.css")
# Our own styles, and the offline registration (a module of its own, in every page's
# <head>), served as they are; the other scripts are bundled: see build_bundle.
COURSE_SOURCES = ("course.css", "progress.css", "explorables.css", "offline.js")
SETUP_HINT = "run ./dev setup (npm ci)"


class AssetError(RuntimeError):
    """An asset cannot be found or built; the message says how to fix it."""


def grader_version(archive: bytes) -> str:
    """A short content hash of the grader archive: the page asks for exactly that grader."""
    return hashlib.sha256(archive).hexdigest()[:16]


def build_id(parts: list[bytes]) -> str:
    """A short hash of what a page's JavaScript and Python come from: a page of another
    build is loaded in full, never swapped into this build's JavaScript."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def _node_modules(root: Path) -> Path:
    path = root / "node_modules"
    if not path.is_dir():
        raise AssetError(f"{path} is missing: {SETUP_HINT}")
    return path


def _require(path: Path) -> Path:
    if not path.is_file():
        raise AssetError(f"{path} is missing: {SETUP_HINT}")
    return path


def pyodide_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(site path, source file) pairs of the Pyodide core, under ``pyodide/``."""
    package = _node_modules(root) / "pyodide"
    for name in PYODIDE_CORE:
        yield f"pyodide/{name}", _require(package / name)


def pyodide_version(root: Path) -> str:
    """The version of the Pyodide core the site ships (node_modules/pyodide)."""
    package = _require(_node_modules(root) / "pyodide" / "package.json")
    return json.loads(package.read_text("utf-8"))["version"]


def katex_files(root: Path) -> Iterator[tuple[str, Path]]:
    """KaTeX's script, stylesheet and fonts, under ``assets/vendor/katex/``."""
    dist = _node_modules(root) / "katex" / "dist"
    for name in KATEX_FILES:
        yield f"assets/vendor/katex/{name}", _require(dist / name)
    fonts = dist / "fonts"
    if not fonts.is_dir():
        raise AssetError(f"{fonts} is missing: {SETUP_HINT}")
    for font in sorted(fonts.iterdir()):
        if font.is_file():
            yield f"assets/vendor/katex/fonts/{font.name}", font


def course_files(root: Path) -> Iterator[tuple[str, Path]]:
    """The course's own unbundled files from ``web/``, under ``assets/course/``."""
    for name in COURSE_SOURCES:
        yield f"assets/course/{name}", _require(root / "web" / name)


def _bundle_key(root: Path, contract: Path) -> str:
    """A hash of what the bundler reads, names included: the rule of hooks/node_cache.py,
    so that a copy of the sources, or a checkout that touches them, is not rebuilt."""
    sources = sorted(p for p in (root / "web").rglob("*") if p.is_file())
    sources += [root / "scripts" / "build-assets.mjs", root / "package-lock.json", contract]
    parts = [f"{p.relative_to(root).as_posix()}\0".encode() + p.read_bytes()
             for p in sources if p.is_file()]
    return build_id(parts)


def write_contract(root: Path) -> Path:
    """Write the grader's page contract to ``build/contract.json`` for the bundler.

    The file is rewritten only when its content changes, so an unchanged contract does
    not make the bundle stale.
    """
    from grader.contract import page_data

    path = root / "build" / "contract.json"
    text = json.dumps(page_data(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def build_bundle(root: Path) -> Path:
    """Run ``node scripts/build-assets.mjs`` unless ``build/assets/`` was made from the
    sources as they are now (their hash is kept beside it, in ``build/assets.key``)."""
    output = root / "build" / "assets"
    contract = write_contract(root)
    key = _bundle_key(root, contract)
    stamp = root / "build" / "assets.key"
    built = output.is_dir() and any(p.is_file() for p in output.rglob("*"))
    if built and stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        return output
    _node_modules(root)
    script = root / "scripts" / "build-assets.mjs"
    if not script.is_file():
        raise AssetError(f"{script} is missing: the front-end bundle cannot be built")
    node = shutil.which("node")
    if node is None:
        raise AssetError("Node.js is not installed: install Node 20+, then " + SETUP_HINT)
    result = subprocess.run(
        [node, str(script)], cwd=root, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise AssetError(
            f"node {script.relative_to(root)} failed (exit {result.returncode}):\n"
            + (result.stderr or result.stdout).strip()
        )
    if not output.is_dir():
        raise AssetError(f"node {script.relative_to(root)} did not write {output}")
    stamp.write_text(key, encoding="utf-8")
    return output


def bundle_files(root: Path) -> Iterator[tuple[str, Path]]:
    """The esbuild output (page.js, worker.js, ...) under ``assets/course/``."""
    output = build_bundle(root)
    for path in sorted(output.rglob("*")):
        if path.is_file():
            yield f"assets/course/{path.relative_to(output).as_posix()}", path
