"""The course offline: after a first visit, the service worker (sw.js) serves the pages,
the Pyodide core and the grader, so exercises are graded with the network cut."""

from __future__ import annotations

import pytest

from grader import get_exercise

from .test_exercises import mounted, open_exercise, pages, status, submit  # noqa: F401

pytestmark = pytest.mark.browser

KEPT = """async (url) => {
    const names = (await caches.keys()).filter((n) => n.startsWith('l2-course-site-'));
    if (names.length !== 1) return false;
    const cache = await caches.open(names[0]);
    return Boolean(await cache.match(url)) && navigator.serviceWorker.controller !== null;
}"""


def test_exercises_are_graded_with_the_network_cut_after_a_first_visit(browser, site_url, pages):  # noqa: F811
    context = browser.new_context()  # service workers allowed, nothing routed
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        spec = get_exercise("l2-penalty")
        exercise = open_exercise(page, site_url, pages, "l2-penalty")
        submit(page, exercise, spec.solution, "pass")
        wasm = site_url + "pyodide/pyodide.asm.wasm"
        for _ in range(240):
            if page.evaluate(KEPT, wasm):
                break
            page.wait_for_timeout(250)
        else:
            pytest.fail("the service worker did not keep the Python files")

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
    finally:
        context.close()
    assert not errors, errors
