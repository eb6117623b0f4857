"""Build real MkDocs configs and check the site they produce.

Each build runs ``mkdocs build`` in a child process on a scratch copy of the project (the
real mkdocs.yml, hooks, exercises and web sources, with fixture pages and questions), so
what is tested is exactly what ``mkdocs build``/``serve``/``gh-deploy`` do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]

QUESTIONS = """\
- id: lowers-complexity
  prompt: Does L2 regularization lower a model's **complexity**, $\\sum w_i^2$?
  select: one
  options:
    - text: "Yes"
      correct: true
      why: It pulls every weight toward `0`.
    - text: "No"
      correct: false
      why: It does; complexity is the sum of squared weights.
- id: pick-all
  prompt: Which are regularization?
  select: many
  options:
    - {text: L2, correct: true, why: Sum of squares.}
    - {text: L1, correct: true, why: Sum of absolute values.}
    - {text: More epochs, correct: false, why: That is training longer.}
"""

LESSON = """\
---
title: Lesson
---
# Lesson

Inline math $\\lambda$ and a display:

$$
L_2 = \\sum_i w_i^2
$$

<!-- md:exercise l2-penalty -->

```markdown
<!-- md:exercise fenced-backticks -->
```

~~~
<!-- md:question fenced-tildes -->
~~~

Write `<!-- md:question inline-code -->` to place a question.

!!! question "Check yourself"

    <!-- md:question lowers-complexity -->
"""

OTHER = """\
# Other

