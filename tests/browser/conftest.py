"""Fixtures for browser tests: the real site, built once, driven by Debian's Chromium.

Mark every test here ``@pytest.mark.browser``. The fixtures:

``site_url`` (session)
    ``"http://127.0.0.1:PORT/l2-course/"``: the real site, built once by ``mkdocs build``
    from the repository's ``mkdocs.yml`` (with ``SITE_URL`` set to this URL, so Material's
    instant navigation works) into ``<tmp>/l2-course``, a sub-path as on GitHub Pages, and
    served by a threaded ``http.server`` over ``<tmp>`` (``.mjs`` as
    ``application/javascript``, ``.wasm`` as ``application/wasm``).
``site_dir`` (session)
    ``Path`` of the built site's folder, to read the HTML that the build wrote.
``browser`` (session)
    One Chromium (``/usr/bin/chromium``) for the whole session. Missing browser: the
    tests are skipped locally, and fail when ``CI=true``.
``network`` (function)
    The ``NetworkGuard`` of this test's page: ``.requests`` (every URL asked for),
    ``.blocked`` (URLs that were not to 127.0.0.1: aborted, never sent), ``.errors``
    (uncaught page errors). ``network.expect_blocked(prefix)`` declares a request that
    the test expects the page to attempt (say Pyodide's CDN for numpy); it is still
    aborted, but does not fail the test.
``page`` (function)
    A fresh page in its own browser context (empty localStorage) whose every request
    outside 127.0.0.1 is aborted. At teardown the test fails if any unexpected request
    was attempted or any uncaught page error happened.

Example::

    @pytest.mark.browser
    def test_home(page, site_url):
        page.goto(site_url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUB_PATH = "l2-course"
LOCAL_HOSTS = {"127.0.0.1"}


def _missing_browser(reason: str) -> None:
    """Skip on a developer's machine; on CI a missing browser is a failure, not a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".zip": "application/zip",
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
    """Build the real site once, under a sub-path, and return its URL on 127.0.0.1."""
    url = f"http://127.0.0.1:{_server.server_address[1]}/{SUB_PATH}/"
    out = _server.root / SUB_PATH
    # mkdocs.yml reads site_url from SITE_URL: Material's instant navigation only follows
    # links that the sitemap (written from site_url) lists. PYODIDE_URL is cleared: the
    # tests expect the default (the site's own core, Pyodide's CDN for numpy).
    env = {**os.environ, "SITE_URL": url, "PYODIDE_URL": "", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet"]
    result = subprocess.run(
        [*command, "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stderr}{result.stdout}", pytrace=False)
    return url


@pytest.fixture(scope="session")
def site_dir(_server: _Server, site_url: str) -> Path:
    """The built site's folder (the files ``site_url`` serves)."""
    return _server.root / SUB_PATH


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        _missing_browser(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("Playwright is not installed: run ./dev setup")
    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class NetworkGuard:
    """What one page asked for, what was refused, and what went wrong in it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self._expected: list[str] = []

    def expect_blocked(self, prefix: str) -> None:
        """Let requests starting with ``prefix`` be attempted (they are still aborted)."""
        self._expected.append(prefix)

    def unexpected(self) -> list[str]:
        return [u for u in self.blocked if not any(u.startswith(p) for p in self._expected)]

    def route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@pytest.fixture
def network() -> NetworkGuard:
    return NetworkGuard()


@pytest.fixture
def page(browser, network: NetworkGuard):
    """A fresh page; anything not for 127.0.0.1 is aborted and fails the test."""
    # No service worker: what a page loads is what it asks for (tests/browser/test_offline.py
    # covers the service worker in its own context).
    context = browser.new_context(service_workers="block")
    context.route("**/*", network.route)
    page = context.new_page()
    page.on("pageerror", lambda error: network.errors.append(str(error)))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    problems = []
    if network.unexpected():
        problems.append("requests outside 127.0.0.1: " + ", ".join(network.unexpected()))
    if network.errors:
        problems.append("uncaught page errors: " + " | ".join(network.errors))
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)
