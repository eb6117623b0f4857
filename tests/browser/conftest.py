"""Fixtures for browser tests: the real site, built once, driven by Debian's Chromium.

Mark every test here ``@pytest.mark.browser``. The fixtures:

``site_url``, ``site_dir`` (session)
    The real site, built once per session and served on 127.0.0.1 under a sub-path: see
    ``tests/conftest.py``, which the build and publishing tests share.
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

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

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
