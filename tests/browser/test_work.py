"""The learner's work file in the page (web/work-panel.js, work-store.js, work-file.js):
download it, restore it in a fresh browser, refuse what is not one, keep it, install the
course, and a link to one's code (web/code-link.js).

The work is put in storage as the widgets store it (no Python needed: see no_python), then
read back through the widgets themselves; the round trip compares what every page shows.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from .conftest import CHROMIUM, CHROMIUM_ARGS, NO_PYTHON, _judge, _open
from .helpers import audit, button, mounted, type_code

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.questions import load_questions

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails on CI) with the reason
    expect = None

QUESTIONS = load_questions(ROOT / "exercises" / "questions.yml")
RECAP = "recap/"
WORKFILES = ROOT / "tests" / "workfiles"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_python")]

# What each exercise and question stores, as web/exercise-store.js and questions.js write it.
SEED = """(seed) => {
    const fp = (code) => {
        let h = 0x811c9dc5;
        for (let i = 0; i < code.length; i++) {
            h = Math.imul(h ^ code.charCodeAt(i), 0x01000193) >>> 0;
        }
        return h.toString(16).padStart(8, "0");
    };
    for (const e of seed.exercises) {
        localStorage.setItem(`l2-course:exercise:${e.id}:${e.version}`, JSON.stringify({
            code: e.code, hints: e.hints, verdict: e.verdict, feedback: "", failures: e.failures,
            gradedCode: fp(e.code), savedAt: e.savedAt}));
    }
    for (const q of seed.questions) {
        localStorage.setItem(`l2-course:question:${q.id}`,
            JSON.stringify({version: q.version, selected: q.selected, verdict: q.verdict}));
    }
}"""

# What a page shows of the learner's work, read from the widgets and the navigation.
VIEW = """() => ({
    exercises: [...document.querySelectorAll("[data-exercise]")].map((root) => ({
        id: root.dataset.exercise,
        code: root.l2Editor.getCode(),
        hints: root.querySelectorAll(".l2-ex__hint-item").length,
        verdict: root.querySelector("[role=status][data-verdict]")?.dataset.verdict ?? null,
        failures: root.dataset.failures,
    })),
    questions: [...document.querySelectorAll("form[data-question]")].map((form) => ({
        id: form.dataset.question,
        checked: [...form.querySelectorAll("input")].filter((i) => i.checked).map((i) => i.value),
        verdict: form.querySelector("[role=status]").dataset.verdict ?? null,
    })),
    marks: [...document.querySelectorAll(".md-nav--primary .l2-nav-done")].map(
        (m) => m.dataset.page),
    overview: [...document.querySelectorAll("[data-progress-overview] li")].map(
        (li) => `${li.dataset.id}=${li.dataset.status}`),
})"""


@pytest.fixture(scope="module")
def course(site_dir: Path) -> dict:
    return json.loads((site_dir / "assets/course/progress.json").read_text(encoding="utf-8"))


def seed_for(course: dict) -> dict:
    """Work on every item: the first page with items all done, the rest mixed."""
    exercises, questions = [], []
    first = next(i for i, p in enumerate(course["pages"]) if p["items"])
    for page_no, page in enumerate(course["pages"]):
        for n, item in enumerate(page["items"]):
            right = page_no == first or n % 2 == 0
            if item["kind"] == "exercise":
                exercises.append(
                    {
                        "id": item["id"],
                        "version": item["version"],
                        "hints": 1,
                        "code": f"# my work on {item['id']} ✓\ndef f():\n    return {n}\n",
                        "verdict": "pass" if right else "fail",
                        "failures": n % 3 + (0 if right else 1),
                        "savedAt": f"2026-11-{10 + n % 9:02d}T10:00:00.000Z~t{n}",
                    }
                )
            else:
                options = QUESTIONS[item["id"]].options
                key = [i for i, o in enumerate(options) if o.correct]
                wrong = [next(i for i, o in enumerate(options) if not o.correct)]
                questions.append(
                    {
                        "id": item["id"],
                        "version": item["version"],
                        "selected": key if right else wrong,
                        "verdict": "pass" if right else "fail",
                    }
                )
    return {"exercises": exercises, "questions": questions}


def settle(page) -> None:
    """Every widget of the page mounted, and the progress marks drawn."""
    expect(page.locator("[data-exercise]:not(:has(.cm-content))")).to_have_count(0)
    expect(page.locator("form[data-question]:not([data-wired])")).to_have_count(0)
    expect(page.locator("html[data-l2-components]")).to_have_count(1)
    page.wait_for_function("() => !document.querySelector('[data-progress-overview] p:only-child')")


def views(page, site_url: str, course: dict) -> dict:
    """What every page of the course shows of the learner's work."""
    seen = {}
    for entry in course["pages"]:
        if not entry["items"] and entry["url"] != RECAP:
            continue
        page.goto(site_url + entry["url"])
        settle(page)
        if entry["items"]:
            expect(page.locator(".md-nav--primary .l2-nav-done").first).to_be_attached()
        seen[entry["url"]] = page.evaluate(VIEW)
    return seen


