"""Multiple-choice questions in the real site, driven through Chromium.

Every question in exercises/questions.yml is answered right and wrong on the page where
the build placed it. Fixtures (site_dir, site_url, page, network) are in conftest.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

from hooks.questions import Question, load_questions

from .helpers import page_of

QUESTIONS = load_questions(ROOT / "exercises" / "questions.yml")
STORAGE_KEY = "l2-course:question:"

# Nothing here needs Python: the pages' exercises get none (see no_python in conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_python")]

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails on CI) with the reason
    expect = None


@pytest.fixture(scope="session")
def question_pages(site_dir: Path) -> dict[str, str]:
    """Question id -> the page (relative URL) that carries it."""
    found: dict[str, str] = {}
    for path in sorted(site_dir.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for qid in re.findall(r'<form class="l2-question" data-question="([^"]+)"', html):
            url = path.relative_to(site_dir).as_posix()
            found[qid] = url[: -len("index.html")] if url.endswith("index.html") else url
    return found


def open_question(page, site_url, question_pages, question: Question):
    assert question.id in question_pages, f"question {question.id} is on no page"
    page.goto(site_url + question_pages[question.id])
    form = page.locator(f'form[data-question="{question.id}"]')
    expect(form).to_be_visible()
    # questions.js marks a form once it has wired it (ES modules run after parsing).
    expect(form).to_have_attribute("data-wired", "")
    return form


def choose(form, indices):
    for index in indices:
        form.locator(f'input[value="{index}"]').check()


def key_of(question: Question) -> list[int]:
    return [i for i, option in enumerate(question.options) if option.correct]


def a_wrong_answer(question: Question) -> list[int]:
    wrong = next(i for i, option in enumerate(question.options) if not option.correct)
    return [wrong]


def needs_questions():
    assert QUESTIONS, "exercises/questions.yml has no questions"


def test_wrong_then_right_answer(page, site_url, question_pages, subtests):
    """A wrong answer fails and is explained; the key then passes (unlimited retries) and
    every option's explanation shows, marked right or wrong in words. Every question, each
    page loaded once (a page load starts Python on exercise pages: the costly part)."""
    needs_questions()
    by_page: dict[str, list[Question]] = {}
    for question in QUESTIONS.values():
        assert question.id in question_pages, f"question {question.id} is on no page"
        by_page.setdefault(question_pages[question.id], []).append(question)
    for path, questions in by_page.items():
        page.goto(site_url + path)
        for question in questions:
            with subtests.test(question=question.id):
                _wrong_then_right(page, question)


def _wrong_then_right(page, question: Question) -> None:
    form = page.locator(f'form[data-question="{question.id}"]')
    expect(form).to_have_attribute("data-wired", "")  # questions.js has wired it
    check = form.get_by_role("button", name="Check", exact=True)
    status = form.get_by_role("status")
    explanations = form.locator(".l2-option-why")

    [wrong] = a_wrong_answer(question)
    choose(form, [wrong])
    check.click()
    expect(status).to_have_attribute("data-verdict", "fail")
    expect(status).to_contain_text("Not quite")
    expect(explanations.nth(wrong)).to_be_visible()
    expect(explanations.nth(wrong)).to_contain_text("Wrong answer.")

    if question.select == "many":
        form.locator(f'input[value="{wrong}"]').uncheck()
    choose(form, key_of(question))
    check.click()
    expect(status).to_have_attribute("data-verdict", "pass")
    expect(status).to_contain_text("Correct")
    # Every option's explanation shows, in order, each marked right or wrong in words.
    expect(form.locator(".l2-option-why:visible")).to_have_count(len(question.options))
    words = ["Right answer." if option.correct else "Wrong answer." for option in question.options]
    expect(explanations).to_have_text([re.compile(re.escape(word)) for word in words])


def test_check_without_an_answer_asks_for_one(page, site_url, question_pages):
    needs_questions()
    question = next(iter(QUESTIONS.values()))
    form = open_question(page, site_url, question_pages, question)
    form.get_by_role("button", name="Check", exact=True).click()
    status = form.get_by_role("status")
    expect(status).to_have_text("Choose an answer first.")
    expect(status).not_to_have_attribute("data-verdict", re.compile(".*"))


def test_enter_checks_without_navigating(page, site_url, question_pages):
    needs_questions()
    question = next(iter(QUESTIONS.values()))
    form = open_question(page, site_url, question_pages, question)
    url = page.url
    page.evaluate("window.__stillHere = true")
    choose(form, key_of(question))
    form.locator(f'input[value="{key_of(question)[0]}"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    # navigation.tracking may put the current section in the URL's fragment: not a load.
    assert page_of(page.url) == page_of(url)
    assert page.evaluate("window.__stillHere") is True


def test_verdict_and_selection_survive_reload(page, site_url, question_pages):
    needs_questions()
    question = next(iter(QUESTIONS.values()))
    form = open_question(page, site_url, question_pages, question)
    [wrong] = a_wrong_answer(question)
    choose(form, [wrong])
    form.get_by_role("button", name="Check", exact=True).click()
    expect(form.get_by_role("status")).to_have_attribute("data-verdict", "fail")
    page.reload()
    form = open_question(page, site_url, question_pages, question)
    expect(form.get_by_role("status")).to_have_attribute("data-verdict", "fail")
    expect(form.locator(f'input[value="{wrong}"]')).to_be_checked()
    expect(form.locator(".l2-option-why").nth(wrong)).to_be_visible()


@pytest.mark.parametrize(
    "stored",
    [
        "{not json",
        "null",
        "[]",
        json.dumps({"version": "old", "selected": [0], "verdict": "pass"}),
        json.dumps({"selected": [99], "verdict": "pass"}),
        json.dumps({"selected": ["<img src=x onerror=alert(1)>"], "verdict": "<b>x</b>"}),
    ],
)
def test_corrupt_or_stale_storage_never_breaks_the_page(page, site_url, question_pages, stored):
    needs_questions()
    question = next(iter(QUESTIONS.values()))
    open_question(page, site_url, question_pages, question)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY + question.id, stored])
    page.reload()
    form = open_question(page, site_url, question_pages, question)
    status = form.get_by_role("status")
    expect(status).to_have_text("")
    choose(form, key_of(question))
    form.get_by_role("button", name="Check", exact=True).click()
    expect(status).to_have_attribute("data-verdict", "pass")


def test_questions_work_after_instant_navigation(page, site_url, question_pages):
    """Material swaps pages without reloading; questions.js must wire the new page too."""
    needs_questions()
    elsewhere = {qid: url for qid, url in question_pages.items() if url}
    assert elsewhere, "every question is on the home page: nothing to navigate to"
    target, url = next(iter(elsewhere.items()))
    # Material takes over links once it has read sitemap.xml.
    with page.expect_response(lambda response: response.url.endswith("/sitemap.xml")):
        page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__samePage = true")
    page.locator(f'a.md-nav__link[href$="{url}"]').first.click()
    expect(page).to_have_url(site_url + url)
    form = page.locator(f'form[data-question="{target}"]')
    expect(form).to_have_attribute("data-wired", "")
    assert page.evaluate("window.__samePage") is True, "expected instant navigation"
    choose(form, key_of(QUESTIONS[target]))
    form.get_by_role("button", name="Check", exact=True).click()
    expect(form.get_by_role("status")).to_have_attribute("data-verdict", "pass")


def test_math_is_typeset_with_the_local_katex(page, site_url, site_dir, network):
    with_math = [
        path.relative_to(site_dir).as_posix().removesuffix("index.html")
        for path in sorted(site_dir.rglob("*.html"))
        if 'class="arithmatex"' in path.read_text(encoding="utf-8")
    ]
    assert with_math, "no built page has math"
    page.goto(site_url + with_math[0])
    math = page.locator(".arithmatex")
    expect(math.first.locator(".katex")).to_be_attached()
    expect(page.locator(".arithmatex:not([data-typeset])")).to_have_count(0)
    # KaTeX comes from the site itself, found relative to the page under its sub-path.
    assert site_url + "assets/vendor/katex/katex.min.js" in network.requests
