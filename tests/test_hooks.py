"""The build's checks and widgets, run in this process: milliseconds instead of a build.

Fixture pages go through what ``mkdocs build`` does to a page, in its order, with the real
``mkdocs.yml`` (its Markdown extensions) and the hooks of ``hooks/course.py``: on_config,
then per page read_source, on_page_markdown, Page.render and on_page_content, then
on_env. The questions file is parsed by ``hooks.questions`` directly. The end-to-end
builds that prove these errors stop ``mkdocs build``, naming the page and line, are in
tests/test_build.py.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, Tags, page_config
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hooks import course, figures
from hooks.markers import MarkerError, find_markers
from hooks.questions import QuestionError, load_questions

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

Pages = dict[str, str]


def _config(docs: Path):
    """The real mkdocs.yml; its hooks are left out because the tests call them."""
    return load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), hooks=[])


@pytest.fixture
def keep_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    """on_config re-imports the exercise modules (for mkdocs serve); give the specs that
    grader's catalogue cached back to later tests."""
    for name, module in list(sys.modules.items()):
        if name.startswith("exercises.") and hasattr(module, "EXERCISE"):
            monkeypatch.setattr(module, "EXERCISE", module.EXERCISE)


def _started(config, root: Path = ROOT, questions_file: Path | None = None) -> course.CourseHooks:
    """The hooks of a build, as MkDocs starts them: on_startup, then on_config."""
    hooks = course.CourseHooks(root, questions_file)
    hooks.on_startup(command="build", dirty=False)
    hooks.on_config(config)
    return hooks


@pytest.fixture
def build_pages(tmp_path: Path, keep_specs: None) -> Callable[..., Pages]:
    """``build_pages(pages, questions)``: each page's HTML content, as the build makes it.

    ``pages`` maps file names to Markdown, in nav order; ``questions`` is the text of the
    questions file (None: there is none). A failed check raises PluginError.
    """

    def run(pages: Pages, questions: str | None = QUESTIONS) -> Pages:
        questions_file = tmp_path / "exercises" / "questions.yml"
        questions_file.parent.mkdir(exist_ok=True)
        if questions is not None:
            questions_file.write_text(questions, encoding="utf-8")
        docs = tmp_path / "docs"
        docs.mkdir(exist_ok=True)
        for name, text in pages.items():
            (docs / name).write_text(text, encoding="utf-8")
        config = _config(docs)
        hooks = _started(config, questions_file=questions_file)
        files = Files(
            [File(name, str(docs), str(tmp_path / "site"), config.use_directory_urls)
             for name in pages]
        )
        html: Pages = {}
        for file in files:
            page = Page(None, file, config)
            page.read_source(config)
            page.markdown = hooks.on_page_markdown(
                page.markdown, page=page, config=config, files=files
            )
            page.render(config, files)
            html[file.src_uri] = hooks.on_page_content(
                page.content, page=page, config=config, files=files
            )
        hooks.on_env(None, config=config, files=files)
        return html

    return run


@pytest.fixture
def build_error(build_pages: Callable[..., Pages]) -> Callable[..., str]:
    """``build_error(pages, questions)``: the message of the PluginError that stops the build."""

    def run(pages: Pages, questions: str | None = QUESTIONS) -> str:
        with pytest.raises(PluginError) as caught:
            build_pages(pages, questions)
        return str(caught.value)

    return run


# ---------------------------------------------------------------------------------------
# What a good page becomes


def test_exercise_placeholder_carries_valid_json_after_its_prompt(build_pages):
    html = build_pages({"index.md": LESSON, "other.md": OTHER})["index.md"]
    [root] = Tags(html).find("div", data_exercise="l2-penalty")
    assert root["class"] == "l2-exercise"  # its attributes: see test_build.py
    match = re.search(
        r'<template class="l2-exercise-data" data-search-exclude>(.*?)</template>', html, re.S
    )
    assert match, "the exercise data is missing"
    assert "<" not in match[1]
    data = json.loads(match[1])
    assert data["id"] == "l2-penalty" and data["function"] == "l2_penalty"
    # The prompt is Markdown rendered by MkDocs, before the widget; a fallback shows the
    # starter code and <noscript> says why there is no editor.
    prompt_at = html.index("<code>l2_penalty(weights)</code>")
    assert prompt_at < html.index('data-exercise="l2-penalty"')
    assert '<pre class="l2-exercise-fallback"><code>def l2_penalty(weights):' in html
    assert re.search(r"<noscript>.*JavaScript.*</noscript>", html)


