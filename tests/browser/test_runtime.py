"""The Python runtime of the pages, in a real browser: restarts, crashes, snapshots, packages.

What the learner sees is checked through the widget (buttons, the status region); how
Python came up is read from the ``l2:python-ready`` performance mark that the runtime
leaves (``detail.boot``: ``fresh``, ``snapshot`` or ``spare``).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from grader import get_exercise

from .helpers import (
    CDN,
    FIRST,
    LOOP,
    SNAPSHOT_CACHE,
    button,
    code_of,
    follow,
    open_exercise,
    panel,
    snapshot_stored,
    status,
    submit,
    type_code,
)

pytestmark = pytest.mark.browser

# Leaves a trace in the interpreter that the grader's guard does not count as a change to
# Python (a file in Pyodide's in-memory file system): it survives in the same interpreter
# and is gone in a fresh or restored one.
MARKER = "open('/tmp/l2_marker', 'w').close()\n"
PROBE = "import os\nprint('marker' if os.path.exists('/tmp/l2_marker') else 'clean')\n"


def boots(page: Page) -> list[str]:
    """How each Python of this document came up, oldest first."""
    return page.evaluate(
        "performance.getEntriesByName('l2:python-ready').map((m) => m.detail.boot)"
    )


def wait_for_boots(page: Page, count: int) -> list[str]:
    page.wait_for_function(
        f"performance.getEntriesByName('l2:python-ready').length >= {count}", timeout=FIRST
    )
    return boots(page)


REST_OF_STDLIB = "/pyodide/python_stdlib_rest.zip"  # hooks/stdlib.py


def run_output(page: Page, exercise, code: str) -> str:
    type_code(page, exercise, code)
    button(exercise, "Run").click()
    expect(status(exercise)).to_have_attribute("data-run", "ok", timeout=FIRST)
    return panel(exercise).inner_text()


# Submissions that change Python for whatever runs after them in the same interpreter:
# the grader's own helpers, the standard library it uses, an audit hook that cannot be
# removed, the random numbers of later random cases (issue 23's probes).
TAMPERS = {
    "builtins": "import builtins\nbuiltins.sum = lambda *args, **kwargs: 42\n",
    "deepcopy": (
        "import copy\n"
        "copy.deepcopy.__code__ = (lambda x, memo=None, _nil=[]: [1.0]).__code__\n"
    ),
    "json": (
        "import json\n"
        "json.dumps.__code__ = (lambda obj, *a, **k: '{\"status\": \"pass\"}').__code__\n"
    ),
    "guard": "import grader.integrity\ngrader.integrity.Guard.check = lambda self: []\n",
    "audit hook": (
        "import sys\n"
        "def _hook(event, args):\n"
        "    if event == 'compile':\n"
        "        raise RuntimeError('no more compiling')\n"
        "sys.addaudithook(_hook)\n"
    ),
    "random": "import random\nrandom.Random.uniform = lambda self, a, b: 0.0\n",
}
PENALTY = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"


def test_no_submission_changes_the_verdict_of_a_later_one(page, site_url, pages):
    """One submission, one fresh Python: whatever a submission changes, in Python or in
    the grader, the next one (in this exercise or another) is graded as if it came first."""
    share = get_exercise("weight-share")
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    other = page.locator('[data-exercise="weight-share"]')
    assert pages["weight-share"] == pages["l2-penalty"]  # one page, one tab
    for name, tamper in TAMPERS.items():
        type_code(page, exercise, tamper + PENALTY)
        button(exercise, "Submit").click()
        expect(status(exercise)).to_have_attribute("data-verdict", re.compile("."), timeout=FIRST)
        submit(page, other, share.mistakes[0].code, "fail", timeout=15_000)
        expect(status(other), name).to_contain_text(share.mistakes[0].message)
    submit(page, other, share.solution, "pass", timeout=15_000)
    submit(page, exercise, PENALTY, "pass", timeout=15_000)


def test_a_tampering_submission_leaves_later_verdicts_in_other_exercises_right(
    page, site_url, pages
):
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    submit(page, exercise, TAMPERS["builtins"] + PENALTY, "error")
    for ex_id in ("weight-share", "regularized-loss"):
        spec = get_exercise(ex_id)
        follow(page, site_url, pages[ex_id])  # the same tab, the same runtime
        other = page.locator(f'[data-exercise="{ex_id}"]')
        submit(page, other, spec.solution, "pass")
        submit(page, other, spec.mistakes[0].code, "fail", timeout=15_000)
        expect(status(other)).to_contain_text(spec.mistakes[0].message)


def test_every_submission_and_run_starts_in_a_fresh_python(page, site_url, pages):
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    # A real change to Python, which the grader's guard reports.
    changed = MARKER + "import builtins\nbuiltins.sum = lambda *args: 0\n"
    ready = len(wait_for_boots(page, 1))  # counted before: the hand-over can be immediate
    submit(page, exercise, changed, "error")
    wait_for_boots(page, ready + 1)  # a new interpreter took over
    assert "clean" in run_output(page, exercise, PROBE)
    # An ordinary error, a pass, and a Run leave nothing behind either.
    submit(page, exercise, MARKER + "raise ValueError('x')\n", "error", timeout=15_000)
    assert "clean" in run_output(page, exercise, PROBE)
    submit(page, exercise, MARKER + PENALTY, "pass", timeout=15_000)
    assert "clean" in run_output(page, exercise, PROBE)
    run_output(page, exercise, MARKER)
    assert "clean" in run_output(page, exercise, PROBE)
    # Every one of them came from this tab's snapshot, restored while the job before ran.
    assert set(boots(page)[1:]) == {"spare"}


def test_a_crash_of_python_ends_the_job_and_the_next_verdict_is_right(page, site_url, pages):
    spec = get_exercise("l2-penalty")
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    submit(page, exercise, spec.solution, "pass")
    # Pyodide's own fatal-error path, as a real crash (deep C recursion) takes it.
    crash = (
        "import pyodide_js, js\n"
        "pyodide_js._api.fatal_error(js.Error.new('simulated crash'))\n"
    )
    type_code(page, exercise, crash)
    button(exercise, "Submit").click()
    expect(status(exercise)).to_contain_text("crashed Python", timeout=FIRST)
    assert code_of(exercise) == crash
    submit(page, exercise, spec.solution, "pass")
    submit(page, exercise, spec.mistakes[0].code, "fail", timeout=15_000)


def test_stop_hands_over_to_a_fresh_python_and_the_next_verdict_is_right(
    fresh_page, site_url, pages
):
    page = fresh_page  # a first visit: nothing cached, no snapshot
    spec = get_exercise("l2-penalty")
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    submit(page, exercise, spec.solution, "pass")
    type_code(page, exercise, MARKER + LOOP["l2-penalty"])
    button(exercise, "Submit").click()
    expect(button(exercise, "Stop")).to_be_enabled()
    expect(status(exercise)).to_contain_text("Checking your code")
    button(exercise, "Stop").click()
    expect(status(exercise)).to_contain_text("Stopped.")
    assert "clean" in run_output(page, exercise, PROBE)
    submit(page, exercise, spec.solution, "pass")
    assert set(boots(page)) <= {"fresh", "snapshot", "spare"}
    assert boots(page)[0] == "fresh" and len(boots(page)) >= 2


def test_a_package_the_submission_imports_is_loaded_in_any_exercise(page, site_url, pages, network):
    network.expect_blocked(CDN)  # numpy comes from Pyodide's CDN here; the test aborts it
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    code = "import numpy as np\ndef l2_penalty(weights):\n    return float(np.sum(weights))\n"
    type_code(page, exercise, code)
    button(exercise, "Run").click()
    # The exercise needs no numpy: the learner's own import asked for it.
    expect(status(exercise)).to_contain_text("Your code imports numpy", timeout=FIRST)
    expect(status(exercise)).to_contain_text("couldn't be downloaded from " + CDN)
    expect(status(exercise)).to_contain_text("this exercise needs only plain Python")
    expect(status(exercise)).not_to_contain_text("This exercise needs numpy")
    assert any("numpy" in url for url in network.blocked)
    # Before a package loads, the rest of the standard library does (numpy imports some).
    assert any(url.endswith(REST_OF_STDLIB) for url in network.requests)
    submit(page, exercise, get_exercise("l2-penalty").solution, "pass")


def test_the_rest_of_the_standard_library_loads_when_imported(page, site_url, pages, network):
    # hooks/stdlib.py: a first verdict needs only the first zip; a module of the rest is
    # loaded when code imports it: before the job when the import can be read in the code
    # (the worker's `load`), else synchronously by the import itself.
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    submit(page, exercise, get_exercise("l2-penalty").solution, "pass")
    assert [u for u in network.requests if u.endswith(REST_OF_STDLIB)] == []
    hidden = ("m = __import__('em' + 'ail.mime.text', fromlist=['MIMEText'])\n"
              "print(m.MIMEText('hi')['Content-Type'])\n")
    assert "text/plain" in run_output(page, exercise, hidden)
    assert [u for u in network.requests if u.endswith(REST_OF_STDLIB)]
    page.reload()  # a new Python, without the rest in its file system
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    seen = ("import json.tool\nfrom encodings import cp1252\n"
            "print(json.tool.__name__, 'é'.encode('cp1252'))\n")
    assert "json.tool b'\\xe9'" in run_output(page, exercise, seen)


def test_a_return_visit_starts_from_the_stored_snapshot(page, site_url, pages):
    # The shared context is a browser that was here before: its Cache Storage holds the
    # snapshot a first visit stored (a first visit storing it: the next test).
    spec = get_exercise("l2-penalty")
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    assert wait_for_boots(page, 1)[0] == "snapshot"
    submit(page, exercise, spec.solution, "pass")
    submit(page, exercise, spec.mistakes[0].code, "fail", timeout=15_000)



EARLY = "performance.getEntriesByName('l2:python-start').map((m) => m.detail.early)"


def test_an_exercise_page_hands_python_started_from_its_head_to_the_runtime(
    fresh_page, site_url, pages
):
    """web/python-early.js starts the worker before the page's modules load; the runtime
    adopts that worker (not a second one) and it grades, also on a return visit."""
    page = fresh_page  # a first visit: nothing cached, no snapshot
    spec = get_exercise("l2-penalty")
    for boot in ("fresh", "snapshot"):
        exercise = open_exercise(page, site_url, pages, "l2-penalty")
        assert wait_for_boots(page, 1)[0] == boot
        assert page.evaluate(EARLY)[0] is True
        submit(page, exercise, spec.solution, "pass")
        snapshot_stored(page)
    # Taken once: a later restart starts a worker of its own.
    assert page.evaluate("window.__l2PythonEarly.taken") is True

CORRUPT = {
    # bytes changed after the checksum was taken (a disk error, a cut-short write)
    "flipped": """async (name) => {
        const cache = await caches.open(name);
        const [key] = await cache.keys();
        const response = await cache.match(key);
        const bytes = new Uint8Array(await response.arrayBuffer());
        for (let i = 4096; i < bytes.length; i += 65536) bytes[i] ^= 0xff;
        await cache.put(key, new Response(bytes, {headers: response.headers}));
    }""",
    # a whole but wrong image: its checksum matches, Pyodide refuses it
    "garbage": """async (name) => {
        const cache = await caches.open(name);
        const [key] = await cache.keys();
        const bytes = new Uint8Array(1 << 20).fill(7);
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        const hex = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
        await cache.put(key, new Response(bytes, {headers: {'x-l2-sha256': hex}}));
    }""",
}


def test_a_corrupt_stored_snapshot_means_a_normal_boot(page, site_url, pages, subtests):
    # The shared context's snapshot is spoilt here, each way in turn, and a good one is
    # stored again each time.
    spec = get_exercise("l2-penalty")
    open_exercise(page, site_url, pages, "l2-penalty")
    assert wait_for_boots(page, 1)[0] == "snapshot"
    for how in sorted(CORRUPT):
        with subtests.test(corrupt=how):
            snapshot_stored(page)
            page.evaluate(CORRUPT[how], SNAPSHOT_CACHE)
            page.reload()
            exercise = open_exercise(page, site_url, pages, "l2-penalty")
            assert wait_for_boots(page, 1)[0] == "fresh"
            submit(page, exercise, spec.solution, "pass")
            snapshot_stored(page)  # a good snapshot replaces the bad one
            page.reload()
            open_exercise(page, site_url, pages, "l2-penalty")
            assert wait_for_boots(page, 1)[0] == "snapshot"


# Moves the stored snapshot to the name another standard library would give it (as a
# deploy with the same grader and another precompiled zip would have stored it).
ANOTHER_STDLIB = r"""async (name) => {
    const cache = await caches.open(name);
    const [key] = await cache.keys();
    const config = JSON.parse(document.getElementById('l2-config').textContent);
    const stdlib = config.python.urls.cacheKey.match(/-([0-9a-f]+|dev)\.bin$/)[1];
    const response = await cache.match(key);
    await cache.delete(key);
    await cache.put(key.url.replace(`-${stdlib}.bin`, '-0123456789abcdef.bin'), response);
    return (await cache.keys()).map((request) => request.url.endsWith('-0123456789abcdef.bin'));
}"""


def test_a_snapshot_made_with_another_standard_library_is_not_restored(page, site_url, pages):
    # It holds zipimport's index of the zip it was made with: restored beside another
    # zip, a later import would read the wrong bytes. A normal boot follows instead.
    spec = get_exercise("l2-penalty")
    open_exercise(page, site_url, pages, "l2-penalty")
    assert wait_for_boots(page, 1)[0] == "snapshot"
    snapshot_stored(page)
    assert page.evaluate(ANOTHER_STDLIB, SNAPSHOT_CACHE) == [True]
    page.reload()
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    assert wait_for_boots(page, 1)[0] == "fresh"
    submit(page, exercise, spec.solution, "pass")
    snapshot_stored(page)  # this page's own snapshot replaces the other one


def test_a_browser_that_refuses_the_worker_is_told_so_and_keeps_the_code(
    no_python, site_url, pages
):
    page = no_python
    spec = get_exercise("l2-penalty")
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    type_code(page, exercise, spec.solution)
    button(exercise, "Submit").click()
    expect(panel(exercise)).to_contain_text("Python could not start")
    assert code_of(exercise) == spec.solution


# Makes the worker's next `load` step throw (an exception outside any package download),
# as a bug or a broken file system would: its `packages` field is not a list.
BREAK_NEXT_LOAD = """(() => {
    const post = Worker.prototype.postMessage;
    window.__l2BreakLoads = 0;
    Worker.prototype.postMessage = function (data, transfer) {
        if (data && data.type === "job" && window.__l2BreakLoads > 0) {
            window.__l2BreakLoads -= 1;
            data = {...data, packages: 42};
        }
        return post.call(this, data, transfer);
    };
})();"""


def test_a_failure_while_loading_restarts_python_and_says_what_happened(page, site_url, pages):
    page.add_init_script(BREAK_NEXT_LOAD)
    spec = get_exercise("l2-penalty")
    exercise = open_exercise(page, site_url, pages, "l2-penalty")
    ready = len(wait_for_boots(page, 1))
    page.evaluate("window.__l2BreakLoads = 1")
    submit(page, exercise, spec.solution, "error")
    expect(status(exercise)).to_contain_text("restarted")
    expect(status(exercise)).to_contain_text("not iterable")  # what went wrong
    expect(status(exercise)).not_to_contain_text("couldn't be downloaded")
    wait_for_boots(page, ready + 1)  # a new interpreter took over
    submit(page, exercise, spec.solution, "pass", timeout=15_000)

