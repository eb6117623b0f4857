"""The course offline: after a first visit, the service worker (sw.js) serves the pages,
the Pyodide core and the grader, so exercises are graded with the network cut."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import expect

from grader import get_exercise
from hooks import offline

from .helpers import (
    KEPT,
    button,
    follow,
    mounted,
    open_exercise,
    panel,
    site_files_kept,
    status,
    submit,
    type_code,
)

pytestmark = pytest.mark.browser

def test_exercises_are_graded_with_the_network_cut_after_a_first_visit(browser, site_url, pages):
    context = browser.new_context()  # service workers allowed, nothing routed
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        spec = get_exercise("l2-penalty")
        exercise = open_exercise(page, site_url, pages, "l2-penalty")
        submit(page, exercise, spec.solution, "pass")
        wasm = site_url + "pyodide/pyodide.asm.wasm"
        site_files_kept(page, wasm, "the service worker did not keep the Python files")

        context.set_offline(True)
        page.reload()
        exercise = mounted(page, "l2-penalty")
        submit(page, exercise, spec.mistakes[0].code, "fail")
        submit(page, exercise, spec.solution, "pass", timeout=15_000)
        # A page not visited yet, and a fresh tab, offline too.
        other = get_exercise("weight-share")
        page.goto(site_url + pages["weight-share"])
        submit(page, mounted(page, "weight-share"), other.solution, "pass")
        tab = context.new_page()
        tab.goto(site_url + pages["l2-penalty"])
        submit(tab, mounted(tab, "l2-penalty"), spec.solution, "pass")
        assert "Passed" in status(mounted(tab, "l2-penalty")).inner_text()
        # The rest of the standard library is kept once used, not before: offline and never
        # used, an import of it says why it fails; used once online, it works offline.
        exercise = mounted(tab, "l2-penalty")
        assert ("Line 1: ImportError: email is part of Python's standard library that this "
                "site loads on first use, and it could not be loaded: is the network down?"
                ) in ran(tab, exercise, "import email", "error")
        uses = "import email\nprint(email.__name__)"
        context.set_offline(False)
        ran(tab, exercise, uses, "ok")
        context.set_offline(True)
        tab.reload()
        assert "email" in ran(tab, mounted(tab, "l2-penalty"), uses, "ok")
        # An import the worker could not see coming loads it synchronously: kept, too.
        tab.reload()
        hidden = "print(__import__('em' + 'ail').__name__)"
        assert "email" in ran(tab, mounted(tab, "l2-penalty"), hidden, "ok")
    finally:
        context.close()
    assert not errors, errors


def test_a_reading_page_keeps_python_for_the_exercise_pages(browser, site_url, pages):
    """web/prefetch.js: a learner who stays on a page without an exercise gets Python into
    the service worker's cache, so the first exercise page works even offline."""
    context = browser.new_context()
    page = context.new_page()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    try:
        page.goto(site_url)  # the home page has no exercise
        assert page.locator("[data-exercise]").count() == 0
        wasm = site_url + "pyodide/pyodide.asm.wasm"
        site_files_kept(page, wasm, "reading the home page did not keep Python's files")
        assert page.evaluate("performance.getEntriesByName('l2:python-prefetch').length") == 1
        # A warm boot the prefetch started finishes before the network goes (a boot cut off
        # half-way is another case).
        # (web/prefetch.js boots it once the files are kept, where the device can afford it.)
        page.wait_for_function(
            "performance.getEntriesByName('l2:python-ready').length > 0"
            " || (performance.getEntriesByName('l2:python-warm').length === 0"
            "     && performance.now() - performance.getEntriesByName('l2:python-prefetch')[0]"
            "        .startTime > 20000)",
            timeout=120_000,
        )
        # What a first verdict needs, not the optional packages.
        assert not any(url.endswith(".whl") for url in asked)
        context.set_offline(True)
        spec = get_exercise("l2-penalty")
        follow(page, site_url, pages["l2-penalty"])
        editor = page.locator('[data-exercise="l2-penalty"] .cm-content')
        expect(editor).to_be_visible(timeout=30_000)  # Python boots beside it meanwhile
        submit(page, mounted(page, "l2-penalty"), spec.solution, "pass")
    finally:
        context.close()


