"""What the build puts in each page's ``<head>``: the page's config as one JSON island,
the fragment keeper, and on exercise pages the scripts that start Python early.

Everything here is given its inputs (the page's URL, the repository root, the build's
versions), so that it holds no state of its own.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.utils import get_relative_url

from hooks import assets, packages

__all__ = ["SNAPSHOT_CACHE", "page_config", "with_head"]

# Cache Storage's name for the Python snapshot (web/python/pool.js keeps one there).
SNAPSHOT_CACHE = "l2-course-python-snapshot"


def with_head(output: str, page_url: str, config: dict[str, Any], root: Path, *,
              serving: bool) -> str:
    """``output`` (a page's HTML) with the config island and the scripts in its head."""
    top = [_config_island(config), _FRAGMENT_KEEPER]
    head = []
    if not serving:  # `mkdocs serve` writes no sw.js: asking for it would only log 404s
        offline_js = get_relative_url("assets/course/offline.js", page_url)
        head.append(f'<script type="module" async src="{escape(offline_js)}"></script>')
    if 'data-exercise="' in output:
        # Python starts booting while the page is still being parsed (not after it).
        boot = get_relative_url("assets/course/python-boot.js", page_url)
        head.append(f'<script type="module" async src="{escape(boot)}"></script>')
        top.append(_early_python(root))
    return _top_of_head(output, top).replace("</head>", "\n".join(head) + "\n</head>", 1)


def page_config(page_url: str, root: Path, *, pyodide_url: str, shipped: bool, build_id: str,
                grader: str, library: str) -> dict[str, Any]:
    """Everything the page's JavaScript needs, made here once (web/page-config.js).

    URLs are relative to the page, so the site works under any sub-path; the page resolves
    them against its own address. The grader archive's URL names its version (the HTTP
    cache may keep it as long as it likes), and the snapshot's key names the Pyodide,
    grader and standard library it was made with (it holds zipimport's index of the zip).
    """
    pyodide = assets.pyodide_version(root)
    site = get_relative_url(".", page_url).rstrip("/") + "/"
    if pyodide_url:
        packages_url = pyodide_url.rstrip("/") + "/"
    elif shipped:
        packages_url = site + "pyodide/"  # the packages are on the site itself
    else:
        packages_url = packages.cdn_url(pyodide)
    return {
        "build": build_id,
        "python": {
            "cacheName": SNAPSHOT_CACHE,
            "urls": {
                # The core always comes from the site itself; the lock file beside it
                # matches, so any mirror of the version's packages works as PYODIDE_URL.
                "indexURL": site + "pyodide/",
                "packageBaseUrl": packages_url,
                "graderURL": f"{site}assets/grader.zip?v={grader}",
                "workerURL": f"{site}assets/course/worker.js",
                "cacheKey": f"{site}assets/python-snapshot-{pyodide}-{grader}-{library}.bin",
            },
        },
    }


def _config_island(config: dict[str, Any]) -> str:
    """The page's config as one JSON island in its <head>, like Material's __config."""
    text = json.dumps(config, sort_keys=True).replace("</", "<\\/")
    return f'<script id="l2-config" type="application/json">{text}</script>'


# The address's fragment as the page opened, kept before Material's scroll tracking can
# rewrite it: a code link (#code=..., web/code-link.js) is read from this copy.
_FRAGMENT_KEEPER = (
    "<script>window.__l2Fragment={path:location.pathname,hash:location.hash}</script>"
)


def _early_python(root: Path) -> str:
    """web/python-early.js, inline: it starts the Python worker before the page's
    stylesheets and module scripts have loaded (the runtime adopts it)."""
    lines = (root / "web" / "python-early.js").read_text("utf-8").splitlines()
    source = "\n".join(x for x in lines if not x.lstrip().startswith("//")).strip()
    return f"<script>{source}</script>"


def _top_of_head(output: str, tags: list[str]) -> str:
    """``tags`` first in the <head>, right after its charset: the config island, then the
    early script that reads it."""
    charset = output.find("<meta charset")
    at = output.index(">", charset) + 1 if charset >= 0 else output.index("<head>") + len("<head>")
    return output[:at] + "\n" + "\n".join(tags) + output[at:]
