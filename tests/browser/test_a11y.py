"""Accessibility on the built site: axe-core on every page and state, and the keyboard.

axe-core is pinned in package.json (a test-only dependency the site never ships) and
injected with Playwright. Every page is audited in the light and the dark scheme, after
load and after interaction (a wrong answer to a question, a wrong submission, a hint, the
solution's confirm step, then a right answer to the question); none may have a serious or
critical violation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from grader import get_exercise

from .helpers import CDN, FIRST, audit, page_of

pytestmark = pytest.mark.browser

def settled(page: Page, site_url: str, site_dir: Path) -> None:
    """Wait until the page at the URL has every component the build put in it mounted."""
    path = page_of(page.url).removeprefix(site_url)
    html = (site_dir / path / "index.html").read_text("utf-8")
    exercises = len(re.findall(r"data-exercise=", html))
    expect(page.locator("[data-exercise] .cm-content")).to_have_count(exercises)
    questions = len(re.findall(r"data-question=", html))
    expect(page.locator("form[data-question][data-wired]")).to_have_count(questions)
    math = len(re.findall(r'class="arithmatex"', html))
    expect(page.locator(".arithmatex[data-typeset]")).to_have_count(math)


# What an interaction changes: the first question and the first exercise (see interact).
CHANGED = ["form[data-question]", "[data-exercise]"]


def interact(page: Page) -> None:
    """A wrong answer to the first question, and a wrong submission, a hint and the
    solution behind its confirm step in the first exercise."""
    question = page.locator("form[data-question]").first
    if question.count():
        question.locator('.l2-option[data-correct="false"] input').first.check()
        question.get_by_role("button", name="Check").click()
        expect(question.get_by_role("status")).to_have_attribute("data-verdict", "fail")
    exercise = page.locator("[data-exercise]").first
    if exercise.count():
        spec = get_exercise(exercise.get_attribute("data-exercise"))
        exercise.evaluate("(el, code) => el.l2Editor.replaceCode(code)", spec.mistakes[0].code)
        exercise.get_by_role("button", name="Submit", exact=True).click()
        verdict = exercise.get_by_role("status")
        expect(verdict).to_have_attribute("data-verdict", "fail" if not spec.requires else "error",
                                          timeout=FIRST)
        exercise.get_by_role("button", name="Hint", exact=True).click()
        exercise.get_by_role("button", name="Show solution", exact=True).click()
        confirm = exercise.get_by_role("group", name="Seeing the solution", exact=False)
        expect(confirm).to_be_visible()
        exercise.get_by_role("button", name="Yes, show it").click()
        expect(exercise.locator(".l2-ex__solution-code")).to_be_focused()


def answer_right(page: Page) -> bool:
    """A right answer to the first question, if the page has one: every explanation and
    its mark shows, on the tint of a right or a wrong option."""
    question = page.locator("form[data-question]").first
    if not question.count():
        return False
    for box in question.locator('.l2-option[data-correct="true"] input').all():
        box.check()
    for box in question.locator('.l2-option[data-correct="false"] input[type="checkbox"]').all():
        box.uncheck()
    question.get_by_role("button", name="Check").click()
    expect(question.get_by_role("status")).to_have_attribute("data-verdict", "pass")
    return True


def test_axe_finds_nothing_serious_on_any_page_or_state(page, site_url, site_dir, network):
    network.expect_blocked(CDN)  # ridge-gd asks Pyodide's CDN for numpy; aborted
    assert not list(site_dir.rglob("axe*.js")), "axe-core is for tests; the site must not ship it"
    page.goto(site_url)
    found, seen, planted = [], [], []
    while True:
        settled(page, site_url, site_dir)
        seen.append(page.url)
        found += audit(page, "after load")
        interact(page)
        # The rest of the page is as it was audited after load.
        found += audit(page, "after interaction", CHANGED)
        if answer_right(page):
            found += audit(page, "after a right answer", CHANGED[:1])
        if not planted and page.locator("[data-exercise]").count():
            # Those audits of the widgets alone see what is in them: a nameless button is found.
            button = "el => el.appendChild(document.createElement('button')).id = 'l2-planted'"
            page.locator("[data-exercise]").first.evaluate(button)
            planted = audit(page, "planted", CHANGED)
            assert any("button-name" in v and "l2-planted" in v for v in planted), planted
            page.evaluate("document.getElementById('l2-planted').remove()")
        following = page.locator("a.md-footer__link--next")
        if not following.count():
            break
        here = page_of(page.url)
        following.click()  # Material's instant navigation: Python loads once for the tour
        page.wait_for_url(lambda url, here=here: page_of(url) != here, wait_until="commit")
    assert len(seen) >= 7, seen
    assert not found, "\n".join(found)
    assert planted, "no page had an exercise to plant a fault in"


def exercise_on(page: Page, site_url: str, path: str, ex_id: str) -> Locator:
    page.goto(site_url + path)
    exercise = page.locator(f'[data-exercise="{ex_id}"]')
    expect(exercise.locator(".cm-content")).to_be_visible()
    return exercise


def test_keyboard_alone_writes_submits_reads_gets_help_and_answers(page, site_url):
    spec = get_exercise("l2-penalty")
    exercise = exercise_on(page, site_url, "l2-regularization/", "l2-penalty")
    editor = exercise.locator(".cm-content")
    keys = page.keyboard
    exercise.get_by_role("button", name="Run", exact=True).focus()
    keys.press("Shift+Tab")  # into the editor, by keyboard
    expect(editor).to_be_focused()
    keys.press("ControlOrMeta+a")
    keys.insert_text(spec.mistakes[0].code)  # writing
    keys.press("Escape")
    keys.press("Tab")
    keys.press("Tab")
    expect(exercise.get_by_role("button", name="Submit", exact=True)).to_be_focused()
    keys.press("Enter")
    status = exercise.get_by_role("status")
    expect(status).to_have_attribute("data-verdict", "fail", timeout=FIRST)
    expect(status).to_contain_text("Not yet.")
    # The announcement is short: the verdict and the headline; the checks are below it.
    assert "passed" not in status.inner_text()
    expect(exercise.locator(".l2-ex__checks")).to_contain_text("Checks:")

    keys.press("Tab")  # Stop is disabled: the next stop is Hint
    expect(exercise.get_by_role("button", name="Hint", exact=True)).to_be_focused()
    keys.press("Enter")
    expect(exercise.locator(".l2-ex__hint-item").first).to_be_focused()
    keys.press("Shift+Tab")
    keys.press("Shift+Tab")
    expect(exercise.get_by_role("button", name="Show solution")).to_be_focused()
    keys.press("Enter")
    expect(exercise.get_by_role("button", name="Yes, show it")).to_be_focused()
    keys.press("Enter")
    solution = exercise.locator(".l2-ex__solution-code")
    expect(solution).to_be_focused()
    expect(solution).to_have_text(spec.solution.rstrip("\n"))

    # A question: arrows choose among the radios, Tab reaches Check, Enter checks.
    question = page.locator('form[data-question][data-select="one"]').first
    options = question.locator(".l2-option")
    right = [options.nth(i).get_attribute("data-correct") for i in range(options.count())]
    question.locator("input").first.focus()
    keys.press("Space")
    for _ in range(right.index("true")):
        keys.press("ArrowDown")
    keys.press("Tab")
    expect(question.get_by_role("button", name="Check")).to_be_focused()
    keys.press("Enter")
    expect(question.get_by_role("status")).to_have_attribute("data-verdict", "pass")


def outline(locator: Locator) -> str:
    return locator.evaluate(
        "el => { const s = getComputedStyle(el); return `${s.outlineStyle} ${s.outlineWidth}`; }"
    )


@pytest.mark.parametrize("mode", ["light", "dark", "forced-colors"])
def test_every_widget_control_shows_its_focus(page, site_url, mode):
    if mode == "forced-colors":
        page.emulate_media(forced_colors="active")
    else:
        page.emulate_media(color_scheme=mode)
    exercise = exercise_on(page, site_url, "l2-regularization/", "l2-penalty")
    radio = page.locator('form[data-question] input[type="radio"]').first
    controls = [
        radio,
        page.locator("form[data-question]").first.get_by_role("button", name="Check"),
        exercise.get_by_role("button", name="Run", exact=True),
        exercise.get_by_role("button", name="Hint", exact=True),
    ]
    checkbox = page.locator('form[data-question] input[type="checkbox"]')
    if checkbox.count():
        controls.append(checkbox.first)
    for control in controls:
        control.focus()
        page.keyboard.press("Shift")  # a keyboard event, so :focus-visible applies
        style, width = outline(control).split()
        assert style != "none" and float(width.removesuffix("px")) >= 2, (mode, control, style)
    editor = exercise.locator(".cm-editor")
    exercise.locator(".cm-content").focus()
    expect(editor).to_have_class(re.compile(r"\bcm-focused\b"))
    style, width = outline(editor).split()
    assert style != "none" and float(width.removesuffix("px")) >= 2, (mode, "editor", style)


def test_question_group_is_named_by_its_question_and_explanations_describe_options(
    page, site_url
):
    page.goto(site_url + "l2-regularization/")
    form = page.locator("form[data-question]:not(:has(.l2-question-prompt .arithmatex))").first
    prompt = " ".join(form.locator(".l2-question-prompt").inner_text().split())
    group = form.get_by_role("group", name=prompt, exact=True)
    expect(group).to_have_count(1)
    # Named by the question, described by how to answer it.
    expect(group).to_have_accessible_description(form.locator(".l2-question-how").inner_text())
    wrong = form.locator('.l2-option[data-correct="false"] input').first
    assert wrong.get_attribute("aria-describedby") is None  # nothing to read yet
    wrong.check()
    form.get_by_role("button", name="Check").click()
    why = form.locator('.l2-option[data-correct="false"] .l2-option-why').first
    expect(why).to_be_visible()
    expect(wrong).to_have_attribute("aria-describedby", why.get_attribute("id"))
    description = wrong.evaluate(
        "el => document.getElementById(el.getAttribute('aria-describedby')).textContent"
    )
    assert "Wrong answer." in description


def apart(buttons: Locator) -> None:
    """Buttons side by side never touch (WCAG 2.2 target spacing)."""
    boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
    boxes = [b for b in boxes if b]
    assert len(boxes) >= 2
    for left, right in zip(boxes, boxes[1:], strict=False):
        same_row = abs(left["y"] - right["y"]) < left["height"] / 2
        if same_row:
            assert right["x"] - (left["x"] + left["width"]) >= 4, (left, right)


def test_small_screen_wraps_the_editor_and_keeps_buttons_apart(page, site_url):
    page.set_viewport_size({"width": 320, "height": 700})
    exercise = exercise_on(page, site_url, "l2-regularization/", "l2-penalty")
    scroller = exercise.locator(".cm-scroller")
    wide = scroller.evaluate("el => el.scrollWidth - el.clientWidth")
    assert wide <= 1, f"the editor scrolls sideways by {wide}px at 320px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    apart(exercise.locator(".l2-ex__toolbar button"))
    exercise.get_by_role("button", name="Show solution").click()
    apart(exercise.locator(".l2-ex__confirm button"))
    exercise.get_by_role("button", name="Yes, show it").click()
    apart(exercise.locator(".l2-ex__solution button"))
    solution = exercise.locator(".l2-ex__solution-code")
    # The focusable <pre> is what scrolls, not the <code> inside it.
    assert solution.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert solution.evaluate("el => el.scrollWidth > el.clientWidth")  # it does scroll here
    assert solution.locator("code").evaluate("el => getComputedStyle(el).overflowX") == "visible"


def test_forced_colours_keep_the_error_line_marked(page, site_url):
    page.emulate_media(forced_colors="active")
    exercise = exercise_on(page, site_url, "l2-regularization/", "l2-penalty")
    exercise.evaluate("el => el.l2Editor.markLine(1)")
    line = exercise.locator(".cm-line.l2-error-line")
    expect(line).to_have_count(1)
    style, width = outline(line).split()
    assert style != "none" and float(width.removesuffix("px")) >= 2