def test_a_boot_cut_off_by_the_network_starts_again_from_the_cache(browser, site_url, pages):
    """The network goes while the reading page's warm boot (web/prefetch.js) is half-way,
    before the service worker took the page over: the tab starts a fresh worker, which the
    service worker serves from its cache, and the exercise page a link away grades."""
    context = browser.new_context()
    page = context.new_page()
    installing: list = []  # one file the service worker's install waits for, held back
    workers: list = []  # the warm boot's worker script, asked of the network

    def hold_install(route):
        if installing:
            return route.continue_()
        installing.append(route)

    context.route(site_url + "about/", hold_install)
    def hold_worker(route):
        if route.request.service_worker:  # the install keeping it: not the boot
            return route.continue_()
        workers.append(route)

    context.route("**/assets/course/worker.js*", hold_worker)
    try:
        page.goto(site_url)  # the home page has no exercise: prefetch, then the warm boot
        for _ in range(480):
            if workers and installing:
                break
            page.wait_for_timeout(250)
        else:
            pytest.fail("no warm boot started while the service worker was installing")
        assert page.evaluate("navigator.serviceWorker.controller") is None
        installing[0].continue_()  # the install ends; the service worker takes the page over
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
        context.set_offline(True)
        workers[0].abort("internetdisconnected")  # the first boot is cut off half-way
        # The tab starts a fresh worker by itself, on the reading page, from the cache.
        page.wait_for_function(
            "performance.getEntriesByName('l2:python-ready').length > 0", timeout=60_000
        )
        spec = get_exercise("l2-penalty")
        follow(page, site_url, pages["l2-penalty"])
        editor = page.locator('[data-exercise="l2-penalty"] .cm-content')
        expect(editor).to_be_visible(timeout=30_000)
        exercise = mounted(page, "l2-penalty")
        # Python comes up by itself, before any Submit (which would try again anyway).
        expect(exercise).to_have_attribute("data-python", "ready", timeout=60_000)
        assert "could not start" not in exercise.inner_text()
        submit(page, exercise, spec.solution, "pass")
        assert len(workers) == 1  # the fresh worker came from the cache, not the network
    finally:
        context.close()


# Save-Data on, as navigator.connection reports it; each read of it is counted, so the test
# knows when web/prefetch.js has made its choice (after the dwell, in idle time).
SAVE_DATA = """(() => {
    window.l2SaveDataReads = 0;
    const connection = {
        get saveData() { window.l2SaveDataReads += 1; return true; },
        effectiveType: "4g",
        addEventListener() {},
        removeEventListener() {},
    };
    const get = () => connection;
    Object.defineProperty(Navigator.prototype, "connection", {configurable: true, get});
})();"""


def test_a_reading_page_fetches_no_python_with_save_data_on(browser, site_url):
    context = browser.new_context()  # service workers allowed, as in the test above
    context.add_init_script(SAVE_DATA)
    page = context.new_page()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    try:
        page.goto(site_url)  # the home page has no exercise: prefetch would start here
        assert page.locator("[data-exercise]").count() == 0
        page.wait_for_function("window.l2SaveDataReads > 0", timeout=30_000)
        assert page.evaluate("performance.getEntriesByName('l2:python-prefetch').length") == 0
        assert not page.evaluate(KEPT, site_url + "pyodide/pyodide.asm.wasm")
        python = [u for u in asked if "/pyodide/" in u or u.endswith(("grader.zip", ".whl"))]
        assert python == [], python
    finally:
        context.close()


def ran(page, exercise, code: str, outcome: str) -> str:
    """Run ``code`` in ``exercise``; the panel's text once the run ended with ``outcome``."""
    type_code(page, exercise, code)
    button(exercise, "Run").click()
    expect(status(exercise)).to_have_attribute("data-run", outcome, timeout=30_000)
    return panel(exercise).inner_text()


# --- a new deploy -------------------------------------------------------------------------

SERVED_GRADER = """async (url) => {
    const config = JSON.parse(document.getElementById('l2-config').textContent);
    const version = new URL(config.python.urls.graderURL, location.href).searchParams.get('v');
    const bytes = await (await fetch(url + '?v=' + version)).arrayBuffer();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const hash = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    return [version, hash.slice(0, 16)];
}"""
WAITING = """async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return Boolean(registration && registration.waiting);
}"""