def choose(page, name: str, data: bytes) -> None:
    page.locator("input.l2-work__file").set_input_files(
        {"name": name, "mimeType": "application/json", "buffer": data}
    )


# A 50 MB work file (a valid one, padded), dropped on the restore area.
DROP_BIG = """() => {
    const text = (t) => new TextEncoder().encode(t);
    const head = text('{"format": "l2-course-work", "format_version": 1, "x": "');
    const body = new Uint8Array(50_000_000).fill(32);
    const file = new File([head, body, text('"}')], "big.json");
    const data = new DataTransfer();
    data.items.add(file);
    const drop = document.querySelector(".l2-work__drop");
    for (const type of ["dragover", "drop"]) {
        const init = {dataTransfer: data, bubbles: true, cancelable: true};
        drop.dispatchEvent(new DragEvent(type, init));
    }
}"""


def stored(page) -> dict:
    return page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")


def test_download_then_restore_in_a_fresh_browser_shows_the_same_work(
    page, browser, site_url, course, network
):
    page.goto(site_url + RECAP)
    page.evaluate(SEED, seed_for(course))
    before = views(page, site_url, course)
    assert any(e["verdict"] == "pass" for v in before.values() for e in v["exercises"])
    assert any(v["marks"] for v in before.values()), "no page is marked done: a weak test"

    page.goto(site_url + RECAP + "#your-work")
    settle(page)
    expect(page.locator(".l2-work__where")).to_contain_text("Last downloaded: never")
    expect(page.locator(".l2-work__remind")).to_contain_text("never downloaded")
    page.get_by_label("Your name in the file (optional)").fill("Ada Lovelace")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my work").click()
    name = download.value.suggested_filename
    assert re.fullmatch(r"l2-course-work-ada-lovelace-\d{4}-\d\d-\d\d\.json", name), name
    data = Path(download.value.path()).read_bytes()
    work = json.loads(data)
    assert (work["format"], work["format_version"], work["learner"]) == (
        "l2-course-work",
        1,
        "Ada Lovelace",
    )
    assert work["site"]["url"] == site_url and work["site"]["build"]
    items = [i for p in course["pages"] for i in p["items"]]
    assert sorted(work["exercises"]) == sorted(i["id"] for i in items if i["kind"] == "exercise")
    assert sorted(work["questions"]) == sorted(i["id"] for i in items if i["kind"] == "question")
    entry = next(iter(work["exercises"].values()))
    assert set(entry) == {
        "version",
        "code",
        "verdict",
        "failures",
        "hints",
        "solution_shown",
        "saved_at",
    }
    expect(page.get_by_role("status").filter(has_text="Downloaded")).to_contain_text(name)
    expect(page.locator(".l2-work__where")).not_to_contain_text("never")
    expect(page.locator(".l2-work__remind")).to_be_hidden()

    # Another browser profile: nothing stored, nothing cached.
    context = browser.new_context(service_workers="block")
    other = _open(context, network)
    other.add_init_script(NO_PYTHON)
    try:
        other.goto(site_url + RECAP)
        settle(other)
        choose(other, name, data)
        review = other.locator(".l2-work__review")
        expect(review).to_contain_text(f"{name} holds {len(work['exercises'])} exercises")
        expect(review).to_contain_text(f"{len(work['questions'])} answers, exported on")
        expect(review).to_contain_text(f"from {site_url}")
        assert not any(k.startswith("l2-course:exercise:") for k in stored(other))
        other.get_by_role("button", name="Restore", exact=True).click()
        expect(other.locator(".l2-work__status")).to_contain_text(
            f"Restored {len(work['exercises'])} exercises"
        )
        expect(other.get_by_label("Your name in the file (optional)")).to_have_value("Ada Lovelace")
        after = views(other, site_url, course)
    finally:
        context.close()
        _judge(context, network)
    assert after == before


