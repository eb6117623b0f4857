"""Nothing a learner typed is lost: large code, two tabs on one exercise, a full storage,
a reload while grading (issue 23). Every test works through the widget, as a learner does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grader import get_exercise

from .helpers import (
    LOOP,
    button,
    code_of,
    mounted,
    open_exercise,
    panel,
    status,
    submit,
    type_code,
)

pytestmark = pytest.mark.browser

KEY = "l2-course:exercise:l2-penalty:"


def stored_code(page) -> str | None:
    return (stored(page) or {}).get("code")


def stored(page) -> dict | None:
    return page.evaluate(
        f"""() => {{
        for (let i = 0; i < localStorage.length; i++) {{
            const key = localStorage.key(i);
            if (key.startsWith("{KEY}")) return JSON.parse(localStorage.getItem(key));
        }}
        return null;
    }}"""
    )


def test_code_of_any_size_is_saved_loaded_and_not_overwritten(page, site_url, pages):
    spec = get_exercise("l2-penalty")
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    big = spec.solution + "# " + "x" * 300_000 + "\n"  # past the old 200,000-character cut
    exercise.evaluate("(el, code) => el.l2Editor.replaceCode(code)", big)
    page.reload()
    exercise = mounted(page, "l2-penalty")
    assert code_of(exercise) == big
    exercise.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type("#")
    page.reload()
    exercise = mounted(page, "l2-penalty")
    assert code_of(exercise) == big + "#"


def test_a_stale_tab_never_overwrites_newer_code(page, site_url, pages):
    spec = get_exercise("l2-penalty")
    stale = open_exercise(page, site_url, pages, "l2-penalty")
    type_code(page, stale, "# the stale tab's attempt\n")
    page.wait_for_function(f"() => Object.keys(localStorage).some((k) => k.startsWith('{KEY}'))")
    other = page.context.new_page()
    try:
        fresh = open_exercise(other, site_url, pages, "l2-penalty")
        submit(other, fresh, spec.solution, "pass")
        # The stale tab hears of it, shows the newer code and verdict, offers its own back.
        expect(stale.locator(".l2-ex__notice")).to_contain_text("another tab")
        assert code_of(stale) == spec.solution
        expect(status(stale)).to_have_attribute("data-verdict", "pass")
        # Its next keystroke edits the newer code; nothing of the pass is lost.
        stale.locator(".cm-content").click()
        page.keyboard.press("ControlOrMeta+End")
        page.keyboard.type("\n")
        page.wait_for_function(
            f"""(code) => Object.keys(localStorage).some((k) => k.startsWith('{KEY}') &&
                JSON.parse(localStorage.getItem(k)).code === code)""",
            arg=spec.solution + "\n",
        )
        assert stored(page)["verdict"] == "pass"
        button(stale, "Restore this tab's code").click()
        assert code_of(stale) == "# the stale tab's attempt\n"
    finally:
        other.close()


def test_a_save_that_fails_is_said_and_the_code_can_be_downloaded(page, site_url, pages):
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    page.evaluate(
        """() => {
        Storage.prototype.setItem = function () {
            throw new DOMException("the quota is exceeded", "QuotaExceededError");
        };
    }"""
    )
    code = "def l2_penalty(weights):\n    return 0.0  # kept only here\n"
    type_code(page, exercise, code)
    notice = exercise.locator(".l2-ex__notice")
    expect(notice).to_contain_text("could not be saved")
    expect(notice).to_contain_text("QuotaExceededError")
    with page.expect_download() as info:
        button(exercise, "Download my code").click()
    download = info.value
    assert download.suggested_filename == "l2-penalty.py"
    assert open(download.path(), encoding="utf-8").read() == code


def test_a_verdict_is_never_shown_beside_code_it_did_not_grade(page, site_url, pages):
    spec = get_exercise("l2-penalty")
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    submit(page, exercise, spec.solution, "pass")
    type_code(page, exercise, LOOP["l2-penalty"])
    button(exercise, "Submit").click()
    expect(panel(exercise)).to_contain_text("Checking your code")
    page.reload()  # while the runaway is being graded: no verdict for it exists
    exercise = mounted(page, "l2-penalty")
    assert code_of(exercise) == LOOP["l2-penalty"]
    assert stored_code(page) == LOOP["l2-penalty"]
    expect(panel(exercise)).to_contain_text("was other code than this")
    expect(status(exercise)).not_to_have_attribute("data-verdict", "pass")
