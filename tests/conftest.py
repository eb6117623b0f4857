"""What the tests share: the repository root, HTML helpers, and the real site built once.

Import the helpers with ``from conftest import ROOT, ...``. The fixtures:

``site_url`` (session)
    ``"http://127.0.0.1:PORT/l2-course/"``: the real site, built once per session by
    ``mkdocs build --strict`` from the repository's ``mkdocs.yml`` (with ``SITE_URL`` set to
    this URL, so Material's instant navigation works, and ``PYODIDE_URL`` cleared) into
    ``<tmp>/l2-course``, a sub-path as on GitHub Pages, and served by a threaded
    ``http.server`` over ``<tmp>`` (``.mjs`` as ``application/javascript``, ``.wasm`` as
    ``application/wasm``). The build tests, the publishing tests and the browser tests
    all read this one site.
``site_dir`` (session)
    ``Path`` of the built site's folder, to read the HTML that the build wrote.
``pseudo_site`` (session)
    The site built in a pseudo-language (English with every string wrapped in ``⟦…⟧``,
    placeholders kept), served beside the real one: ``.dir``, ``.url``, and ``.verdicts``,
    what ``grade()`` and ``check`` said under that language (pass, known mistake, errors,
    a time-out). Its language file exists only while the fixture builds and grades.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# `check` in the tests means CPython's child process (tests/test_cli.py probes its process
# handling); tests/test_parity.py grades under the site's Python and checks the default.
os.environ.setdefault("GRADER_PYTHON", "host")
# ... outside bubblewrap, whether or not this machine has it: the sandbox's own tests
# (tests/test_gradebook*.py, test_gradescope.py) ask for it by name.
os.environ.setdefault("GRADER_SANDBOX", "off")
# The mkdocs command itself, as ./dev runs it (not ``python -m mkdocs``, which would put the
# working directory on sys.path and hide a hook that cannot import the project).
MKDOCS = [str(Path(sys.executable).parent / "mkdocs")]
# The built site lives under a sub-path, as a fork's project site does on GitHub Pages.
SUB_PATH = "l2-course"
# Attributes that hold one URL, and those that hold a srcset ("url 2x, url 640w").
URL_ATTRIBUTES = ("src", "href", "action", "poster", "data")
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")


# --- building ---------------------------------------------------------------------------


def mkdocs_build(
    config: Path,
    site: Path,
    *,
    strict: bool = False,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build`` in a child process, exactly as an author does."""
    command = [*MKDOCS, "build", "-f", str(config), "-d", str(site)]
    if strict:
        command.append("--strict")
    # Material's MkDocs 2 notice is noise; PYODIDE_URL unset means the default.
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYODIDE_URL": ""}
    environment.update(env or {})
    # One build at a time: builds share build/ (the front-end bundle, the grader's plans),
    # and with pytest-xdist two test processes may build at once.
    (ROOT / "build").mkdir(exist_ok=True)
    with open(ROOT / "build" / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=environment,
            cwd=cwd,
            timeout=300,
            check=False,
        )


# --- reading built HTML -----------------------------------------------------------------


class Tags(HTMLParser):
    """Every start tag of a page, as (tag, attributes); an attribute with no value is ""."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """The attributes of each ``tag`` whose attributes match (``data_x`` is data-x)."""
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def urls_in(html: str) -> list[tuple[str, str]]:
    """Every URL a page's tags point at, as (tag, url); each srcset candidate on its own."""
    urls: list[tuple[str, str]] = []
    for tag, attrs in Tags(html).tags:
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES:
                urls.append((tag, value.strip()))
            elif name in SRCSET_ATTRIBUTES:
                urls += [(tag, part.split()[0]) for part in value.split(",") if part.strip()]
    return urls


def page_config(html: str) -> dict:
    """The config island the build writes into a page's <head> (hooks/head.py)."""
    found = re.search(r'<script id="l2-config" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page has no l2-config island"
    return json.loads(found[1])


def html_pages(site: Path, *, with_404: bool = True) -> dict[str, str]:
    """Every built page by path. MkDocs roots 404.html's URLs at site_url's path on
    purpose (it is served for any missing path), so URL checks leave it out."""
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
        if with_404 or path.name != "404.html"
    }


