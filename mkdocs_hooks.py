"""The course's MkDocs hooks (mkdocs.yml ``hooks:``), handed over to ``hooks.course``.

MkDocs loads a hook file by path with the file's folder on ``sys.path`` while it runs, so
this file sits at the repository root: ``grader``, ``hooks`` and ``exercises`` import from
this tree as they do everywhere else (a copied tree imports its own), and nothing edits
``sys.path``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from hooks.course import CourseHooks

# Imported while the root is on sys.path: the catalogue re-reads its files on every build
# through the package's own folder, after MkDocs has put sys.path back.
importlib.import_module("exercises")

# Not symlink-resolved, so that a copied tree with links to this one builds from itself.
_hooks = CourseHooks(Path(os.path.abspath(__file__)).parent)

on_startup = _hooks.on_startup
on_config = _hooks.on_config
on_files = _hooks.on_files
on_nav = _hooks.on_nav
on_page_markdown = _hooks.on_page_markdown
on_page_content = _hooks.on_page_content
on_env = _hooks.on_env
on_post_page = _hooks.on_post_page
on_post_build = _hooks.on_post_build
on_serve = _hooks.on_serve
