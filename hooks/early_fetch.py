"""What a page with an exercise asks for first, and the lock file Pyodide reads at boot.

A first verdict needs the WebAssembly binary, ``pyodide.asm.mjs``, the standard library
zip, the lock file and the grader archive. The worker would ask for them one hop after
another (its script, then the loader, then the Emscripten module, then the binary); the
requests made here start them all as soon as the head is parsed, and
the worker's own requests then take them from the HTTP cache. They are made by a small
inline script (``web/preload.js``, on full loads only), which also holds back the search
index until the first verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.utils import get_relative_url

from grader import all_exercises
from hooks.packages import closure

__all__ = ["LOCK_PATH", "PRELOADED", "course_lock", "preload_urls", "with_early_fetches"]

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
_CONFIG = '<script id="l2-config" type="application/json">'


def course_lock(root: Path) -> bytes:
    """Pyodide's lock file with only the packages the exercises require, and theirs."""
    lock = json.loads((root / "node_modules" / "pyodide" / "pyodide-lock.json").read_text("utf-8"))
    wanted = sorted({name for spec in all_exercises().values() for name in spec.requires})
    lock["packages"] = {entry["name"]: entry for entry in closure(lock, wanted)}
    return json.dumps(lock, separators=(",", ":"), sort_keys=True).encode()


def _grader_url(output: str) -> str:
    """The grader archive's URL (relative to the page) from the page's config island."""
    start = output.find(_CONFIG)
    if start < 0:
        return ""
    start += len(_CONFIG)
    try:
        config = json.loads(output[start:output.index("</script>", start)])
        return str(config["python"]["urls"]["graderURL"])
    except (ValueError, KeyError, TypeError):
        return ""


def preload_urls(output: str, page_url: str) -> list[str]:
    """What a page with an exercise asks for at once, relative to the page."""
    urls = [get_relative_url(path, page_url) for path in PRELOADED]
    grader = _grader_url(output)
    if grader:  # else the worker's URL is not known here: a preload of another would be waste
        urls.append(grader)
    return urls


def head_tags(output: str, page_url: str) -> list[str]:
    """The script that preloads Python's files and holds the search index back."""
    script = (Path(__file__).resolve().parent.parent / "web" / "preload.js").read_text("utf-8")
    body = "\n".join(x for x in script.splitlines() if not x.lstrip().startswith("//"))
    # The file is one function expression, called here; a formatter's closing ";" would
    # make the call a separate statement that never runs it.
    body = body.strip().removesuffix(";")
    config = json.dumps({"preload": preload_urls(output, page_url)}).replace("</", "<\\/")
    return [f"<script>{body.strip()}({config});</script>"]


def with_early_fetches(output: str, page_url: str) -> str:
    """``output`` with the early requests right after the head's script that starts the
    worker (web/python-early.js), before the stylesheets."""
    if 'data-exercise="' not in output:
        return output
    tags = "\n".join(head_tags(output, page_url))
    head_end = output.index("</head>")
    early = output.find("__l2PythonEarly", 0, head_end)
    script_end = output.find("</script>", max(early, 0), head_end)
    at = script_end + len("</script>") if script_end >= 0 else head_end
    return output[:at] + "\n" + tags + output[at:]
