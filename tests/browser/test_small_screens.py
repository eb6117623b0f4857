"""Every page on a phone (390×844): typeset math, tables that fit, figures that read.

One tour of the course at a phone's size, one visit per page, with no Python (nothing
here runs code). After the page's math is typeset, its visible text must hold no raw TeX
(math that KaTeX never saw, or could not parse), every table must fit the screen with no
sideways scrolling, and the smallest text of every figure must be drawn at 11 px or more
(there and at 720 px, the narrowest screen that gets a figure's wide drawing).
A figure is an SVG in an <img>: its text size on screen is its font size in the SVG's own
units, scaled by the width it is shown at over the width of its viewBox.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .helpers import page_of

# Nothing here needs Python: the pages' exercises get none (see no_python in conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_python")]

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails on CI) with the reason
    expect = None

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 720, "height": 844}  # the narrowest screen that gets the wide drawings
SMALLEST_TEXT = 11  # px on screen, for any text in a figure

# What a reader sees as text: the page without code, scripts, the code editor and KaTeX's
# MathML copy (which holds the TeX source for screen readers).
VISIBLE_TEXT = """() => {
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll('script, style, template, noscript, pre, code, .cm-editor, '
        + '.katex-mathml, [hidden]').forEach((n) => n.remove());
    return copy.textContent;
}"""
RAW_TEX = re.compile(r".{0,30}(?:\$|\\[a-zA-Z,;:!]).{0,30}")

MATH = """() => ({
    errors: [...document.querySelectorAll('.katex-error')].map((n) => n.textContent),
    inTables: [...document.querySelectorAll('.md-content :is(td, th) .arithmatex')]
        .map((n) => [n.textContent.slice(0, 40), Boolean(n.querySelector('.katex'))]),
})"""

# A table that does not fit: it scrolls sideways in a box around it (Material's scroller),
# or it reaches past an edge of the screen.
TABLES = """() => [...document.querySelectorAll('.md-content table')].flatMap((table) => {
    const boxes = [];
    for (let n = table; n && !n.matches('article'); n = n.parentElement) {
        if (getComputedStyle(n).overflowX !== 'visible') boxes.push(n);
    }
    const { left, right } = table.getBoundingClientRect();
    const over = Math.max(-left, right - document.documentElement.clientWidth,
        ...boxes.map((n) => n.scrollWidth - n.clientWidth));
    const head = table.rows[0].cells[0].innerText.trim().slice(0, 30);
    return over > 1 ? [`the table headed "${head}": ${Math.round(over)} px too wide`] : [];
})"""

# The smallest text of each figure on screen, in px: the smallest font size in the SVG
# that the <img> shows (a <picture> may have chosen it), times the shown width over the
# width of the SVG's viewBox.
FIGURES = """async () => Promise.all(
    [...document.querySelectorAll('.md-content img[src$=".svg"]')].map(async (img) => {
        await img.decode();
        const svg = await (await fetch(img.currentSrc)).text();
        const viewBox = /viewBox="([^"]+)"/.exec(svg)[1].trim().split(/[\\s,]+/).map(Number);
        const sizes = [...svg.matchAll(/font(?:-size)?:[^;"]*?([\\d.]+)px/g)].map((m) => +m[1]);
        const shown = img.getBoundingClientRect().width;
        return [img.currentSrc.split('/').pop(), Math.min(...sizes) * shown / viewBox[2]];
    }))"""


def typeset(page, site_url: str, site_dir: Path) -> None:
    """Wait until every math element the build wrote on this page is typeset."""
    path = page_of(page.url).removeprefix(site_url)
    html = (site_dir / path / "index.html").read_text("utf-8")
    math = len(re.findall(r'class="arithmatex"', html))
    expect(page.locator(".arithmatex[data-typeset]")).to_have_count(math)
    if "data-progress-overview" in html:  # the recap lists every question once it has loaded
        expect(page.locator(".l2-progress-summary")).not_to_be_empty()


def test_every_page_reads_on_a_phone(page, site_url, site_dir):
    course = json.loads((site_dir / "assets/course/progress.json").read_text("utf-8"))
    urls = [entry["url"] for entry in course["pages"]]
    assert len(urls) >= 7, urls
    page.set_viewport_size(PHONE)
    raw, broken, wide, small = [], [], [], []
    math_in_tables = 0
    figures = []  # the pages with figures
    for url in urls:
        page.goto(site_url + url)
        typeset(page, site_url, site_dir)
        raw += [f"{url}: …{m[0]}…" for m in RAW_TEX.finditer(page.evaluate(VISIBLE_TEXT))]
        math = page.evaluate(MATH)
        broken += [f"{url}: KaTeX could not read {e!r}" for e in math["errors"]]
        broken += [f"{url}: untypeset {tex!r} in a table" for tex, done in math["inTables"]
                   if not done]
        math_in_tables += len(math["inTables"])
        wide += [f"{url}: {problem}" for problem in page.evaluate(TABLES)]
        shown = page.evaluate(FIGURES)
        figures += [url] if shown else []
        small += [f"{url}: {name}: text drawn at {size:.1f} px" for name, size in shown
                  if size < SMALLEST_TEXT]
    assert math_in_tables and len(figures) >= 4, (math_in_tables, figures)  # checks saw them
    # From 720 px up the wide drawings show: at their narrowest they must read too.
    page.set_viewport_size(WIDE)
    for url in figures:
        page.goto(site_url + url)
        small += [f"{url} at {WIDE['width']} px: {name}: text drawn at {size:.1f} px"
                  for name, size in page.evaluate(FIGURES) if size < SMALLEST_TEXT]
    found = {
        "raw TeX on screen": raw,
        "math not typeset": broken,
        f"tables wider than a {PHONE['width']} px screen": wide,
        f"figure text under {SMALLEST_TEXT} px": small,
    }
    assert not any(found.values()), "\n".join(
        f"{what}:\n  " + "\n  ".join(items) for what, items in found.items() if items
    )