def test_question_form_has_inputs_check_and_status(build_pages):
    pages = build_pages({"index.md": LESSON, "other.md": OTHER})
    html = pages["index.md"]
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

    other = Tags(pages["other.md"])
    assert len(other.find("input", type="checkbox", name="l2q-pick-all")) == 3


def test_markers_in_code_stay_literal(build_pages):
    html = build_pages({"index.md": LESSON, "other.md": OTHER})["index.md"]
    for marker in (
        "md:exercise fenced-backticks",
        "md:question fenced-tildes",
        "md:question inline-code",
    ):
        assert f"&lt;!-- {marker} --&gt;" in html


def test_pyodide_url_is_read_from_the_environment_into_each_page(monkeypatch, tmp_path,
                                                                 keep_specs):
    url = "https://mirror.example/pyodide/v314.0.7/full/"
    monkeypatch.setenv("PYODIDE_URL", url)
    config = _config(tmp_path)
    assert config.extra["pyodide_url"] == url
    hooks = _started(config)
    page = SimpleNamespace(url="picking-lambda/")  # what on_post_page reads of a page
    html = hooks.on_post_page("<html><head></head><body></body></html>", page=page, config=config)
    assert page_config(html)["python"]["urls"]["packageBaseUrl"] == url
    # The offline registration is linked relative to the page, as every asset is.
    assert Tags(html).find("script", type="module", src="../assets/course/offline.js")
    # mkdocs serve writes no service worker, so its pages do not ask for one.
    monkeypatch.setattr(hooks.build, "serving", True)
    html = hooks.on_post_page("<html><head></head><body></body></html>", page=page, config=config)
    assert not Tags(html).find("script", type="module", src="../assets/course/offline.js")


def test_every_build_setting_comes_through_mkdocs_yml_from_the_environment(monkeypatch,
                                                                           tmp_path):
    monkeypatch.setenv("SHIP_PACKAGES", "numpy, scipy")
    monkeypatch.setenv("PYODIDE_URL", "https://mirror.example/pyodide/")
    settings = course.Settings.from_config(_config(tmp_path))
    assert settings.ship_packages == ("numpy", "scipy")
    assert settings.pyodide_url == "https://mirror.example/pyodide/"
    monkeypatch.delenv("SHIP_PACKAGES")
    assert course.Settings.from_config(_config(tmp_path)).ship_packages == ()


# ---------------------------------------------------------------------------------------
# Pages that must fail the build, and say where


def test_unknown_exercise_names_page_line_and_id(build_error):
    page = "# Page\n\nText.\n\n<!-- md:exercise no-such-exercise -->\n"
    message = build_error({"index.md": LESSON, "other.md": OTHER, "bad.md": page})
    assert "bad.md:5" in message
    assert "no-such-exercise" in message
    assert "l2-penalty" in message  # the known ids are listed


def test_unknown_question_names_page_and_id(build_error):
    page = "---\ntitle: Bad\n---\n# Bad\n\n<!-- md:question no-such-question -->\n"
    message = build_error({"index.md": LESSON, "other.md": OTHER, "bad.md": page})
    assert "bad.md:6" in message  # the line in the file, front matter counted
    assert "no-such-question" in message
    assert "lowers-complexity" in message and "pick-all" in message


def test_unknown_marker_kind_fails(build_error):
    page = "# Bad\n\n<!-- md:video intro -->\n"
    message = build_error({"index.md": LESSON, "other.md": OTHER, "bad.md": page})
    assert "bad.md:3" in message and "md:video" in message


def test_marker_not_alone_on_its_line_fails(build_error):
    page = "# Bad\n\nSee <!-- md:question pick-all --> here.\n"
    message = build_error({"index.md": LESSON, "bad.md": page})
    assert "bad.md:3" in message and "alone" in message


def test_marker_errors_carry_the_line_in_the_markdown():
    with pytest.raises(MarkerError, match="alone") as caught:
        find_markers("# Bad\n\nSee <!-- md:question pick-all --> here.\n")
    assert caught.value.line == 3
    with pytest.raises(MarkerError, match="has no id") as caught:
        find_markers("# Bad\n\n<!-- md:exercise -->\n")
    assert caught.value.line == 3


