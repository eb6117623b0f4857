"""The real site as ``mkdocs build --strict`` makes it, and two builds that must fail.

The site is built once per session (``site_dir`` in tests/conftest.py), the same one the
browser and publishing tests read. What the hooks check and render on a page is tested
in-process in tests/test_hooks.py; the failing builds here run ``mkdocs build`` in a child
process on a scratch copy of the project, to prove that those errors stop the build and
name the page and line, or the file, as an author sees them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT, Tags, html_pages, mkdocs_build, page_config, urls_in

from grader import exercise_ids, get_exercise
from hooks.assets import pyodide_version
from hooks.packages import cdn_url
from hooks.questions import load_questions

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
REAL_PAGES = [
    line.strip()[2:]
    for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    .splitlines()
    if line.strip().startswith("- ")
]


def test_every_page_in_the_nav_exists():
    missing = [page for page in REAL_PAGES if not (ROOT / "docs" / page).is_file()]
    assert not missing, f"pages listed in mkdocs.yml's nav are missing from docs/: {missing}"


def test_real_site_builds_strict_with_every_widget_once(site_dir):
    html = "".join(html_pages(site_dir).values())
    for exercise in exercise_ids():
        assert html.count(f'data-exercise="{exercise}"') == 1, exercise
    questions = load_questions(ROOT / "exercises" / "questions.yml")
    assert len(questions) >= 10
    for question in questions:
        assert html.count(f'data-question="{question}"') == 1, question


def test_exercise_placeholder_carries_valid_json(site_dir):
    [html] = [
        page for page in html_pages(site_dir).values() if 'data-exercise="l2-penalty"' in page
    ]
    [root] = Tags(html).find("div", data_exercise="l2-penalty")
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
    # After a named mistake the page offers that mistake's hint: keyed by its headline.
    mistakes = get_exercise("l2-penalty").mistakes
    assert set(data["mistakeHints"]) == {m.message for m in mistakes if m.hint}
    assert all(hint.startswith("<") for hint in data["mistakeHints"].values())
    assert "def l2_penalty" in data["starter"]
    # The solution never reaches the search index.
    index = (site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    solution_lines = [line for line in data["solution"].splitlines() if "return" in line]
    assert solution_lines and all(line.strip() not in index for line in solution_lines)
    # A fallback shows the starter code and <noscript> says why there is no editor.
    assert '<pre class="l2-exercise-fallback"><code>def l2_penalty(weights):' in html
    assert re.search(r"<noscript>.*JavaScript.*</noscript>", html)


def test_site_ships_pyodide_katex_grader_and_bundle(site_dir):
    for name in (
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ):
        assert (site_dir / "pyodide" / name).is_file(), name
    assert sorted(p.name for p in (site_dir / "pyodide").iterdir()) == sorted(
        ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
         "python_stdlib_rest.zip", "pyodide-lock.json"]
    )
    katex = site_dir / "assets" / "vendor" / "katex"
    assert (katex / "katex.min.js").is_file() and (katex / "katex.min.css").is_file()
    assert list((katex / "fonts").glob("*.woff2"))
    with zipfile.ZipFile(site_dir / "assets" / "grader.zip") as archive:
        names = archive.namelist()
    assert "grader/__init__.py" in names and "exercises/l2_penalty.py" in names
    # The command line's process handling and the questions stay out of the browser's copy.
    assert "grader/sandbox.py" not in names and "exercises/questions.yml" not in names
    assert "grader/site_python.py" not in names
    # Its sources are lean (hooks/grader_archive.py): no comments, no docstrings.
    with zipfile.ZipFile(site_dir / "assets" / "grader.zip") as archive:
        shipped = archive.read("grader/grading.py").decode("utf-8")
    original = (ROOT / "grader" / "grading.py").read_text("utf-8")
    assert "#" in original and '"""' in original
    assert "# " not in shipped and '"""' not in shipped
    assert shipped.count("\n") == original.count("\n")
    course = site_dir / "assets" / "course"
    for name in ("page.js", "worker.js", "exercise.css", "course.css"):
        assert (course / name).is_file(), name