# --- the real site, built once and served -------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".zip": "application/zip",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep pytest's output readable


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    root: Path  # the folder served

    def handle_error(self, request, client_address) -> None:
        # A browser closing a connection mid-download (page left, worker restarted) is normal.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def _server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    """A threaded HTTP server over an empty folder, bound first so the build knows its URL."""
    root = tmp_path_factory.mktemp("site")
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    server.root = root
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(_server: _Server) -> str:
    """Build the real site once, strict and under a sub-path; return its URL on 127.0.0.1."""
    url = f"http://127.0.0.1:{_server.server_address[1]}/{SUB_PATH}/"
    # mkdocs.yml reads site_url from SITE_URL: Material's instant navigation only follows
    # links that the sitemap (written from site_url) lists. PYODIDE_URL is cleared: the
    # tests expect the default (the site's own core, Pyodide's CDN for numpy).
    result = mkdocs_build(
        ROOT / "mkdocs.yml",
        _server.root / SUB_PATH,
        strict=True,
        env={"SITE_URL": url},
        cwd=ROOT,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr}{result.stdout}", pytrace=False)
    return url


PSEUDO_GRADING = """
import json
from grader import grade
from grader.catalogue import get_exercise
spec = get_exercise("l2-penalty")
subs = {"pass": spec.solution, "mistake": spec.mistakes[0].code,
        "syntax": "def l2_penalty(w)\\n", "missing": "x = 1\\n",
        "raises": "def l2_penalty(w):\\n    return 1 / 0\\n"}
out = {k: grade(spec.id, v) for k, v in subs.items()}
out["mistake_message"] = spec.mistakes[0].message
print(json.dumps(out))
"""


@dataclasses.dataclass
class PseudoSite:
    dir: Path
    url: str
    verdicts: dict


@pytest.fixture(scope="session")
def pseudo_site(_server: _Server, tmp_path_factory: pytest.TempPathFactory) -> PseudoSite:
    """The site and verdicts in a pseudo-language (see the module's docstring)."""
    from grader.contract import CATALOGUES, DEFAULT_LANGUAGE, catalogue

    # A private-use tag (BCP 47 "x-"), one per test process: tests/test_messages.py leaves
    # such files out, as they come and go while other processes run.
    language = f"x-pseudo-{os.getpid()}"
    path = CATALOGUES / f"{language}.json"
    wrapped = {key: f"⟦{text}⟧" for key, text in catalogue(DEFAULT_LANGUAGE).items()}
    env = {**os.environ, "COURSE_LANGUAGE": language}
    site = _server.root / "pseudo"
    loop = tmp_path_factory.mktemp("pseudo") / "loop.py"
    loop.write_text("def l2_penalty(w):\n    while True:\n        pass\n", encoding="utf-8")
    path.write_text(json.dumps(wrapped, ensure_ascii=False), encoding="utf-8")
    try:
        built = mkdocs_build(ROOT / "mkdocs.yml", site, env={"COURSE_LANGUAGE": language})
        assert built.returncode == 0, built.stderr[-3000:]
        graded = subprocess.run([sys.executable, "-c", PSEUDO_GRADING], capture_output=True,
                                text=True, env=env, cwd=ROOT, timeout=120, check=True)
        check = subprocess.run(
            [sys.executable, "-m", "grader", "check", "l2-penalty", str(loop), "--json",
             "--timeout", "0.3", "--python", "host", "--sandbox", "off"],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
        )
    finally:
        path.unlink()
    verdicts = json.loads(graded.stdout)
    verdicts["timeout"] = json.loads(check.stdout)
    url = f"http://127.0.0.1:{_server.server_address[1]}/pseudo/"
    return PseudoSite(site, url, verdicts)


@pytest.fixture(scope="session")
def site_dir(_server: _Server, site_url: str) -> Path:
    """The built site's folder (the files ``site_url`` serves)."""
    return _server.root / SUB_PATH


# --- ordering, for pytest-xdist -----------------------------------------------------------

# Files that take longest, longest first: ./dev test hands whole files to two workers in
# collection order (--no-loadscope-reorder), so these start at once, one on each worker,
# and the short files fill in around them instead of one long file ending the run alone.
LONGEST_FIRST = (
    "tests/test_parity.py",
    "tests/browser/test_work.py",
    "tests/test_gradebook.py",
    "tests/test_gradescope.py",
    "tests/test_gradebook_sandbox.py",
    "tests/test_build.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The files of LONGEST_FIRST first, in that order; then the rest, files with more tests
    first (as pytest-xdist's own reordering would); within a file, the order as written."""
    counts: dict[str, int] = {}
    for item in items:
        counts[_file_of(item)] = counts.get(_file_of(item), 0) + 1

    def rank(item: pytest.Item) -> tuple[int, int]:
        name = _file_of(item)
        if name in LONGEST_FIRST:
            return (LONGEST_FIRST.index(name), 0)
        return (len(LONGEST_FIRST), -counts[name])

    items.sort(key=rank)  # stable: a file's tests keep their order


def _file_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]