def test_markers_in_comments_and_indented_code_are_not_markers():
    page = textwrap.dedent("""\
        # Page

        <!-- md:question shown -->

        <!-- draft, not yet:
        <!-- md:exercise commented-out -->
        -->

        <!-- an aside <!-- md:question inline-comment --> ends here -->

        Write this where the exercise goes:

            <!-- md:exercise indented-code -->

        - A list item, whose indented content is its own:

            <!-- md:question in-a-list -->

        !!! note "Try it"

            <!-- md:question in-an-admonition -->

                <!-- md:exercise code-in-an-admonition -->
        """)
    assert [(m.arg, m.line) for m in find_markers(page)] == [
        ("shown", 3), ("in-a-list", 17), ("in-an-admonition", 21)
    ]


def test_a_commented_out_question_is_not_placed(build_error):
    page = "# Page\n\n<!--\n<!-- md:question pick-all -->\n-->\n"
    message = build_error({"index.md": LESSON, "other.md": page})
    assert "pick-all" in message and "not placed" in message


def test_marker_in_an_indented_code_block_stays_literal(build_pages):
    page = "# Page\n\nLike this:\n\n    <!-- md:exercise weight-share -->\n"
    html = build_pages({"index.md": LESSON, "other.md": OTHER, "code.md": page})["code.md"]
    assert "<code>&lt;!-- md:exercise weight-share --&gt;" in html
    assert "data-exercise" not in html


def test_an_unclosed_fence_names_its_page_and_line(build_error):
    page = "---\ntitle: Fence\n---\n# Fence\n\n```python\nx = 1\n\n<!-- md:question pick-all -->\n"
    message = build_error({"index.md": LESSON, "fence.md": page})
    assert message == (
        "fence.md:6: this code fence (```) is never closed: end the block with a line of ```"
    )


def test_a_marker_that_markdown_turns_into_code_fails(build_error):
    # Raw HTML that markers.py does not read as code, and Markdown leaves alone.
    page = "# Page\n\n<pre>\n<!-- md:question pick-all -->\n</pre>\n"
    message = build_error({"index.md": LESSON, "pre.md": page})
    assert message.startswith("pre.md:4: this marker ends up inside code or an HTML comment")


def test_question_placed_twice_fails(build_error):
    again = "# Again\n\n<!-- md:question pick-all -->\n"
    message = build_error({"index.md": LESSON, "other.md": OTHER, "again.md": again})
    assert "pick-all" in message and "other.md:3" in message and "again.md:3" in message


def test_exercise_placed_twice_fails(build_error):
    again = "# Again\n\n<!-- md:exercise l2-penalty -->\n"
    message = build_error({"index.md": LESSON, "other.md": OTHER, "again.md": again})
    assert "l2-penalty" in message and "index.md" in message and "again.md:3" in message


def test_question_not_placed_anywhere_fails(build_error):
    message = build_error({"index.md": LESSON})
    assert "pick-all" in message and "not placed" in message


def test_missing_node_modules_says_how_to_fix(tmp_path, keep_specs):
    config = _config(tmp_path)
    # A project with no node_modules.
    hooks = _started(config, tmp_path, ROOT / "exercises" / "questions.yml")
    with pytest.raises(PluginError, match=re.escape("./dev setup")):
        hooks.on_files(Files([]), config=config)


# ---------------------------------------------------------------------------------------
# Questions files that must fail the build, naming the question


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


def _questions_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "exercises" / "questions.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionError) as caught:
        load_questions(path)
    return str(caught.value)


@pytest.mark.parametrize("case", list(BAD_QUESTIONS))
def test_malformed_question_fails_naming_it(tmp_path, case):
    questions, detail = BAD_QUESTIONS[case]
    message = _questions_error(tmp_path, questions)
    assert "questions.yml" in message
    assert "broken-question" in message or "question 1" in message
    assert detail in message


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
    message = _questions_error(tmp_path, questions)
    assert "duplicate" in message and "pick-all" in message and "questions.yml" in message