<!-- md:question pick-all -->
"""


def make_project(
    tmp_path: Path, pages: dict[str, str], questions: str | None = QUESTIONS
) -> Path:
    """A scratch copy of the project whose docs are ``pages`` (in that nav order)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("hooks", "exercises", "web", "scripts", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("grader", "node_modules"):
        (project / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copy(ROOT / "package-lock.json", project)
    questions_file = project / "exercises" / "questions.yml"
    if questions is None:
        questions_file.unlink(missing_ok=True)
    else:
        questions_file.write_text(questions, encoding="utf-8")
    (project / "docs").mkdir()
    for name, text in pages.items():
        (project / "docs" / name).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", project / "base.yml")
    nav = "".join(f"  - {name}\n" for name in pages)
    (project / "mkdocs.yml").write_text(f"INHERIT: base.yml\nnav:\n{nav}", encoding="utf-8")
    return project


def build(
    config: Path, site: Path, *, strict: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [*MKDOCS, "build", "-f", str(config), "-d", str(site)]
    if strict:
        command.append("--strict")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYODIDE_URL": ""}
    environment.update(env or {})
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=300, check=False
    )


def build_fails(tmp_path: Path, pages: dict[str, str], questions: str = QUESTIONS) -> str:
    project = make_project(tmp_path, pages, questions)
    result = build(project / "mkdocs.yml", project / "site")
    assert result.returncode != 0, "the build should have failed:\n" + result.stderr
    return result.stdout + result.stderr


class Tags(HTMLParser):
    """Every start tag of a page, as (tag, attributes)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def pages_of(site: Path, *, with_404: bool = True) -> dict[str, str]:
    """Every built page by path. MkDocs roots 404.html's URLs at site_url's path on
    purpose (it is served for any missing path), so URL checks leave it out."""
    return {
        path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(site.rglob("*.html"))
        if with_404 or path.name != "404.html"
    }


# ---------------------------------------------------------------------------------------
# A good fixture site, built once


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("fixture-site")
    project = make_project(tmp_path, {"index.md": LESSON, "other.md": OTHER})
    site = project / "site"
    result = build(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    return site


def test_exercise_placeholder_carries_valid_json(fixture_site):
    html = (fixture_site / "index.html").read_text(encoding="utf-8")
    tags = Tags(html)
    [root] = tags.find("div", data_exercise="l2-penalty")
    assert root["class"] == "l2-exercise"
    # The exercise's data is written once, in the JSON: the element carries only its id.
    assert not {"data-function", "data-requires", "data-version"} & set(root)
    match = re.search(
        r'<template class="l2-exercise-data" data-search-exclude>(.*?)</template>', html, re.S
    )
    assert match, "the exercise data is missing"
    assert "<" not in match[1]
    data = json.loads(match[1])
    assert set(data) >= {
        "id", "title", "function", "starter", "solution", "hints", "requires", "version"
    }
    assert data["id"] == "l2-penalty" and re.fullmatch(r"[0-9a-f]{12}", data["version"])
    assert data["function"] == "l2_penalty" and data["requires"] == []
    assert data["hints"] and all(hint.startswith("<") for hint in data["hints"])
    assert "def l2_penalty" in data["starter"]
    # The solution never reaches the search index.
    index = (fixture_site / "search" / "search_index.json").read_text(encoding="utf-8")
    solution_lines = [line for line in data["solution"].splitlines() if "return" in line]
    assert solution_lines and all(line.strip() not in index for line in solution_lines)
    # The prompt is Markdown rendered by MkDocs, before the widget; a fallback shows the
    # starter code and <noscript> says why there is no editor.
    prompt_at = html.index("<code>l2_penalty(weights)</code>")
    assert prompt_at < html.index('data-exercise="l2-penalty"')
    assert '<pre class="l2-exercise-fallback"><code>def l2_penalty(weights):' in html
    assert re.search(r"<noscript>.*JavaScript.*</noscript>", html)


def test_question_form_has_inputs_check_and_status(fixture_site):
    html = (fixture_site / "index.html").read_text(encoding="utf-8")
    tags = Tags(html)
    [form] = tags.find("form", data_question="lowers-complexity")
    assert form["data-select"] == "one"
    radios = tags.find("input", type="radio", name="l2q-lowers-complexity")
    assert len(radios) == 2
    for radio in radios:
        assert tags.find("label", **{"for": radio["id"]})
    assert len(tags.find("div", data_correct="true")) == 1
    section = html[html.index('data-question="lowers-complexity"') :]
    section = section[: section.index("</form>")]
    assert re.search(r'<button type="button"[^>]*>Check</button>', section)
    assert 'role="status" aria-live="polite"' in section
    assert section.count('class="l2-option-why"') == 2
    assert "It pulls every weight toward <code>0</code>." in section  # Markdown rendered
    assert '<span class="arithmatex">' in section
    # Placed inside an admonition, the form is still HTML, not text in a paragraph.
    assert "<p><form" not in html and "&lt;form" not in html

    other = Tags((fixture_site / "other" / "index.html").read_text(encoding="utf-8"))
    assert len(other.find("input", type="checkbox", name="l2q-pick-all")) == 3


def test_markers_in_code_stay_literal(fixture_site):
    html = (fixture_site / "index.html").read_text(encoding="utf-8")
    for marker in (
        "md:exercise fenced-backticks",
        "md:question fenced-tildes",
        "md:question inline-code",
    ):
        assert f"&lt;!-- {marker} --&gt;" in html


def test_site_ships_pyodide_katex_grader_and_bundle(fixture_site):
    for name in (
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ):
        assert (fixture_site / "pyodide" / name).is_file(), name
    assert sorted(p.name for p in (fixture_site / "pyodide").iterdir()) == sorted(
        ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
         "pyodide-lock.json"]
    )
    katex = fixture_site / "assets" / "vendor" / "katex"
    assert (katex / "katex.min.js").is_file() and (katex / "katex.min.css").is_file()
    assert list((katex / "fonts").glob("*.woff2"))
    with zipfile.ZipFile(fixture_site / "assets" / "grader.zip") as archive:
        names = archive.namelist()
    assert "grader/__init__.py" in names and "exercises/l2_penalty.py" in names
    course = fixture_site / "assets" / "course"
    for name in ("page.js", "worker.js", "exercise.css", "course.css"):
        assert (course / name).is_file(), name


def test_no_inline_script_in_page_content(fixture_site):
    """Material's instant navigation re-runs inline scripts in the content as JavaScript."""
    for name, html in pages_of(fixture_site).items():
        article = re.search(r"<article.*?</article>", html, re.S)
        assert article and "<script" not in article[0], name


def test_page_scripts_are_modules_on_every_page(fixture_site):
    for name, html in pages_of(fixture_site).items():
        if name == "404.html":
            continue
        tags = Tags(html)
        sources = {a["src"].rsplit("/", 1)[-1] for a in tags.find("script", type="module")}
        # One entry mounts every component; the offline registration rides on every page;
        # exercise pages start Python from the <head> too.
        expected = {"page.js", "offline.js"}
        if 'data-exercise="' in html:
            expected.add("python-boot.js")
        assert sources == expected, name


def _asset_urls(html: str) -> list[tuple[str, str]]:
    urls = []
    for tag, attrs in Tags(html).tags:
        for attribute in ("src", "href", "srcset", "poster", "data"):
            if attribute in attrs:
                urls.append((tag, attrs[attribute]))
    return urls


def test_no_root_absolute_urls(fixture_site):
    for name, html in pages_of(fixture_site, with_404=False).items():
        for tag, url in _asset_urls(html):
            assert not (url.startswith("/") and not url.startswith("//")), (name, tag, url)


def test_no_third_party_requests(fixture_site):
    local_hosts = {"127.0.0.1", "localhost"}
    for name, html in pages_of(fixture_site).items():
        for tag, attrs in Tags(html).tags:
            if tag not in ("script", "link", "img", "source", "iframe", "video", "audio"):
                continue
            if tag == "link" and attrs.get("rel") in ("canonical", "prev", "next"):
                continue  # navigation hints, not fetched
            url = attrs.get("src") or attrs.get("href") or ""
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https") or url.startswith("//"):
                assert parsed.hostname in local_hosts, (name, tag, url)
    css = (fixture_site / "assets" / "course" / "course.css").read_text(encoding="utf-8")
    assert "http://" not in css and "https://" not in css


def test_search_index_exists(fixture_site):
    index = json.loads((fixture_site / "search" / "search_index.json").read_text("utf-8"))
    assert any(doc["location"].startswith("other/") for doc in index["docs"])


def test_footer_credits_the_source(fixture_site):
    html = (fixture_site / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>|\s+", " ", html)
    assert "Google's Machine Learning Crash Course" in text or "Google&#39;s Machine" in text
    assert "CC BY 4.0" in text


def test_pyodide_url_reaches_the_page(tmp_path):
    project = make_project(tmp_path, {"index.md": LESSON, "other.md": OTHER})
    site = project / "site"
    url = "https://mirror.example/pyodide/v314.0.7/full/"
    result = build(project / "mkdocs.yml", site, env={"PYODIDE_URL": url})
    assert result.returncode == 0, result.stderr
    tags = Tags((site / "index.html").read_text(encoding="utf-8"))
    assert tags.find("meta", name="l2-pyodide-url", content=url)


# ---------------------------------------------------------------------------------------
# Builds that must fail, and say where


def test_unknown_exercise_names_page_line_and_id(tmp_path):
    page = "# Page\n\nText.\n\n<!-- md:exercise no-such-exercise -->\n"
    output = build_fails(tmp_path, {"index.md": LESSON, "other.md": OTHER, "bad.md": page})
    assert "bad.md:5" in output
    assert "no-such-exercise" in output
    assert "l2-penalty" in output  # the known ids are listed


def test_unknown_question_names_page_and_id(tmp_path):
    page = "---\ntitle: Bad\n---\n# Bad\n\n<!-- md:question no-such-question -->\n"
    output = build_fails(tmp_path, {"index.md": LESSON, "other.md": OTHER, "bad.md": page})
    assert "bad.md:6" in output  # the line in the file, front matter counted
    assert "no-such-question" in output
    assert "lowers-complexity" in output and "pick-all" in output


def test_unknown_marker_kind_fails(tmp_path):
    page = "# Bad\n\n<!-- md:video intro -->\n"
    output = build_fails(tmp_path, {"index.md": LESSON, "other.md": OTHER, "bad.md": page})
    assert "bad.md:3" in output and "md:video" in output


def test_marker_not_alone_on_its_line_fails(tmp_path):
    page = "# Bad\n\nSee <!-- md:question pick-all --> here.\n"
    output = build_fails(tmp_path, {"index.md": LESSON, "bad.md": page})
    assert "bad.md:3" in output and "alone" in output


def test_question_placed_twice_fails(tmp_path):
    again = "# Again\n\n<!-- md:question pick-all -->\n"
    output = build_fails(tmp_path, {"index.md": LESSON, "other.md": OTHER, "again.md": again})
    assert "pick-all" in output and "other.md:3" in output and "again.md:3" in output


def test_exercise_placed_twice_fails(tmp_path):
    again = "# Again\n\n<!-- md:exercise l2-penalty -->\n"
    output = build_fails(tmp_path, {"index.md": LESSON, "other.md": OTHER, "again.md": again})
    assert "l2-penalty" in output and "index.md" in output and "again.md:3" in output


def test_question_not_placed_anywhere_fails(tmp_path):
    output = build_fails(tmp_path, {"index.md": LESSON})
    assert "pick-all" in output and "not placed" in output


def _one(**changes) -> str:
    """A questions file with one question, changed by ``changes`` (None deletes a key)."""
    question = {
        "id": "broken-question",
        "prompt": "Which?",
        "select": "one",
        "options": [
            {"text": "A", "correct": True, "why": "Because."},
            {"text": "B", "correct": False, "why": "Because not."},
        ],
    }
    for key, value in changes.items():
        if value is None:
            question.pop(key)
        else:
            question[key] = value
    return json.dumps([question])  # JSON is YAML


BAD_QUESTIONS = {
    "bad id": (_one(id="Broken_Question"), "Broken_Question"),
    "no prompt": (_one(prompt=""), "prompt"),
    "prompt missing": (_one(prompt=None), "prompt"),
    "bad select": (_one(select="some"), "select"),
    "one with two correct": (
        _one(options=[{"text": t, "correct": True, "why": "w"} for t in "AB"]),
        "exactly 1 correct",
    ),
    "one with none correct": (
        _one(options=[{"text": t, "correct": False, "why": "w"} for t in "AB"]),
        "exactly 1 correct",
    ),
    "many with none correct": (
        _one(select="many", options=[{"text": t, "correct": False, "why": "w"} for t in "AB"]),
        "at least 1 correct",
    ),
    "a single option": (_one(options=[{"text": "A", "correct": True, "why": "w"}]), "2 options"),
    "option without why": (
        _one(options=[{"text": "A", "correct": True}, {"text": "B", "correct": False, "why": "w"}]),
        "why",
    ),
    "option with empty text": (
        _one(options=[{"text": " ", "correct": True, "why": "w"},
                      {"text": "B", "correct": False, "why": "w"}]),
        "text",
    ),
    "correct not a boolean": (
        _one(options=[{"text": "A", "correct": "yes", "why": "w"},
                      {"text": "B", "correct": False, "why": "w"}]),
        "correct",
    ),
    "unknown question key": (_one(answer="A"), "answer"),
    "unknown option key": (
        _one(options=[{"text": "A", "correct": True, "why": "w", "hint": "h"},
                      {"text": "B", "correct": False, "why": "w"}]),
        "hint",
    ),
}


@pytest.mark.parametrize("case", list(BAD_QUESTIONS))
def test_malformed_question_fails_naming_it(tmp_path, case):
    questions, detail = BAD_QUESTIONS[case]
    page = "# Q\n\n<!-- md:question broken-question -->\n"
    output = build_fails(tmp_path, {"index.md": page}, questions)
    assert "questions.yml" in output
    assert "broken-question" in output or "question 1" in output
    assert detail in output


def test_duplicate_question_id_fails(tmp_path):
    questions = QUESTIONS + textwrap.dedent(
        """\
        - id: pick-all
          prompt: Again?
          select: one
          options:
            - {text: A, correct: true, why: a}
            - {text: B, correct: false, why: b}
        """
    )
    output = build_fails(tmp_path, {"index.md": LESSON, "other.md": OTHER}, questions)
    assert "duplicate" in output and "pick-all" in output and "questions.yml" in output


def test_missing_node_modules_says_how_to_fix(tmp_path):
    project = make_project(tmp_path, {"index.md": LESSON, "other.md": OTHER})
    (project / "node_modules").unlink()
    result = build(project / "mkdocs.yml", project / "site")
    assert result.returncode != 0
    assert "./dev setup" in result.stdout + result.stderr


# ---------------------------------------------------------------------------------------
# The real site, once its pages exist

REAL_PAGES = [
    line.strip()[2:]
    for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    .splitlines()
    if line.strip().startswith("- ")
]
REAL_DOCS_PRESENT = all((ROOT / "docs" / page).is_file() for page in REAL_PAGES)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    assert REAL_DOCS_PRESENT, "a page listed in mkdocs.yml's nav is missing from docs/"
    site = tmp_path_factory.mktemp("real-site") / "site"
    result = build(ROOT / "mkdocs.yml", site, strict=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_real_site_builds_strict_with_every_widget_once(real_site):
    sys.path.insert(0, str(ROOT))
    try:
        from grader import exercise_ids
        from hooks.questions import load_questions
    finally:
        sys.path.remove(str(ROOT))
    html = "".join(pages_of(real_site).values())
    for exercise in exercise_ids():
        assert html.count(f'data-exercise="{exercise}"') == 1, exercise
    questions = load_questions(ROOT / "exercises" / "questions.yml")
    assert len(questions) >= 10
    for question in questions:
        assert html.count(f'data-question="{question}"') == 1, question


def test_real_site_has_no_root_absolute_or_third_party_urls(real_site):
    for name, html in pages_of(real_site, with_404=False).items():
        for tag, url in _asset_urls(html):
            assert not (url.startswith("/") and not url.startswith("//")), (name, tag, url)
            if tag in ("script", "link", "img") and urlparse(url).scheme in ("http", "https"):
                assert urlparse(url).hostname in ("127.0.0.1", "localhost"), (name, url)
