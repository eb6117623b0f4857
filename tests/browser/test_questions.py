"""Multiple-choice questions in the real site, driven through Chromium (SPEC §5).

Every question in exercises/questions.yml is answered right and wrong on the page where
the build placed it. Fixtures (site_dir, site_url, page, network) are in conftest.py.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.questions import Question, load_questions  # noqa: E402

QUESTIONS = load_questions(ROOT / "exercises" / "questions.yml")
STORAGE_KEY = "l2-course:question:"

pytestmark = pytest.mark.browser

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
    if not QUESTIONS:
        pytest.skip("exercises/questions.yml has no questions yet")


@pytest.mark.parametrize("qid", list(QUESTIONS))
def test_key_passes_and_explains_every_option(page, site_url, question_pages, qid):
    question = QUESTIONS[qid]
    form = open_question(page, site_url, question_pages, question)
    choose(form, key_of(question))
    form.get_by_role("button", name="Check", exact=True).click()
    status = form.get_by_role("status")
    expect(status).to_have_attribute("data-verdict", "pass")
    expect(status).to_contain_text("Correct")
    explanations = form.locator(".l2-option-why")
    for index, option in enumerate(question.options):
        expect(explanations.nth(index)).to_be_visible()
        word = "Right answer." if option.correct else "Wrong answer."
        expect(explanations.nth(index)).to_contain_text(word)


@pytest.mark.parametrize("qid", list(QUESTIONS))
def test_wrong_answer_fails_and_explains_it(page, site_url, question_pages, qid):
    question = QUESTIONS[qid]
    form = open_question(page, site_url, question_pages, question)
    [wrong] = a_wrong_answer(question)
    choose(form, [wrong])
    form.get_by_role("button", name="Check", exact=True).click()
    status = form.get_by_role("status")
    expect(status).to_have_attribute("data-verdict", "fail")
    expect(status).to_contain_text("Not quite")
    explanation = form.locator(".l2-option-why").nth(wrong)
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("Wrong answer.")
    # Unlimited retries: the right answer still passes after a wrong one.
    if question.select == "many":
        form.locator(f'input[value="{wrong}"]').uncheck()
    choose(form, key_of(question))
    form.get_by_role("button", name="Check", exact=True).click()
    expect(status).to_have_attribute("data-verdict", "pass")


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
    assert page.url.split("#")[0] == url.split("#")[0]
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


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> Iterator[str]:
    """The site built for the exact address it is served at, as the Pages workflow does.

    Material's instant navigation only takes links that its sitemap.xml lists for this
    origin, so it needs ``SITE_URL`` to match (port included).
    """
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    url = f"http://127.0.0.1:{server.server_address[1]}/l2-course/"
    out = tmp_path_factory.mktemp("published") / "l2-course"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    handler = functools.partial(_QuietHandler, directory=str(out.parent))
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format, *args):  # noqa: A002
        pass


def test_questions_work_after_instant_navigation(page, published_url, question_pages):
    """Material swaps pages without reloading; questions.js must wire the new page too."""
    needs_questions()
    elsewhere = {qid: url for qid, url in question_pages.items() if url}
    if not elsewhere:
        pytest.skip("every question is on the home page")
    target, url = next(iter(elsewhere.items()))
    # Material takes over links once it has read sitemap.xml.
    with page.expect_response(lambda response: response.url.endswith("/sitemap.xml")):
        page.goto(published_url)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__samePage = true")
    page.locator(f'a.md-nav__link[href$="{url}"]').first.click()
    expect(page).to_have_url(published_url + url)
    form = page.locator(f'form[data-question="{target}"]')
    expect(form).to_have_attribute("data-wired", "")
    assert page.evaluate("window.__samePage") is True, "expected instant navigation"
    choose(form, key_of(QUESTIONS[target]))
    form.get_by_role("button", name="Check", exact=True).click()
    expect(form.get_by_role("status")).to_have_attribute("data-verdict", "pass")


def test_math_is_typeset_with_the_local_katex(page, site_url, network):
    page.goto(site_url)
    pages = [site_url] + [
        site_url + href
        for href in page.eval_on_selector_all(
            "a.md-nav__link[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        if not href.startswith(("#", "http"))
    ]
    for url in pages:
        page.goto(url)
        if page.locator(".arithmatex").count():
            expect(page.locator(".arithmatex .katex").first).to_be_attached()
            assert any("/assets/vendor/katex/katex.min.js" in u for u in network.requests)
            return
    pytest.skip("no page has math yet")