def test_files_that_are_not_work_files_get_one_sentence_and_change_nothing(page, site_url, course):
    page.goto(site_url + RECAP)
    page.evaluate(SEED, seed_for(course))
    page.reload()
    settle(page)
    kept = stored(page)
    good = json.loads((WORKFILES / "cases" / "good.json").read_text())
    exercise = next(i for p in course["pages"] for i in p["items"] if i["kind"] == "exercise")
    question = next(i for p in course["pages"] for i in p["items"] if i["kind"] == "question")
    good["exercises"] = {
        exercise["id"]: {**good["exercises"]["l2-penalty"], "version": exercise["version"]}
    }
    good["questions"] = {
        question["id"]: {"version": question["version"], "selected": [0], "verdict": "pass"}
    }
    refused = {
        "not-json.json": (b"{not json", "This file is not valid JSON, so it is not a work file."),
        "other.json": (
            json.dumps({**good, "format": "x"}).encode(),
            "not a work file of this course",
        ),
        "newer.json": (
            json.dumps({**good, "format_version": 2}).encode(),
            "newer than this site reads",
        ),
    }
    for name, (data, sentence) in [*refused.items(), ("big.json", (None, "This file is 50.0 MB"))]:
        if data is None:  # 50 MB, made in the page and dropped on it (drag and drop)
            page.evaluate(DROP_BIG)
        else:
            choose(page, name, data)
        status = page.locator(".l2-work__status")
        expect(status).to_contain_text(sentence)
        expect(status).to_contain_text("Nothing was changed.")
        expect(page.locator(".l2-work__review")).to_be_hidden()
    entry = good["exercises"][exercise["id"]]
    dropped = {
        "types.json": (
            {**good, "exercises": {exercise["id"]: {**entry, "failures": "2"}}},
            "failures is not valid; it was ignored.",
        ),
        "ids.json": (
            {**good, "exercises": {"no-such": entry}},
            "Exercise 'no-such' is not in this course",
        ),
        "long.json": (
            {**good, "exercises": {exercise["id"]: {**entry, "code": "x" * 200_001}}},
            "its code has 200,001 characters",
        ),
        "options.json": (
            {
                **good,
                "questions": {
                    question["id"]: {**good["questions"][question["id"]], "selected": [99]}
                },
            },
            "selects an option the question does not have",
        ),
    }
    for name, (work, sentence) in dropped.items():
        choose(page, name, json.dumps(work).encode())
        expect(page.locator(".l2-work__problems")).to_contain_text(sentence)
        page.get_by_role("button", name="Cancel").click()
        expect(page.locator(".l2-work__status")).to_have_text("Nothing was changed.")
    assert stored(page) == kept