def deploy_again(site: Path) -> tuple[str, str]:
    """Turn the copy of the site at ``site`` into a next deploy whose grader differs (a file
    added to its archive), as the build would write it: pages that name the new grader,
    and a new sw.js. Returns the old and the new grader versions."""
    archive = site / "assets" / "grader.zip"
    old = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    buffer = io.BytesIO(archive.read_bytes())
    with zipfile.ZipFile(buffer, "a") as changed:
        changed.writestr("exercises/_next_deploy.py", "# the next deploy's grader\n")
    archive.write_bytes(buffer.getvalue())
    new = hashlib.sha256(buffer.getvalue()).hexdigest()[:16]
    for html in site.rglob("*.html"):
        text = html.read_text("utf-8")
        if old in text:
            html.write_text(text.replace(old, new), "utf-8")
    offline.write_service_worker(site, ROOT / "web" / "service-worker.js")
    return old, new


def test_a_new_deploy_takes_over_and_never_mixes_a_page_with_another_deploys_grader(
    browser, site_dir, site_url, pages
):
    copy = site_dir.parent / "next-deploy"
    shutil.copytree(site_dir, copy)
    base = site_url.rstrip("/").rsplit("/", 1)[0] + "/next-deploy/"
    grader_url = base + "assets/grader.zip"
    spec = get_exercise("l2-penalty")
    context = browser.new_context()
    errors: list[str] = []

    def open_and_grade():
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        # What counts is the exercise, not every last file of the page (a deploy change-over
        # on a busy machine once held the load event past 30 s).
        # The navigation itself can wait on the new deploy's activation, which copies the
        # unchanged files from the old cache first.
        page.goto(base + pages["l2-penalty"], wait_until="commit", timeout=120_000)
        editor = page.locator('[data-exercise="l2-penalty"] .cm-content')
        expect(editor).to_be_visible(timeout=30_000)
        submit(page, mounted(page, "l2-penalty"), spec.solution, "pass")
        version, served = page.evaluate(SERVED_GRADER, grader_url)
        assert served == version, "the page was served another deploy's grader"
        return page, version

    try:
        page, first = open_and_grade()
        # The first deploy is kept, Python included.
        site_files_kept(page, base + "pyodide/pyodide.asm.wasm",
                        "the service worker did not keep the first deploy")

        old, new = deploy_again(copy)
        assert old == first
        assert new != old
        # The open tab keeps its deploy whole: its pages with its grader.
        page.reload()
        submit(page, mounted(page, "l2-penalty"), spec.solution, "pass")
        assert page.evaluate(SERVED_GRADER, grader_url) == [old, old]
        # The next deploy installs beside it, and takes over once no tab of the old one is open.
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        for _ in range(240):
            if page.evaluate(WAITING):
                break
            page.wait_for_timeout(250)
        else:
            pytest.fail("the new deploy's service worker was not installed")
        page.close()
        for _ in range(20):
            page, version = open_and_grade()
            if version == new:
                break
            page.close()
        assert version == new, "the new deploy never took over"
    finally:
        context.close()
    assert not errors, errors


# A deploy that lands while a tab is open, before a service worker controls it (or with
# none, as in the shared context): the next page the tab fetches is the new build's.
def as_next_build(route):
    response = route.fetch()
    body = re.sub(r'("build": ")[^"]*"', r'\1next-deploy"', response.text())
    route.fulfill(response=response, body=body)


def test_a_page_of_another_build_is_loaded_in_full_not_swapped_in(page, site_url, pages):
    page.goto(site_url)
    page.evaluate("window.l2SameDocument = true")
    # The same build: Material's instant navigation swaps the content into this document.
    follow(page, site_url, pages["l2-penalty"])
    mounted(page, "l2-penalty")
    assert page.evaluate("window.l2SameDocument") is True
    # Another build: the page is loaded in full, with its own scripts.
    target = pages["early-stop"]
    assert target != pages["l2-penalty"]
    page.route(site_url + target, as_next_build)
    follow(page, site_url, target)
    page.wait_for_function("window.l2SameDocument === undefined")
    mounted(page, "early-stop")
    assert page.evaluate("JSON.parse(document.getElementById('l2-config').textContent).build") == (
        "next-deploy"
    )
