"""MkDocs hooks that make a first verdict come sooner on a slow network.

- ``on_files``: the ``pyodide-lock.json`` the site publishes lists only the packages the
  course's exercises use (and what they depend on), not Pyodide's ~350: the lock is read
  at every boot, and a learner's import of a package outside the course is then a plain
  ``ModuleNotFoundError`` instead of a download from the CDN.
- ``on_post_page``: on a page with an exercise, the ``<head>`` asks for everything the first
  verdict needs at once (``web/preload.js`` explains the tags and what they wait for).

The rules are in ``hooks/early_fetch.py``; these hooks only call them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(os.path.abspath(__file__)).parent.parent


def _importable_root() -> None:
    # As in hooks/course.py: MkDocs restores sys.path after loading a hook file.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


_importable_root()

from hooks import early_fetch  # noqa: E402


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _importable_root()
    lock = early_fetch.LOCK_PATH
    existing = files.get_file_from_path(lock)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, lock, content=early_fetch.course_lock(ROOT)))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return early_fetch.with_early_fetches(output, page.url)