def test_a_restore_asks_before_replacing_newer_work_and_rolls_back_on_a_full_storage(
    page, site_url, course
):
    exercise = next(i for p in course["pages"] for i in p["items"] if i["kind"] == "exercise")
    others = [i for p in course["pages"] for i in p["items"] if i["kind"] == "exercise"][1:3]

    def entry(code, version=None, saved="2026-11-01T10:00:00.000Z"):
        return {
            "version": version or exercise["version"],
            "code": code,
            "verdict": "fail",
            "failures": 1,
            "hints": 0,
            "solution_shown": False,
            "saved_at": saved,
        }

    work = {
        "format": "l2-course-work",
        "format_version": 1,
        "exercises": {
            exercise["id"]: entry("from the file"),
            others[0]["id"]: {
                **entry("older version's code", "0ld"),
                "saved_at": "2026-11-01T10:00:00.000Z",
            },
            others[1]["id"]: {**entry("new here", others[1]["version"])},
        },
    }
    page.goto(site_url + RECAP)
    seed = {
        "exercises": [
            {
                "id": exercise["id"],
                "version": exercise["version"],
                "code": "newer here",
                "hints": 0,
                "verdict": "pass",
                "failures": 0,
                "savedAt": "2026-12-01T10:00:00.000Z~ab",
            }
        ],
        "questions": [],
    }
    page.evaluate(SEED, seed)
    page.reload()
    settle(page)
    kept = stored(page)
    choose(page, "work.json", json.dumps(work).encode())
    review = page.locator(".l2-work__review")
    expect(review).to_contain_text(
        f"This browser holds newer or other work on: {exercise['label']}"
    )
    expect(review).to_contain_text(f"older version of its exercise ({others[0]['label']})")
    # Storage that is full at the restore's second write: nothing of it may remain.
    page.evaluate("""() => {
        const real = (window.realSetItem = Storage.prototype.setItem);
        let writes = 0;
        Storage.prototype.setItem = function (key, value) {
            if (key.startsWith("l2-course:") && ++writes === 2) {
                throw new DOMException("full", "QuotaExceededError");
            }
            return real.call(this, key, value);
        };
    }""")
    page.get_by_role("button", name="Replace everything").click()
    expect(page.locator(".l2-work__status")).to_contain_text(
        "This browser would not store the work (QuotaExceededError), so nothing was changed."
    )
    page.evaluate("() => { Storage.prototype.setItem = window.realSetItem; }")
    assert stored(page) == kept
    page.reload()
    settle(page)
    choose(page, "work.json", json.dumps(work).encode())
    page.get_by_role("button", name="Keep this browser's newer work").click()
    expect(page.locator(".l2-work__status")).to_contain_text("Restored 2 exercises and 0 answers")
    now = stored(page)
    assert (
        json.loads(now[f"l2-course:exercise:{exercise['id']}:{exercise['version']}"])["code"]
        == "newer here"
    )
    assert (
        json.loads(now[f"l2-course:exercise:{others[0]['id']}:0ld"])["code"]
        == "older version's code"
    )
    # The older version's code is offered in its exercise, not loaded.
    target = next(p for p in course["pages"] if any(i["id"] == others[0]["id"] for i in p["items"]))
    page.goto(site_url + target["url"])
    widget = page.locator(f'[data-exercise="{others[0]["id"]}"]')
    expect(widget.get_by_role("button", name="Restore previous code")).to_be_visible()
    assert "older version's code" not in widget.evaluate("root => root.l2Editor.getCode()")


def test_a_solution_once_shown_is_kept_and_in_the_downloaded_file(page, site_url, course):
    def exercises(page: dict) -> list[str]:
        return [i["id"] for i in page["items"] if i["kind"] == "exercise"]

    target = next(p for p in course["pages"] if len(exercises(p)) > 1)
    shown, other = exercises(target)[:2]
    page.goto(site_url + target["url"])
    settle(page)
    exercise = mounted(page, shown)
    button(exercise, "Show solution").click()
    exercise.get_by_role("button", name="Yes, show it").click()
    expect(exercise.get_by_role("region", name="Reference solution")).to_be_visible()
    type_code(page, mounted(page, other), "# mine, no solution seen\n")
    page.reload()
    settle(page)
    # Seen once, it is shown again without asking.
    button(mounted(page, shown), "Show solution").click()
    expect(mounted(page, shown).get_by_role("region", name="Reference solution")).to_be_visible()
    expect(page.get_by_role("button", name="Yes, show it")).to_have_count(0)

    page.goto(site_url + RECAP + "#your-work")
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my work").click()
    work = json.loads(Path(download.value.path()).read_bytes())
    assert {i: e["solution_shown"] for i, e in work["exercises"].items()} == {
        shown: True,
        other: False,
    }


