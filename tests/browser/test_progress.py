"""Progress across the course (web/progress.js), driven through Chromium with the keyboard.

The recap page lists every question and exercise with the learner's status, read from
what the widgets store; a page whose checks are all done gets a mark in the navigation;
a page's answers can be reset. Which widgets are on which page comes from the
progress.json the build wrote, so adding a question or a page touches no test here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.questions import load_questions

QUESTIONS = load_questions(ROOT / "exercises" / "questions.yml")
QUESTION_KEY = "l2-course:question:"
EXERCISE_KEY = "l2-course:exercise:"
RECAP = "recap/"

# Nothing here needs Python: the pages' exercises get none (see no_python in conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_python")]

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails on CI) with the reason
    expect = None


@pytest.fixture(scope="session")
def course(site_dir: Path) -> dict:
    """The course map the build wrote: pages in navigation order, with their widgets."""
    data = json.loads((site_dir / "assets/course/progress.json").read_text(encoding="utf-8"))
    assert any(page["url"] == RECAP for page in data["pages"]), "no recap page in the map"
    return data


def page_with(course: dict, *, exercises: bool) -> dict:
    """The first page with questions, and with or without exercises as asked."""
    for entry in course["pages"]:
        kinds = {item["kind"] for item in entry["items"]}
        if "question" in kinds and ("exercise" in kinds) == exercises:
            return entry
    raise AssertionError(f"no page with questions and exercises={exercises}")


def keyboard_answer(page, form, indices: list[int]) -> None:
    """Select options with Space and press Check with Enter, reaching it with Tab."""
    for index in indices:
        form.locator(f'input[value="{index}"]').focus()
        page.keyboard.press("Space")
    check = form.get_by_role("button", name="Check", exact=True)
    for _ in range(len(QUESTIONS) + 10):
        if check.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("Tab never reached the Check button")
    page.keyboard.press("Enter")


def answer(page, qid: str, *, right: bool) -> None:
    question = QUESTIONS[qid]
    key = [i for i, option in enumerate(question.options) if option.correct]
    wrong = [next(i for i, option in enumerate(question.options) if not option.correct)]
    form = page.locator(f'form[data-question="{qid}"]')
    expect(form).to_have_attribute("data-wired", "")
    keyboard_answer(page, form, key if right else wrong)
    expect(form.get_by_role("status")).to_have_attribute(
        "data-verdict", "pass" if right else "fail"
    )


def open_with_instant_navigation(page, site_url: str, start: str, target: str) -> None:
    """Load ``start``, then reach ``target`` through its navigation link, by keyboard."""
    with page.expect_response(lambda response: response.url.endswith("/sitemap.xml")):
        page.goto(site_url + start)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__samePage = true")
    link = page.locator(f'.md-nav--primary a.md-nav__link[href$="{target or "./"}"]').first
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site_url + target)
    assert page.evaluate("window.__samePage") is True, "expected instant navigation"


def row(page, item: dict):
    return page.locator(
        f'[data-progress-overview] li[data-kind="{item["kind"]}"][data-id="{item["id"]}"]'
    )


def test_recap_lists_every_question_and_exercise(page, site_url, course):
    page.goto(site_url + RECAP)
    items = [item for entry in course["pages"] for item in entry["items"]]
    assert len([i for i in items if i["kind"] == "question"]) == len(QUESTIONS)
    expect(page.locator("[data-progress-overview] li")).to_have_count(len(items))
    for item in items:
        expect(row(page, item)).to_contain_text(item["label"])
    summary = page.locator(".l2-progress-summary")
    expect(summary).to_have_text(
        f"You have done 0 of the {len(items)} questions and exercises in this course."
    )


def test_status_listed_after_answering_a_question(page, site_url, course):
    entry = page_with(course, exercises=True)
    right, wrong = [item for item in entry["items"] if item["kind"] == "question"][:2]
    page.goto(site_url + entry["url"])
    answer(page, right["id"], right=True)
    answer(page, wrong["id"], right=False)
    open_with_instant_navigation(page, site_url, entry["url"], RECAP)
    expect(row(page, right)).to_have_attribute("data-status", "pass")
    expect(row(page, right).locator(".l2-progress-status")).to_have_text("Correct")
    expect(row(page, wrong)).to_have_attribute("data-status", "fail")
    expect(row(page, wrong).locator(".l2-progress-status")).to_have_text("Not right yet")


def test_status_listed_after_a_stored_exercise_verdict(page, site_url, course):
    exercises = [
        item for entry in course["pages"] for item in entry["items"] if item["kind"] == "exercise"
    ]
    passed, failed, stale = exercises[:3]
    page.goto(site_url + RECAP)
    stored = {
        f"{EXERCISE_KEY}{passed['id']}:{passed['version']}": {"code": "x", "verdict": "pass"},
        f"{EXERCISE_KEY}{failed['id']}:{failed['version']}": {"code": "x", "verdict": "fail"},
        f"{EXERCISE_KEY}{stale['id']}:older": {"code": "x", "verdict": "pass"},
    }
    page.evaluate(
        "items => Object.entries(items).forEach(([k, v]) => "
        "localStorage.setItem(k, JSON.stringify(v)))",
        stored,
    )
    page.reload()
    expect(row(page, passed).locator(".l2-progress-status")).to_have_text("Passed")
    expect(row(page, failed).locator(".l2-progress-status")).to_have_text("Not passed yet")
    # A verdict for another version of the exercise is not this version's.
    expect(row(page, stale).locator(".l2-progress-status")).to_have_text("Not tried")


def nav_mark(page, entry: dict):
    # Material rewrites the navigation's links once it takes over: the mark names its page.
    return page.locator(f'.md-nav--primary .md-nav__link .l2-nav-done[data-page="{entry["url"]}"]')


def test_navigation_marks_a_completed_page(page, site_url, course):
    entry = page_with(course, exercises=False)
    questions = [item["id"] for item in entry["items"]]
    page.goto(site_url + entry["url"])
    for qid in questions[:-1]:
        answer(page, qid, right=True)
    expect(nav_mark(page, entry)).to_have_count(0)  # not every check is done yet
    answer(page, questions[-1], right=True)
    expect(nav_mark(page, entry).and_(page.locator(":visible"))).to_have_count(1)
    expect(nav_mark(page, entry).last).to_have_text("✓ (all checks done)")
    # Still marked after Material swaps in another page (the navigation is new HTML).
    open_with_instant_navigation(page, site_url, entry["url"], RECAP)
    expect(nav_mark(page, entry)).to_have_count(1)  # a link only: it is not the current page
    section = page.locator(f'section.l2-progress-page[data-page="{entry["url"]}"]')
    expect(section.locator(".l2-progress-count")).to_contain_text("All done.")


def test_reset_clears_a_pages_answers_and_says_so(page, site_url, course):
    entry = page_with(course, exercises=False)
    questions = [item["id"] for item in entry["items"]]
    page.goto(site_url + entry["url"])
    for qid in questions:
        answer(page, qid, right=True)
    expect(nav_mark(page, entry).and_(page.locator(":visible"))).to_have_count(1)
    reset = page.get_by_role("button", name="Reset this page's answers", exact=True)
    reset.focus()
    page.keyboard.press("Enter")
    said = page.locator(".l2-page-reset__status")
    expect(said).to_have_attribute("role", "status")
    expect(said).to_have_text(
        f"Cleared your answers to {len(questions)} questions on “{entry['title']}”."
    )
    for qid in questions:
        form = page.locator(f'form[data-question="{qid}"]')
        expect(form.locator("input:checked")).to_have_count(0)
        expect(form.get_by_role("status")).to_have_text("")
        expect(form.locator(".l2-option-why:visible")).to_have_count(0)
        assert page.evaluate("k => localStorage.getItem(k)", QUESTION_KEY + qid) is None
    expect(nav_mark(page, entry)).to_have_count(0)
    # The questions work again, and stay cleared after a reload.
    page.reload()
    expect(page.locator(f'form[data-question="{questions[0]}"] input:checked')).to_have_count(0)
    answer(page, questions[0], right=False)


def test_reset_from_the_recap_keeps_exercises(page, site_url, course):
    entry = page_with(course, exercises=True)
    question = next(item for item in entry["items"] if item["kind"] == "question")
    exercise = next(item for item in entry["items"] if item["kind"] == "exercise")
    page.goto(site_url + entry["url"])
    answer(page, question["id"], right=True)
    key = f"{EXERCISE_KEY}{exercise['id']}:{exercise['version']}"
    page.evaluate("k => localStorage.setItem(k, JSON.stringify({code: 'x', verdict: 'pass'}))", key)
    page.goto(site_url + RECAP)
    expect(row(page, question)).to_have_attribute("data-status", "pass")
    button = page.get_by_role("button", name=f"Reset answers on “{entry['title']}”", exact=True)
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".l2-progress-announce")).to_contain_text(
        "Your exercise code and results are kept."
    )
    expect(row(page, question)).to_have_attribute("data-status", "todo")
    expect(row(page, question).locator(".l2-progress-status")).to_have_text("Not answered")
    expect(row(page, exercise)).to_have_attribute("data-status", "pass")
    expect(button).to_be_focused()  # the overview updates in place; focus stays put