def test_standard_library_ships_what_a_first_verdict_imports_precompiled(site_dir):
    # hooks/stdlib.py: Pyodide's zip in two. The boot zip: the modules a first verdict
    # imports as bytecode (no source to compile on each boot), Pyodide's packages, and the
    # sitecustomize that loads the rest on first use; the rest zip: every other module as it
    # was, the frozen ones' sources too. The pages name the boot zip's version, which keys
    # the Python snapshot (a snapshot holds zipimport's index of its own zip).
    npm = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
    boot, rest = (site_dir / "pyodide" / n for n in ("python_stdlib.zip", "python_stdlib_rest.zip"))
    with zipfile.ZipFile(npm) as a, zipfile.ZipFile(boot) as b, zipfile.ZipFile(rest) as r:
        original = {n for n in a.namelist() if not n.endswith("/")}
        in_boot, in_rest = set(b.namelist()), set(r.namelist())
        finder = b.read("sitecustomize.pyc")
    compiled = {name[:-1] for name in in_boot if name.endswith(".pyc")} - {"sitecustomize.py"}
    files = {n for n in in_boot | in_rest if not n.endswith("/") and not n.endswith(".pyc")}
    assert files | compiled == original and not files & compiled  # every file, once
    assert not {n for n in in_boot if not n.endswith("/")} & in_rest
    assert {"typing.py", "inspect.py", "asyncio/base_events.py", "difflib.py"} <= compiled
    assert "pyodide/http/pyxhr.py" in in_boot  # Pyodide's own
    assert "os.py" in in_rest and "os.pyc" not in in_boot  # frozen into the interpreter
    assert {"email/__init__.py", "json/tool.py", "encodings/cp1252.py"} <= in_rest
    # Nothing of a package of the rest is in the boot zip, not even a folder or a data file:
    # `import tomllib` would find an empty namespace package there instead of the real one.
    rest_packages = {n.removesuffix("__init__.py") for n in in_rest if n.endswith("/__init__.py")}
    assert {"email/", "tomllib/", "ctypes/"} <= rest_packages
    assert [n for n in in_boot if n.startswith(tuple(rest_packages))] == []
    assert b"email.mime.text" in finder and b"json.tool" in finder  # the rest's module names
    assert boot.stat().st_size < 0.6 * npm.stat().st_size  # what a first visit downloads
    version = hashlib.sha256(boot.read_bytes()).hexdigest()[:16]
    html = (site_dir / "l2-regularization" / "index.html").read_text(encoding="utf-8")
    # The snapshot's key, which the early boot and the runtime both read from the config.
    assert page_config(html)["python"]["urls"]["cacheKey"].endswith(f"-{version}.bin")


def test_no_inline_script_in_page_content(site_dir):
    """Material's instant navigation re-runs inline scripts in the content as JavaScript
    (a JSON data island, as the teacher's page has, is data: it never runs)."""
    for name, html in html_pages(site_dir).items():
        article = re.search(r"<article.*?</article>", html, re.S)
        assert article, name
        scripts = re.findall(r"<script\b[^>]*>", article[0])
        assert all('type="application/json"' in tag for tag in scripts), (name, scripts)


def test_page_scripts_are_modules_on_every_page(site_dir):
    for name, html in html_pages(site_dir, with_404=False).items():
        tags = Tags(html)
        sources = {a["src"].rsplit("/", 1)[-1] for a in tags.find("script", type="module")}
        # One entry mounts every component; the offline registration rides on every page;
        # exercise pages start Python from the <head> too.
        expected = {"page.js", "offline.js"}
        if 'data-exercise="' in html:
            expected.add("python-boot.js")
        assert sources == expected, name


def test_pyodide_url_is_in_the_config_of_every_page(site_dir):
    """The CDN here (PYODIDE_URL unset); tests/test_hooks.py checks a set one reaches it."""
    cdn = cdn_url(pyodide_version(ROOT))
    for name, html in html_pages(site_dir, with_404=False).items():
        assert page_config(html)["python"]["urls"]["packageBaseUrl"] == cdn, name


def test_no_root_absolute_urls(site_dir):
    for name, html in html_pages(site_dir, with_404=False).items():
        for tag, url in urls_in(html):
            assert not (url.startswith("/") and not url.startswith("//")), (name, tag, url)