def test_a_broken_questions_file_stops_the_build_at_config(build_error):
    questions, detail = BAD_QUESTIONS["bad select"]
    message = build_error({"index.md": "# Q\n\n<!-- md:question broken-question -->\n"}, questions)
    assert message.startswith("Invalid question:")
    assert "questions.yml" in message and "broken-question" in message and detail in message


# ---------------------------------------------------------------------------------------
# The standard library the site ships (hooks/stdlib.py)


def _project_with_pyodide(tmp_path: Path) -> Path:
    """A root whose node_modules is the real one and whose build/ cache is empty."""
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "sitecustomize.py").write_text("REST = frozenset()\n")
    (tmp_path / "scripts" / "split_stdlib.py").write_text("# the split's rules\n")
    return tmp_path


def test_without_node_the_standard_library_ships_as_pyodide_made_it(monkeypatch, tmp_path, caplog):
    from hooks import node_cache, stdlib

    root = _project_with_pyodide(tmp_path)
    (root / "scripts" / "precompile-stdlib.mjs").write_text("// never run\n")
    monkeypatch.setattr(node_cache.shutil, "which", lambda name: None)
    with caplog.at_level("WARNING", logger="mkdocs.hooks.stdlib"):
        shipped = stdlib.shipped_stdlib(root, b"a grader archive")
    assert shipped.boot == (ROOT / "node_modules" / "pyodide" / "python_stdlib.zip").read_bytes()
    assert shipped.rest is None
    assert [r.getMessage() for r in caplog.records] == [
        "standard library not precompiled (no node): the browser compiles it on each first boot"
    ]
    assert not (root / "build").exists() or not list((root / "build").glob("python-stdlib-*"))


def test_a_failing_precompile_ships_pyodides_zip_and_says_why(tmp_path, caplog):
    from hooks import stdlib

    root = _project_with_pyodide(tmp_path)
    (root / "scripts" / "precompile-stdlib.mjs").write_text(
        "console.error('grader import failed: NameError'); process.exit(1);\n")
    with caplog.at_level("WARNING", logger="mkdocs.hooks.stdlib"):
        shipped = stdlib.shipped_stdlib(root, b"a grader archive")
    assert shipped.boot == (ROOT / "node_modules" / "pyodide" / "python_stdlib.zip").read_bytes()
    assert shipped.rest is None
    [record] = caplog.records
    assert record.getMessage() == ("standard library not precompiled: node "
                                   "precompile-stdlib.mjs failed: grader import failed: NameError")
    assert not list((root / "build").glob("python-stdlib-*"))


def test_a_failing_node_script_is_reported_by_its_python_error_not_its_javascript(
    tmp_path, caplog
):
    from hooks import stdlib

    root = _project_with_pyodide(tmp_path)
    # What Node prints for a Python error out of Pyodide: the line of the uncaught error's
    # source (all of pyodide.asm.mjs, minified), the traceback, then a JavaScript stack.
    (root / "scripts" / "precompile-stdlib.mjs").write_text(
        "console.error('file:///pyodide.asm.mjs:1\\n' + 'var Module=moduleArg;'.repeat(5000));\n"
        "console.error('PythonError: Traceback (most recent call last):\\n"
        "  File \"/home/pyodide/l2/grader/grading.py\", line 116, in _outcomes_of\\n"
        "KeyError: \\'l2_penalty\\'\\n\\n    at new_error (file:///pyodide.asm.mjs:1:568655)\\n"
        "    at Object.runPython (file:///pyodide.asm.mjs:1:682295) {\\n"
        "  type: \\'KeyError\\'\\n}\\n\\nNode.js v20.20.2');\nprocess.exitCode = 1;\n")
    with caplog.at_level("WARNING", logger="mkdocs.hooks.stdlib"):
        stdlib.shipped_stdlib(root, b"a grader archive")
    [record] = caplog.records
    assert record.getMessage() == ("standard library not precompiled: node "
                                   "precompile-stdlib.mjs failed: KeyError: 'l2_penalty'")


PYODIDE_ONLY = """\
from dataclasses import replace
from exercises.l2_penalty import EXERCISE as BASE

EXERCISE = replace(BASE, id="not-in-pyodide", solution=(
    "import sys\\nif sys.platform == 'emscripten':\\n    raise RuntimeError('not here')\\n"
    + BASE.solution))
"""


