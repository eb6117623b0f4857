"""What the browser tests share besides fixtures: finding, driving and reading the widgets.

Fixtures are in conftest.py; test modules import these helpers from here, never from
one another.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader import exercise_ids, get_exercise

ROOT = Path(__file__).resolve().parent.parent.parent

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # conftest imports this too: the browser fixture says what is missing
    Locator = Page = expect = None

# The first grade of a page waits for Pyodide to load: allow for a slow CI machine.
FIRST = 60_000
CDN = "https://cdn.jsdelivr.net/pyodide/"
PURE = [i for i in exercise_ids() if not get_exercise(i).requires]
LOOP = {
    "l2-penalty": "def l2_penalty(weights):\n    while True:\n        pass\n",
}


def open_exercise(page: Page, site_url: str, pages: dict[str, str], ex_id: str) -> Locator:
    assert ex_id in pages, f"no page of the built site has exercise {ex_id!r}"
    page.goto(site_url + pages[ex_id])
    return mounted(page, ex_id)


def follow(page: Page, site_url: str, path: str) -> None:
    """Go to a page of the site by a link, as a learner does: Material's instant navigation
    swaps the content in place and the tab keeps its Python."""
    page.evaluate(
        """(url) => {
            const link = Object.assign(document.createElement("a"), {href: url});
            document.querySelector(".md-content").append(link);
            link.click();
        }""",
        site_url + path,
    )
    page.wait_for_url(lambda url: page_of(url) == site_url + path)


FOCUSED = re.compile(r"\bcm-focused\b")


def mounted(page: Page, ex_id: str) -> Locator:
    exercise = page.locator(f'[data-exercise="{ex_id}"]')
    expect(exercise.locator(".cm-content")).to_be_visible()
    return exercise


def button(exercise: Locator, name: str) -> Locator:
    return exercise.get_by_role("button", name=name, exact=True)


def status(exercise: Locator) -> Locator:
    """The live region: the verdict (data-verdict/data-run) and its headline only."""
    return exercise.get_by_role("status")


def panel(exercise: Locator) -> Locator:
    """The whole result panel: the status line, then the error, checks and output."""
    return exercise.locator(".l2-ex__result")


def code_of(exercise: Locator) -> str:
    return exercise.evaluate("el => el.l2Editor.getCode()")


def type_code(page: Page, exercise: Locator, code: str) -> None:
    """Replace the editor's text as a learner would: click in it, select all, then type
    (paste) it. A click that did not focus the editor is made again: right after an instant
    navigation back, Material restores the scroll position, which can move the editor from
    under the pointer between Playwright's aim and its click (seen once, on a loaded CI)."""
    for attempt in range(3):
        exercise.locator(".cm-content").click()
        try:
            expect(exercise.locator(".cm-editor")).to_have_class(FOCUSED, timeout=1000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(code)
    assert code_of(exercise) == code


def submit(page: Page, exercise: Locator, code: str, verdict: str, timeout: int = FIRST):
    type_code(page, exercise, code)
    button(exercise, "Submit").click()
    expect(status(exercise)).to_have_attribute("data-verdict", verdict, timeout=timeout)


def away_and_back(page: Page) -> None:
    """Follow the site's own footer link and come back; Material swaps the content in place."""
    here = page_of(page.url)
    page.locator("a.md-footer__link--next, a.md-footer__link--prev").first.click()
    page.wait_for_url(lambda url: page_of(url) != here)
    page.go_back()
    page.wait_for_url(lambda url: page_of(url) == here)


SNAPSHOT_CACHE = "l2-course-python-snapshot"  # web/python/pool.js keeps it there


def snapshot_stored(page) -> None:
    """Wait (up to 60 s) until this origin's Cache Storage holds one whole Python snapshot,
    stored under the name of this page's grader and standard library versions (its config's
    cacheKey). (Polled with evaluate: wait_for_function would take the Promise itself for a yes.)"""
    check = f"""async () => {{
        const python = JSON.parse(document.getElementById('l2-config').textContent).python;
        const cache = await caches.open('{SNAPSHOT_CACHE}');
        const keys = await cache.keys();
        return keys.length === 1 && Boolean(await cache.match(keys[0]))
            && keys[0].url === new URL(python.urls.cacheKey, location.href).href
            && python.cacheName === '{SNAPSHOT_CACHE}';
    }}"""
    for _ in range(240):
        if page.evaluate(check):
            return
        page.wait_for_timeout(250)
    pytest.fail("no Python snapshot was stored in Cache Storage", pytrace=False)


# Whether the service worker (web/service-worker.js) keeps url in its one site cache.
KEPT = """async (url) => {
    const names = (await caches.keys()).filter((n) => n.startsWith('l2-course-site-'));
    if (names.length !== 1) return false;
    const cache = await caches.open(names[0]);
    return Boolean(await cache.match(url)) && navigator.serviceWorker.controller !== null;
}"""


def site_files_kept(page, url: str, failure: str) -> None:
    """Wait (up to 60 s) until one service-worker site cache holds ``url`` and the worker
    controls the page; else fail with ``failure``."""
    for _ in range(240):
        if page.evaluate(KEPT, url):
            return
        page.wait_for_timeout(250)
    pytest.fail(failure, pytrace=False)


def page_of(url: str) -> str:
    """The page a URL is at, without its fragment: Material rewrites the fragment as the
    page scrolls (navigation.tracking), so pages are told apart without it."""
    return url.split("#")[0]


# --- accessibility (axe-core) ----------------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Colours are audited as they end up, not mid-fade: transitions and animations (Material
# fades its header title, for one) are switched off in the audited document.
STILL = """() => {
    if (document.getElementById('l2-still')) return;
    const style = Object.assign(document.createElement('style'), {id: 'l2-still'});
    style.textContent = '*, *::before, *::after '
        + '{ transition: none !important; animation: none !important; }';
    document.head.append(style);
}"""
AUDIT = """async (selectors) => {
    const parts = selectors && selectors.map((s) => document.querySelector(s)).filter(Boolean);
    if (parts && !parts.length) return [];
    const context = parts ? {include: parts.map((el) => [el])} : document;
    return (await axe.run(context, {resultTypes: ["violations"]})).violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}: ${n.failureSummary}`));
}"""



def audit(page: Page, state: str, selectors: list[str] | None = None) -> list[str]:
    """axe's serious and critical findings in both schemes, labelled with page and state:
    of the whole page, or of the first element each of `selectors` finds."""
    if not page.evaluate("typeof axe === 'object'"):
        # Evaluated, not added as a <script>: a page's Content-Security-Policy (the
        # teacher's page has one) refuses an inline script but not the test's own code.
        page.evaluate(AXE.read_text("utf-8"))
    page.evaluate(STILL)
    found = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        want = "slate" if scheme == "dark" else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", want)
        found += [f"{page.url} {state} {scheme}: {v}" for v in page.evaluate(AUDIT, selectors)]
    return found