def test_no_third_party_requests(site_dir):
    for name, html in html_pages(site_dir).items():
        for tag, attrs in Tags(html).tags:
            if tag not in ("script", "link", "img", "source", "iframe", "video", "audio"):
                continue
            if tag == "link" and attrs.get("rel") in ("canonical", "prev", "next"):
                continue  # navigation hints, not fetched
            url = attrs.get("src") or attrs.get("href") or ""
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https") or url.startswith("//"):
                assert parsed.hostname in LOCAL_HOSTS, (name, tag, url)
        for tag, url in urls_in(html):
            if tag in ("script", "link", "img") and urlparse(url).scheme in ("http", "https"):
                assert urlparse(url).hostname in LOCAL_HOSTS, (name, url)
    css = (site_dir / "assets" / "course" / "course.css").read_text(encoding="utf-8")
    assert "http://" not in css and "https://" not in css


class ProseText(HTMLParser):
    """A page's text outside math, code, scripts, styles and templates, as (tag, text)."""

    SKIP = {"script", "style", "template", "code", "pre", "svg", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, html: str):
        super().__init__()
        self.open: list[tuple[str, bool]] = []  # (tag, skipped) of every open element
        self.texts: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.open.append((tag, tag in self.SKIP or "arithmatex" in classes))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip() and not any(skipped for _, skipped in self.open):
            self.texts.append((self.open[-1][0] if self.open else "", data.strip()))


# Math that arithmatex did not take as math ("$x = $ y": a space before the closing $)
# reaches the reader as raw TeX.
RAW_TEX = re.compile(r"\$|\\[a-zA-Z,;:!]")


def test_no_raw_tex_outside_math_on_any_page(site_dir):
    raw = [
        f"{name} <{tag}>: {text[:80]!r}"
        for name, html in html_pages(site_dir).items()
        for tag, text in ProseText(html).texts
        if RAW_TEX.search(text)
    ]
    assert not raw, "TeX left outside math:\n" + "\n".join(raw)


def test_every_figure_offers_its_narrow_drawing_to_phones(site_dir):
    shown = 0
    for name, html in html_pages(site_dir, with_404=False).items():
        pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
        for picture in pictures:
            [source], [img] = Tags(picture).find("source"), Tags(picture).find("img")
            assert source["srcset"] == img["src"].replace(".svg", "-narrow.svg"), name
            assert ((site_dir / name).parent / source["srcset"]).resolve().is_file(), name
        figures = re.findall(r'<img [^>]*src="[^"]*assets/figures/[^"]*\.svg"', html)
        assert len(figures) == len(pictures), f"{name}: a figure without its narrow drawing"
        shown += len(pictures)
    assert shown == len(list((site_dir / "assets" / "figures").glob("*-narrow.svg")))


def test_search_index_exists(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))
    for page in REAL_PAGES:
        location = page.removesuffix(".md").removesuffix("index") + "/"
        if location != "/":
            assert any(doc["location"].startswith(location) for doc in index["docs"]), page