def test_an_exercise_that_breaks_under_pyodide_only_fails_the_archive(tmp_path):
    from hooks.grader_archive import ExerciseProblems, grader_archive_bytes

    root = _project_with_pyodide(tmp_path)  # its own build/ cache, empty
    shutil.copy(ROOT / "scripts" / "grader-plans.mjs", root / "scripts")
    for package in ("grader", "exercises"):
        shutil.copytree(ROOT / package, root / package,
                        ignore=shutil.ignore_patterns("__pycache__", "_plans.pickle"))
    (root / "exercises" / "not_in_pyodide.py").write_text(PYODIDE_ONLY, encoding="utf-8")
    expected = ("FAIL not-in-pyodide (exercises/not_in_pyodide.py): the reference solution "
                "raises RuntimeError on line 3: not here")
    with pytest.raises(ExerciseProblems) as caught:
        grader_archive_bytes(root)
    assert str(caught.value) == expected
    # What was found is kept with the plans: the same sources fail again without Node.
    (root / "scripts" / "grader-plans.mjs").write_text("process.exit(1);\n")
    with pytest.raises(ExerciseProblems) as caught:
        grader_archive_bytes(root)
    assert str(caught.value) == expected


# ---------------------------------------------------------------------------------------
# Figures: a phone gets a figure's narrow drawing


def test_a_figure_with_a_narrow_drawing_offers_it_to_small_screens():
    html = (
        '<p><img alt="A chart." src="../assets/figures/sweep.svg" /></p>'
        '<p><img alt="Another." src="../assets/figures/alone.svg" /></p>'
        '<p><img alt="A photo." src="../assets/photo.png" /></p>'
    )
    site = {"assets/figures/sweep.svg", "assets/figures/sweep-narrow.svg",
            "assets/figures/alone.svg"}
    out = figures.with_narrow_figures(html, "picking/", site.__contains__)
    tags = Tags(out)
    [source] = tags.find("source")
    assert source == {
        "media": figures.NARROW_MEDIA,
        "srcset": "../assets/figures/sweep-narrow.svg",
        "type": "image/svg+xml",
    }
    # The <img> stays as it was (its alt text, its wide drawing), inside the <picture>.
    assert '<picture><source media="(max-width: 44.9375em)"' in out
    assert '<img alt="A chart." src="../assets/figures/sweep.svg" /></picture>' in out
    # No narrow drawing, or not an SVG: left alone.
    assert out.count("<picture>") == 1
    assert '<p><img alt="Another." src="../assets/figures/alone.svg" /></p>' in out
    assert '<p><img alt="A photo." src="../assets/photo.png" /></p>' in out
    # The home page resolves the same drawing from the site root.
    home = figures.with_narrow_figures(
        '<img alt="A chart." src="assets/figures/sweep.svg">', "", site.__contains__
    )
    assert 'srcset="assets/figures/sweep-narrow.svg"' in home


def test_lean_sources_keep_every_line_and_every_statement_where_it_was():
    import ast

    from hooks.grader_archive import lean

    source = textwrap.dedent('''\
        """A module's docstring,
        over two lines."""  # and a comment
        from __future__ import annotations

        import sys  # why


        class A:
            """Class doc."""

            def f(self, x="# not a comment"):
                """Method doc,
                two lines."""
                "a string statement"
                y = ("kept", """kept too""")
                return x, y, f"{x} # still not a comment"


        CODE = """
        def g():  # inside a string: kept
            return 1
        """
        print(A().f(), CODE, sys.version_info >= (3,))
    ''')
    out = lean(source)
    assert out.count("\n") == source.count("\n")
    assert "docstring" not in out and "why" not in out and "Method doc" not in out
    assert "# not a comment" in out and "# still not a comment" in out
    assert "inside a string: kept" in out and "kept too" in out

    def statements(text: str) -> list[tuple[str, int]]:
        return [(type(node).__name__, node.lineno) for node in ast.walk(ast.parse(text))
                if isinstance(node, ast.stmt)]

    assert statements(out) == statements(source)
    namespace_in, namespace_out = {}, {}
    exec(compile(source, "in", "exec"), namespace_in)
    exec(compile(out, "out", "exec"), namespace_out)
    assert namespace_out["A"]().f() == namespace_in["A"]().f()
    assert namespace_out["CODE"] == namespace_in["CODE"]
    assert namespace_out["A"].__doc__ == ""
