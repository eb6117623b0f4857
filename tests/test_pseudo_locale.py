"""A translation is one file: the site built in a pseudo-language speaks it everywhere.

The ``pseudo_site`` fixture (tests/conftest.py) writes a language file, English with every
string wrapped in ``⟦…⟧`` and its placeholders kept, builds the site in it and grades
under it; any text the course adds that is not wrapped was not translated. Lesson
prose, questions and exercises (the course's content) and Material's chrome are not the
catalogue's, so they are left out of the scan.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

WRAPPED = re.compile(r"(?:\s*⟦.*?⟧\s*)+", re.DOTALL)
# Course-added parts of a page whose every text is the catalogue's ...
REGIONS = ("l2-question", "l2-exercise", "l2-footer-work")
# ... except what, inside them, is the course's content or code.
CONTENT = ("l2-question-prompt", "l2-option", "l2-exercise-fallback", "l2-exercise-data")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Regions(HTMLParser):
    """The text of each course-added region of a page, content left out."""

    def __init__(self, html: str):
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, opens a region, content)
        self.texts: list[list[str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        region = any(c in REGIONS for c in classes) and not self._inside()
        if region:
            self.texts.append([])
        content = tag in ("label", "code") or any(c in CONTENT for c in classes)
        self.stack.append((tag, region, content))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def _inside(self) -> bool:
        return any(region for _, region, _ in self.stack)

    def handle_data(self, data):
        if self._inside() and not any(content for _, _, content in self.stack):
            self.texts[-1].append(data)


def test_every_text_the_course_adds_to_a_page_is_translated(pseudo_site):
    found: dict[str, int] = {}
    bare = []
    for page in sorted(pseudo_site.dir.rglob("*.html")):
        for parts in Regions(page.read_text(encoding="utf-8")).texts:
            text = "".join(parts)
            found[page.name] = found.get(page.name, 0) + 1
            if text.strip() and not WRAPPED.fullmatch(text):
                bare.append(f"{page.relative_to(pseudo_site.dir)}: {text.strip()[:120]!r}")
    assert bare == [], "untranslated text:\n" + "\n".join(bare)
    html = (pseudo_site.dir / "l2-regularization" / "index.html").read_text(encoding="utf-8")
    assert "⟦Choose one answer.⟧" in html and "⟦Download or restore your work⟧" in html


def test_the_pages_script_speaks_the_language(pseudo_site):
    scripts = sorted((pseudo_site.dir / "assets" / "course").rglob("*.js"))
    script = "\n".join(path.read_text(encoding="utf-8") for path in scripts)
    assert "⟦Submit⟧" in script and "⟦Correct.⟧" in script
    # The English wording is gone from the page's code, not only added to beside it.
    assert "Not quite — read the explanations" not in script.replace("⟦Not quite", "")
    assert '"Reset this page' not in script
    # The explorables' sentences too: they are the course's wording, not lesson content.
    assert "⟦Hide the answer and try again⟧" in script and "⟦Patience⟧" in script
    assert "Lock in λ =" not in script.replace("⟦Lock in λ =", "")
    assert "The figure is below." not in script.replace("The figure is below.⟧", "")


def test_every_verdict_is_translated(pseudo_site):
    results = pseudo_site.verdicts
    assert results["pass"]["status"] == "pass"
    for name in ("pass", "syntax", "missing", "raises"):
        assert results[name]["feedback"].startswith("⟦"), (name, results[name]["feedback"])
    for name in ("mistake", "raises"):
        failed = [c["message"] for c in results[name]["checks"] if not c["passed"]]
        assert failed and all(m.startswith("⟦") for m in failed), (name, failed)
    # A known mistake's headline is the exercise's own text: content, as the lesson is.
    assert results["mistake"]["feedback"] == results["mistake_message"]
    timeout = results["timeout"]
    assert timeout["status"] == "timeout" and timeout["feedback"].startswith("⟦"), timeout
