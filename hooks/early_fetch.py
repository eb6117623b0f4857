"""What a page with an exercise asks for first, and the lock file Pyodide reads at boot.

A first verdict needs the WebAssembly binary, ``pyodide.asm.mjs``, the standard library
zip, the lock file and the grader archive. The worker would ask for them one hop after
another (its script, then the loader, then the Emscripten module, then the binary); the
``<link rel="preload">`` tags written here start them all as soon as the HTML arrives, and
the worker's own requests then take them from the HTTP cache. A small inline script
(``web/preload.js``) holds back the search index until Python is ready.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from mkdocs.utils import get_relative_url

from grader import all_exercises
from hooks.packages import closure

__all__ = ["LOCK_PATH", "PRELOADED", "course_lock", "with_early_fetches"]

LOCK_PATH = "pyodide/pyodide-lock.json"
# In the order the worker needs them; all start at once. The grader's URL is the one the
# worker asks for (its version in the query), read from the page.
PRELOADED = (
    "pyodide/pyodide.mjs",
    "pyodide/pyodide.asm.mjs",
    "pyodide/pyodide.asm.wasm",
    "pyodide/python_stdlib.zip",
    LOCK_PATH,
)
_GRADER_META = '<meta name="l2-grader" content="'


def course_lock(root: Path) -> bytes:
    """Pyodide's lock file with only the packages the exercises require, and theirs."""
    lock = json.loads((root / "node_modules" / "pyodide" / "pyodide-lock.json").read_text("utf-8"))
    wanted = sorted({name for spec in all_exercises().values() for name in spec.requires})
    lock["packages"] = {entry["name"]: entry for entry in closure(lock, wanted)}
    return json.dumps(lock, separators=(",", ":"), sort_keys=True).encode()


def _grader_version(output: str) -> str:
    start = output.find(_GRADER_META)
    if start < 0:
        return ""
    start += len(_GRADER_META)
    return output[start:output.index('"', start)]


def head_tags(output: str, page_url: str) -> list[str]:
    """The preload tags and the search-index hold of a page with an exercise."""
    def url(path: str) -> str:
        return escape(get_relative_url(path, page_url))

    tags = [f'<link rel="preload" href="{url(p)}" as="fetch" crossorigin>' for p in PRELOADED]
    version = _grader_version(output)
    if version:  # else the worker's URL is not known here: a preload of another would be waste
        grader = f"{url('assets/grader.zip')}?v={escape(version)}"
        tags.append(f'<link rel="preload" href="{grader}" as="fetch" crossorigin>')
    script = (Path(__file__).resolve().parent.parent / "web" / "preload.js").read_text("utf-8")
    body = "\n".join(x for x in script.splitlines() if not x.lstrip().startswith("//")).strip()
    tags.append(f"<script>{body}</script>")
    return tags


def with_early_fetches(output: str, page_url: str) -> str:
    """``output`` with the early requests right after its first ``<script>`` in the head
    (web/python-early.js starts the worker there), before the stylesheets."""
    if 'data-exercise="' not in output:
        return output
    tags = "\n".join(head_tags(output, page_url))
    head_end = output.index("</head>")
    first_script = output.find("</script>", 0, head_end)
    at = first_script + len("</script>") if first_script >= 0 else head_end
    return output[:at] + "\n" + tags + output[at:]
