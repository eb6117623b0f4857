"""Fixtures for browser tests: the real site, built once, driven by Debian's Chromium.

Mark every test here ``@pytest.mark.browser``. The fixtures:

``site_url``, ``site_dir`` (session)
    The real site, built once per session and served on 127.0.0.1 under a sub-path: see
    ``tests/conftest.py``, which the build and publishing tests share.
``browser`` (session)
    One Chromium (``/usr/bin/chromium``) for the whole session. Missing browser: the
    tests are skipped locally, and fail when ``CI=true``.
``network`` (function)
    The ``NetworkGuard`` of this test: ``.requests`` (every URL asked for, by the page and
    its workers), ``.blocked`` (URLs not on 127.0.0.1: the browser resolves no other host,
    so they are never sent), ``.errors`` (uncaught page errors).
    ``network.expect_blocked(prefix)`` declares a request that the test expects the page to
    attempt (say Pyodide's CDN for numpy); it still fails, but does not fail the test.
``page`` (function)
    A new tab in the session's one shared browser context, its storage (localStorage,
    IndexedDB, cookies) cleared first: a learner's first visit to the course, in a browser
    whose HTTP cache and Cache Storage already hold the site and a Python snapshot (made once
    per session), so Python starts as on a return visit (~0.5 s, not a ~3 s boot).
    At teardown the test fails if any unexpected request was attempted or any uncaught page
    error happened.
``pages`` (session)
    Exercise id -> the page (relative URL) of the built site that carries it.
``no_python`` (function)
    Makes ``page`` refuse the course's Python worker, as a strict browser policy would: for
    tests of the pages' other parts, which then spend no CPU restoring Python (the widget
    says Python could not start; tests/browser/test_runtime.py checks that it does).
``fresh_page`` (function)
    The same, in a browser context of its own: nothing cached, no snapshot. For tests of
    a first boot, of what a page downloads, or of the snapshot itself.

Example::

    @pytest.mark.browser
    def test_home(page, site_url):
        page.goto(site_url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import snapshot_stored

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
    # Only the test server resolves: a request for any other host fails in the browser and is
    # never sent (the NetworkGuard notes it).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1"}


def _missing_browser(reason: str) -> None:
    """Skip on a developer's machine; on CI a missing browser is a failure, not a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


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

    def record(self, request) -> None:
        url = request.url
        self.requests.append(url)
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname not in LOCAL_HOSTS:
            self.blocked.append(url)


@pytest.fixture
def network() -> NetworkGuard:
    return NetworkGuard()


def _open(context, network: NetworkGuard):
    """A new tab of `context` whose requests (its workers' too) and errors `network` notes."""
    context.on("request", network.record)
    page = context.new_page()
    page.on("pageerror", lambda error: network.errors.append(str(error)))
    page.set_default_timeout(15_000)
    return page


def _judge(context, network: NetworkGuard) -> None:
    context.remove_listener("request", network.record)
    problems = []
    if network.unexpected():
        problems.append("requests outside 127.0.0.1: " + ", ".join(network.unexpected()))
    if network.errors:
        problems.append("uncaught page errors: " + " | ".join(network.errors))
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)


# What a new learner's browser would not have; Cache Storage (the Python snapshot) and the
# HTTP cache stay, as after an earlier visit.
FIRST_VISIT = "cookies,file_systems,indexeddb,local_storage,service_workers,websql"


@pytest.fixture(scope="session")
def pages(site_dir: Path) -> dict[str, str]:
    """Exercise id -> the page (relative URL) that carries it."""
    found: dict[str, str] = {}
    for html in sorted(site_dir.rglob("*.html")):
        for ex_id in re.findall(r'data-exercise="([^"]+)"', html.read_text("utf-8")):
            rel = html.relative_to(site_dir).as_posix()
            found.setdefault(ex_id, rel.removesuffix("index.html"))
    return found


@pytest.fixture(scope="session")
def shared_context(browser, site_url):
    """The session's browser context, with a Python snapshot in its Cache Storage."""
    # No service worker: what a page loads is what it asks for (tests/browser/test_offline.py
    # covers the service worker in contexts of its own).
    context = browser.new_context(service_workers="block")
    warm = NetworkGuard()
    page = _open(context, warm)
    # A fresh boot with no job waiting stores its snapshot at once (web/exercise-runtime.js).
    page.goto(site_url + "l2-regularization/")
    snapshot_stored(page)
    page.close()
    _judge(context, warm)
    yield context
    context.close()


@pytest.fixture
def page(shared_context, site_url, network: NetworkGuard):
    """A new tab in the shared context, as on a first visit (see the module's docstring)."""
    page = _open(shared_context, network)
    origin = "/".join(site_url.split("/", 3)[:3])
    cdp = shared_context.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": FIRST_VISIT})
    cdp.detach()
    yield page
    page.close()
    _judge(shared_context, network)


# The browser refuses to create the course's Python worker (web/worker.js), nothing else.
NO_PYTHON = """(() => {
    const Native = window.Worker;
    window.Worker = class extends Native {
        constructor(url, options) {
            if (String(url).includes("/assets/course/worker.js")) {
                throw new DOMException("workers are not allowed here", "SecurityError");
            }
            super(url, options);
        }
    };
})();"""


@pytest.fixture
def no_python(page):
    page.add_init_script(NO_PYTHON)
    return page


@pytest.fixture
def fresh_page(browser, network: NetworkGuard):
    """A new tab in a browser context of its own: nothing cached, no Python snapshot."""
    context = browser.new_context(service_workers="block")
    page = _open(context, network)
    yield page
    context.close()
    _judge(context, network)