def test_the_recap_says_where_work_is_kept_and_asks_the_browser_once(page, site_url, course):
    page.add_init_script("""(() => {
        if (!navigator.storage) return;
        const real = navigator.storage.persist.bind(navigator.storage);
        navigator.storage.persist = () => {
            const calls = Number(localStorage.getItem("test:persist-calls") || 0);
            localStorage.setItem("test:persist-calls", String(calls + 1));
            return real();
        };
    })();""")
    target = next(p for p in course["pages"] if any(i["kind"] == "exercise" for i in p["items"]))
    page.goto(site_url + target["url"])
    settle(page)
    assert (
        page.evaluate("() => localStorage.getItem('test:persist-calls')") is None
    )  # no verdict yet
    exercise = next(i for i in target["items"] if i["kind"] == "exercise")
    seed = {
        "exercises": [
            {
                "id": exercise["id"],
                "version": exercise["version"],
                "code": "x = 1",
                "hints": 0,
                "verdict": "fail",
                "failures": 1,
                "savedAt": "2026-12-01T10:00:00.000Z~ab",
            }
        ],
        "questions": [],
    }
    page.evaluate(SEED, seed)
    for _ in range(2):
        page.reload()
        settle(page)
        expect(
            page.locator(f'[data-exercise="{exercise["id"]}"] [role=status][data-verdict]')
        ).to_be_attached()
    page.wait_for_function("() => localStorage.getItem('test:persist-calls') !== null")
    assert page.evaluate("() => localStorage.getItem('test:persist-calls')") == "1"
    page.goto(site_url + RECAP)
    settle(page)
    persisted = page.evaluate("() => navigator.storage.persisted()")
    where = page.locator(".l2-work__where")
    expect(where).to_contain_text("Your work is saved in this browser only")
    expect(where).to_contain_text("agreed to keep it" if persisted else "may delete it")
    page.evaluate(
        "() => localStorage.setItem('l2-course:work:downloaded', "
        "new Date(Date.now() - 9 * 86400000).toISOString())"
    )
    page.reload()
    expect(page.locator(".l2-work__remind")).to_contain_text("Your last download is 9 days old")
    footer = page.locator(".md-footer .l2-footer-work a")
    expect(footer).to_have_text("Download or restore your work")


def test_the_course_is_installable(browser, site_url, site_dir, tmp_path):
    manifest = json.loads((site_dir / "manifest.webmanifest").read_text())
    assert manifest["start_url"] == "./" and manifest["scope"] == "./"
    purposes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        png = (site_dir / icon["src"]).read_bytes()
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert f"{width}x{height}" == icon["sizes"], icon["src"]
    sw = (site_dir / "sw.js").read_text()
    assert '"manifest.webmanifest"' in sw and '"assets/icons/maskable-512.png"' in sw
    # A real profile: Chromium never offers to install from an incognito one (a new_context).
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=browser_path(), args=CHROMIUM_ARGS
    )
    try:
        installability(context, site_url)
    finally:
        context.close()


LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"


def test_lighthouse_finds_the_course_installable(site_url, tmp_path):
    """One Lighthouse run (its own Chromium, a fresh profile) of the installable audit."""
    assert LIGHTHOUSE.exists(), "lighthouse is missing from node_modules: run ./dev setup"
    # Lighthouse splits --chrome-flags on spaces: a flag's value with spaces is quoted.
    flags = " ".join(
        f"{name}='{value}'" if " " in value else arg
        for arg in CHROMIUM_ARGS
        for name, _, value in [arg.partition("=")]
    )
    report = tmp_path / "lighthouse.json"
    run = subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            site_url + "l2-regularization/",
            f"--config-path={Path(__file__).with_name('lighthouse-installable.mjs')}",
            f"--chrome-flags={flags}",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": browser_path()},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(report.read_text(encoding="utf-8"))
    audit = result["audits"]["installable-manifest"]
    assert result["lighthouseVersion"] == "12.2.3"
    assert audit["displayValue"] == site_url + "manifest.webmanifest"
    assert (audit["score"], audit["details"]["items"]) == (1, [])
    assert result["categories"]["installable"]["score"] == 1


def installability(context, site_url: str) -> None:
    page = context.new_page()
    page.goto(site_url + "l2-regularization/")
    assert page.evaluate("() => document.querySelector('link[rel=manifest]').href") == (
        site_url + "manifest.webmanifest"
    )
    cdp = page.context.new_cdp_session(page)
    try:
        for _ in range(40):  # the manifest is fetched after the page loads
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            url = cdp.send("Page.getAppManifest").get("url", "")
            if url and not errors:
                break
            page.wait_for_timeout(250)
    finally:
        cdp.detach()
    assert errors == [], errors
    assert url == site_url + "manifest.webmanifest"


