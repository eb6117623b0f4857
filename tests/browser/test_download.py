"""The download bar on a slow link: while Python's files come, the exercise shows how many
MB have arrived of how many (a real progress bar), and it ends at the verdict. The site is
served through the bench's paced link (benchmarks/paced_link.py), slow enough that the
download takes a few seconds."""

from __future__ import annotations

import pytest
from conftest import ROOT
from playwright.sync_api import expect

from grader import get_exercise

from .helpers import button, mounted, status, type_code

pytestmark = pytest.mark.browser

# Every change of the bar, as the page saw it: [valuenow, valuemax, hidden, verdict shown].
RECORD = """(() => {
    window.__bars = [];
    new MutationObserver(() => {
        const bar = document.querySelector('[data-exercise] [role=progressbar]');
        if (!bar) return;
        const box = bar.parentElement;
        const verdict = document.querySelector('[data-exercise] [role=status][data-verdict]');
        const value = (name) => Number(bar.getAttribute(name));
        const row = [value('aria-valuenow'), value('aria-valuemax'), box.hidden,
                     Boolean(verdict), box.textContent];
        const last = window.__bars[window.__bars.length - 1];
        if (!last || JSON.stringify(last) !== JSON.stringify(row)) window.__bars.push(row);
    }).observe(document, {subtree: true, attributes: true, childList: true, characterData: true});
})();"""


@pytest.fixture
def paced_url(site_dir):
    import sys

    sys.path.insert(0, str(ROOT))
    from benchmarks.paced_link import Link, PacedServer

    # 4.5 MiB or so to a first verdict: about three seconds at 12 Mbit/s.
    server = PacedServer(site_dir.parent, Link(12e6, 0.02)).start()
    yield f"{server.url}{site_dir.name}/"
    server.stop()


def test_the_download_bar_moves_and_ends_at_the_verdict(fresh_page, paced_url, site_dir, pages):
    page = fresh_page
    page.add_init_script(RECORD)
    page.goto(paced_url + pages["l2-penalty"])
    exercise = mounted(page, "l2-penalty")
    type_code(page, exercise, get_exercise("l2-penalty").solution)
    button(exercise, "Submit").click()  # queued: Python is still coming
    expect(status(exercise)).to_have_attribute("data-verdict", "pass", timeout=120_000)
    rows = page.evaluate("window.__bars")
    shown = [row for row in rows if not row[2]]
    assert len({now for now, *_ in shown}) >= 3, f"the bar did not move: {rows}"
    total = sum((site_dir / path).stat().st_size for path in
                ("pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "assets/grader.zip"))
    assert shown[-1][1] == total, "the bar's maximum is not the size of Python's files"
    assert all(0 <= now <= most for now, most, *_ in shown)
    values = [now for now, *_ in shown]
    assert values == sorted(values), "the bar went backwards"
    assert shown[-1][0] == total, "the bar did not fill up"
    assert any("still coming: Python itself" in row[4] for row in shown)
    assert f"of {total / 1e6:.1f} MB" in shown[-1][4]
    # Full, then gone once Python is ready, before or as the verdict is shown.
    assert rows[-1][2], "the bar is still shown after the verdict"
    together = [row for row in rows if row[3] and not row[2]]
    assert not together, "the bar and the verdict were shown together"