def test_footer_credits_the_source(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>|\s+", " ", html)
    assert "Google's Machine Learning Crash Course" in text or "Google&#39;s Machine" in text
    assert "CC BY 4.0" in text


# ---------------------------------------------------------------------------------------
# Builds that must fail, and say where: one error found on a page, one in the config stage


def make_project(
    tmp_path: Path, pages: dict[str, str], questions: str, exercises: dict[str, str] | None = None
) -> Path:
    """A scratch copy of the project whose docs are ``pages`` (in that nav order), with
    ``exercises`` (file name: source) added to its exercises."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("hooks", "exercises", "web", "scripts", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    # build/ holds the front-end bundle that the session's site build made (its sources'
    # copies hash the same, so it is not rebuilt); the rest is read, never written.
    for name in ("grader", "node_modules", "build"):
        (project / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copy2(ROOT / "package-lock.json", project)
    shutil.copy2(ROOT / "mkdocs_hooks.py", project)
    (project / "exercises" / "questions.yml").write_text(questions, encoding="utf-8")
    for name, text in (exercises or {}).items():
        (project / "exercises" / name).write_text(text, encoding="utf-8")
    (project / "docs").mkdir()
    for name, text in pages.items():
        (project / "docs" / name).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", project / "base.yml")
    nav = "".join(f"  - {name}\n" for name in pages)
    (project / "mkdocs.yml").write_text(f"INHERIT: base.yml\nnav:\n{nav}", encoding="utf-8")
    return project


@pytest.fixture
def build_fails(tmp_path: Path, site_dir: Path) -> Callable[..., str]:
    """``build_fails(pages, questions, exercises=None)``: the output of a build (not
    strict) that must fail.

    It comes after the session's site build, which made the front-end bundle it reuses.
    """

    def run(pages: dict[str, str], questions: str, exercises: dict[str, str] | None = None) -> str:
        project = make_project(tmp_path, pages, questions, exercises)
        result = mkdocs_build(project / "mkdocs.yml", project / "site")
        assert result.returncode != 0, "the build should have failed:\n" + result.stderr
        return result.stdout + result.stderr

    return run


QUESTION = """\
- id: pick-one
  prompt: Which?
  select: one
  options:
    - {text: A, correct: true, why: Because.}
    - {text: B, correct: false, why: Because not.}
"""
PLACED = "# Q\n\n<!-- md:question pick-one -->\n"


def test_build_stops_at_an_unknown_id_naming_page_line_and_known_ids(build_fails):
    page = "---\ntitle: Bad\n---\n# Bad\n\n<!-- md:question no-such-question -->\n"
    output = build_fails({"index.md": PLACED, "bad.md": page}, QUESTION)
    assert "bad.md:6" in output  # the line in the file, front matter counted
    assert "no-such-question" in output and "pick-one" in output


def test_build_stops_at_a_broken_questions_file_naming_it(build_fails):
    questions = QUESTION.replace("select: one", "select: some")
    output = build_fails({"index.md": PLACED}, questions)
    assert "Invalid question" in output and "questions.yml" in output and "pick-one" in output
    assert "'select' must be 'one' or 'many'" in output


BROKEN_EXERCISE = """\
from dataclasses import replace
from exercises.l2_penalty import EXERCISE as BASE

EXERCISE = replace(BASE, id="broken", order=1,
                   solution=BASE.solution.replace("def l2_penalty", "def l2_penalti"))
"""


def test_build_stops_at_an_exercise_whose_reference_does_not_run(build_fails):
    # Checked before the grader's plans are made under Pyodide, which would fail on it too.
    output = build_fails({"index.md": PLACED}, QUESTION, {"broken.py": BROKEN_EXERCISE})
    assert "Exercises that cannot be graded (python -m grader verify):\n" \
        "FAIL broken (exercises/broken.py): the reference solution does not define " \
        "l2_penalty() (it defines: l2_penalti)\n" in output
    assert "l2-penalty" not in output  # the sound exercises are not mentioned
    assert max(len(line) for line in output.splitlines()) < 200  # no minified JavaScript


def test_the_lock_pyodide_reads_lists_only_the_course_packages(site_dir):
    from grader import all_exercises
    from hooks.packages import closure

    shipped = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text("utf-8"))
    full = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text("utf-8"))
    required = {name for spec in all_exercises().values() for name in spec.requires}
    assert required, "no exercise requires a package: this test would prove nothing"
    assert set(shipped["packages"]) == {entry["name"] for entry in closure(full, required)}
    assert shipped["info"] == full["info"]  # Pyodide checks the lock against itself
    assert shipped["packages"]["numpy"] == full["packages"]["numpy"]


def test_pages_with_an_exercise_hold_the_search_index_back(site_dir):
    exercise = (site_dir / "l2-regularization" / "index.html").read_text("utf-8")
    reading = (site_dir / "index.html").read_text("utf-8")
    head = exercise.split("</head>")[0]
    assert "__l2SearchHeld" in head and "search_index" in head
    assert "__l2SearchHeld" not in reading


def test_pages_with_an_exercise_ask_for_python_from_the_head(site_dir):
    from hooks.early_fetch import PRELOADED

    html = (site_dir / "l2-regularization" / "index.html").read_text("utf-8")
    head = html.split("</head>")[0]
    # web/preload.js is called with the URLs to preload (it makes the <link> tags itself).
    config = json.loads(re.search(r'\}\)\((\{"preload": .*?\})\);</script>', head)[1])
    island = re.search(r'<script id="l2-config" type="application/json">(.*?)</script>', head)[1]
    grader = json.loads(island)["python"]["urls"]["graderURL"].rsplit("?v=", 1)[1]
    wanted = [f"../{path}" for path in PRELOADED] + [f"../assets/grader.zip?v={grader}"]
    assert config["preload"] == wanted
    for url in wanted:
        assert (site_dir / url.removeprefix("../").split("?")[0]).is_file(), url
    # Before the stylesheets, right after the script that starts the worker.
    assert head.index("__l2PythonEarly") < head.index('{"preload"') < head.index('rel="stylesheet"')
    assert '{"preload"' not in (site_dir / "index.html").read_text("utf-8")