def browser_path() -> str:
    return str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")


def code_link(exercise_id: str, code: str) -> str:
    encoded = base64.urlsafe_b64encode(code.encode()).decode().rstrip("=")
    return f"#code={exercise_id}:{encoded}"


def test_a_link_to_code_offers_it_beside_the_learners_own(page, site_url, course):
    target = next(p for p in course["pages"] if any(i["kind"] == "exercise" for i in p["items"]))
    exercise = next(i for i in target["items"] if i["kind"] == "exercise")
    page.goto(site_url + target["url"])
    widget = page.locator(f'[data-exercise="{exercise["id"]}"]')
    expect(widget.locator(".cm-content")).to_be_attached()
    widget.evaluate("root => root.l2Editor.replaceCode('# my own code\\n')")
    page.evaluate("() => dispatchEvent(new Event('pagehide'))")  # saved now, not in 400 ms
    widget.get_by_role("button", name="Copy a link to my code").click()
    link = widget.locator(".l2-ex__link-url")
    expect(link).to_have_value(re.compile(r"#code="))
    url = link.input_value()
    assert url == site_url + target["url"] + code_link(exercise["id"], "# my own code\n")

    shared = "def f(w):\n    return sum(x * x for x in w)  # λ ✓\n"
    # Material's scroll tracking may rewrite the fragment before the widget mounts: do it
    # here, once, at DOMContentLoaded, so the link must come from what the head kept.
    page.add_init_script(
        "if (location.protocol === 'http:' && sessionStorage.getItem('l2-test-rewrite')) {"
        " sessionStorage.removeItem('l2-test-rewrite');"
        " document.addEventListener('DOMContentLoaded',"
        " () => history.replaceState(history.state, '', location.pathname), true); }"
    )
    page.evaluate("sessionStorage.setItem('l2-test-rewrite', '1')")
    # A fresh load of the link (not a same-page fragment change, which the page's own
    # scroll tracking could rewrite before a reload).
    page.goto("about:blank")
    page.goto(site_url + target["url"] + code_link(exercise["id"], shared))
    expect(widget.locator(".cm-content")).to_be_attached(timeout=30_000)
    offer = widget.locator(".l2-ex__linked")
    expect(offer).to_contain_text("opened with a link to code for this exercise", timeout=30_000)
    assert offer.get_by_role("region").evaluate("pre => pre.textContent") == shared
    assert widget.evaluate("root => root.l2Editor.getCode()") == "# my own code\n"
    assert audit(page, "code link offered", [f'[data-exercise="{exercise["id"]}"]']) == []
    offer.get_by_role("button", name="Use this code").click()
    assert widget.evaluate("root => root.l2Editor.getCode()") == shared
    expect(offer).to_have_count(0)

    # Links no exercise can show: said on the page (one without exercises loads quicker).
    elsewhere = next(
        p
        for p in course["pages"]
        if p["items"] and not any(i["kind"] == "exercise" for i in p["items"])
    )
    for fragment, sentence in [
        (
            "#code=" + exercise["id"] + ":" + "A" * 100_001,
            "more than the 100,000 a link to code may be",
        ),
        ("#code=" + exercise["id"] + ":%%%", "The code in this link cannot be read"),
        (
            code_link("no-such-exercise", "x"),
            "an exercise this course does not have (no-such-exercise)",
        ),
        (code_link(exercise["id"], "x"), f"on another page: {target['title']}"),
    ]:
        page.goto("about:blank")
        page.goto(site_url + elsewhere["url"] + fragment)
        expect(page.get_by_role("alert").filter(has_text=sentence)).to_be_visible()


def test_the_review_of_a_file_is_accessible(page, site_url, course):
    page.goto(site_url + RECAP)
    settle(page)
    unknown = {
        "format": "l2-course-work",
        "format_version": 1,
        "extra": 1,
        "exercises": {"no-such": {"version": "v", "code": ""}},
    }
    choose(page, "work.json", json.dumps(unknown).encode())
    expect(page.locator(".l2-work__problems li")).not_to_have_count(0)
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Cancel"  # nothing to restore: the one thing to do has the focus
    assert audit(page, "work file reviewed", [".l2-work"]) == []
