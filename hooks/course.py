"""MkDocs hooks of the course site: widget markers, and the files the pages need.

Each hook is a few lines that call into the sibling modules:

- ``markers``: finds ``<!-- md:exercise ID -->`` / ``<!-- md:question ID -->`` outside code;
- ``widgets``: renders one exercise or question;
- ``questions``: loads and validates the question file (the specs come from
  ``grader.catalogue``, re-read on every build so that ``mkdocs serve`` sees edits);
- ``assets``: Pyodide, KaTeX, the grader archive and the front-end bundle;
- ``packages``: Pyodide packages (numpy) shipped beside the core when asked to;
- ``offline``: the service worker (``sw.js``) that keeps the course for offline use;
- ``progress``: the course map (which widgets are on which page) for web/progress.js;
- ``figures``: a figure's narrow drawing offered to phones in a ``<picture>``.

- ``exercise_check``: every exercise's own code graded, as ``python -m grader verify``
  does, in CPython (and under Pyodide, by ``grader_archive``, while it computes the plans).

The build renders, and grades only the exercises' own code: an author's mistake in an
exercise fails the build (strict or not), naming the exercise, its file and the problem.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sys
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import markdown as markdown_lib
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

# MkDocs loads this file by path; the repository root makes ``hooks``, ``grader`` and
# ``exercises`` importable as packages (not symlink-resolved, so a copied tree is its own).
ROOT = Path(os.path.abspath(__file__)).parent.parent


def _importable_root() -> None:
    # MkDocs restores sys.path after loading a hook file, so this runs again in on_config:
    # the catalogue imports ``exercises`` there, and the grader imports it lazily later.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


_importable_root()

from grader import catalogue  # noqa: E402
from hooks import (  # noqa: E402
    assets,
    exercise_check,
    figures,
    markers,
    offline,
    packages,
    progress,
    stdlib,
    teach,
    widgets,
)
from hooks.grader_archive import ExerciseProblems, grader_archive_bytes  # noqa: E402
from hooks.questions import Question, QuestionError, load_questions  # noqa: E402

log = logging.getLogger("mkdocs.hooks.course")
QUESTIONS_FILE = ROOT / "exercises" / "questions.yml"


@dataclass
class _Build:
    """What one build knows: the specs, and where each widget has been placed."""

    exercises: dict[str, Any]
    questions: dict[str, Question]
    to_html: Any
    placed: dict[tuple[str, str], str] = field(default_factory=dict)
    slots: dict[str, str] = field(default_factory=dict)  # token -> widget HTML, this page
    where: dict[str, str] = field(default_factory=dict)  # token -> its marker's page:line
    nonce: str = field(default_factory=lambda: secrets.token_hex(4))
    nav: Navigation | None = None
    grader_version: str = "dev"  # content hash of the grader archive (set by on_files)
    stdlib_version: str = "dev"  # content hash of the shipped python_stdlib.zip (on_files)
    build_id: str = "dev"  # hash of the scripts, grader and standard library (on_files)
    shipped: bool = False  # Pyodide packages (numpy) published under pyodide/


_build: _Build | None = None
_dirty = False
_serving = False  # `mkdocs serve`: no service worker, so every edit shows at once


def on_startup(command: str, dirty: bool) -> None:
    global _dirty, _serving
    _dirty = dirty
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _importable_root()
    try:
        exercises = catalogue.reload()
        questions = load_questions(QUESTIONS_FILE)
    except QuestionError as error:
        raise PluginError(f"Invalid question: {error}") from None
    except catalogue.CatalogueError as error:
        raise PluginError(f"Cannot load the exercises: {error}") from None
    renderer = markdown_lib.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )
    _build = _Build(exercises, questions, lambda text: renderer.reset().convert(text))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    try:
        scripts = [*assets.course_files(ROOT), *assets.bundle_files(ROOT)]
        pairs = [*assets.pyodide_files(ROOT), *assets.katex_files(ROOT), *scripts]
        # SHIP_PACKAGES=numpy (the Pages workflow): numpy's wheel beside the core.
        wanted = [n for n in os.environ.get("SHIP_PACKAGES", "").split(",") if n.strip()]
        shipped = packages.shipped_files(ROOT, wanted, log=log) if wanted else []
    except (assets.AssetError, packages.PackageError) as error:
        raise PluginError(str(error)) from None
    assert _build is not None
    _build.shipped = bool(shipped)
    pairs += shipped
    for src_uri, path in dict(pairs).items():  # a bundled file replaces a same-named source
        _add(files, File.generated(config, src_uri, abs_src_path=str(path)))
    problems = exercise_check.cpython_problems(ROOT)
    if problems:
        raise PluginError(_exercise_problems("python -m grader verify", problems))
    try:
        archive = grader_archive_bytes(ROOT)
    except ExerciseProblems as error:
        lines = str(error).splitlines()
        raise PluginError(_exercise_problems("under the site's Pyodide", lines)) from None
    _build.grader_version = assets.grader_version(archive)
    _add(files, File.generated(config, "assets/grader.zip", content=archive))
    # Pyodide's standard library: what a first verdict imports, precompiled; the rest on use.
    library = stdlib.shipped_stdlib(ROOT, archive)
    _build.stdlib_version = stdlib.stdlib_version(library.boot)
    _add(files, File.generated(config, "pyodide/python_stdlib.zip", content=library.boot))
    if library.rest is not None:
        _add(files, File.generated(config, f"pyodide/{stdlib.REST_NAME}", content=library.rest))
    pyodide = assets.pyodide_version(ROOT).encode()
    code = [path.read_bytes() for _, path in sorted(scripts)]
    _build.build_id = assets.build_id([pyodide, *code, archive, library.boot])
    return files


def _exercise_problems(where: str, lines: list[str]) -> str:
    return "\n".join([f"Exercises that cannot be graded ({where}):", *lines])


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    where = page.file.src_uri
    offset = _front_matter_lines(page, markdown)
    _build.slots = {}
    _build.where = {}
    try:
        return markers.replace_markers(
            markdown, lambda marker: _render(marker, f"{where}:{marker.line + offset}")
        )
    except markers.MarkerError as error:
        raise PluginError(f"{where}:{error.line + offset}: {error}") from None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    for token, widget in _build.slots.items():
        # Spans of this HTML, not the original's: each widget put in shifts what follows.
        hidden = [m.span() for m in _HIDDEN.finditer(html)]
        at = html.find(token)
        if any(start <= at < end for start, end in hidden):
            # A context hooks/markers.py did not see as code or a comment, which Markdown did.
            raise PluginError(
                f"{_build.where[token]}: this marker ends up inside code or an HTML comment "
                "on the page, where its widget cannot work; move it out"
            )
        wrapped = f"<p>{token}</p>"
        if wrapped in html:
            html = html.replace(wrapped, widget, 1)
        elif token in html:
            html = html.replace(token, widget, 1)
        else:
            raise PluginError(f"{page.file.src_uri}: a widget marker was lost in rendering")
    return figures.with_narrow_figures(
        html, page.url, lambda path: files.get_file_from_path(path) is not None
    )


# Where rendered HTML shows text as code, or hides it.
_HIDDEN = re.compile(r"<pre[\s>].*?</pre>|<code[\s>].*?</code>|<!--.*?-->", re.DOTALL)


def _render(marker: markers.Marker, where: str) -> str:
    """Markdown that stands for the marker: the exercise's prompt, and a slot token.

    The widget's HTML goes in after Markdown has run (``on_page_content``), so that it
    is never re-parsed as Markdown, and works inside admonitions, tabs and lists too.
    """
    assert _build is not None
    if marker.kind == "gradebook":  # the teacher's page: the whole course, placed nowhere
        token = f"l2course{_build.nonce}slot{len(_build.slots)}"
        _build.where[token] = where
        _build.slots[token] = teach.gradebook_html(_build.exercises, _build.questions)
        return f"\n{token}\n"
    if marker.kind == "exercise":
        known: dict[str, Any] = _build.exercises
    elif marker.kind == "question":
        known = _build.questions
    else:
        raise PluginError(
            f"{where}: unknown marker kind 'md:{marker.kind}'; use md:exercise or md:question"
        )
    if marker.arg not in known:
        raise PluginError(
            f"{where}: unknown {marker.kind} id '{marker.arg}'. "
            f"Known {marker.kind} ids: {', '.join(known) or '(none)'}"
        )
    key = (marker.kind, marker.arg)
    if key in _build.placed:
        raise PluginError(
            f"{where}: {marker.kind} '{marker.arg}' is already placed at {_build.placed[key]}; "
            "each one may appear only once in the site"
        )
    _build.placed[key] = where
    token = f"l2course{_build.nonce}slot{len(_build.slots)}"
    _build.where[token] = where
    if marker.kind == "exercise":
        spec = known[marker.arg]
        _build.slots[token] = widgets.exercise_html(spec, _build.to_html)
        return f"{spec.prompt.strip()}\n\n{token}\n"
    _build.slots[token] = widgets.question_html(known[marker.arg], _build.to_html)
    return f"\n{token}\n"


def _front_matter_lines(page: Page, markdown: str) -> int:
    """Lines of YAML front matter that MkDocs stripped, so errors cite the file's lines."""
    source = page.file.content_string if page.file.abs_src_path else ""
    if source and source.endswith(markdown) and markdown:
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    assert _build is not None
    if _dirty:  # a dirty rebuild skips unchanged pages, so placements are incomplete
        return env
    missing = [qid for qid in _build.questions if ("question", qid) not in _build.placed]
    if missing:
        raise PluginError(
            f"{QUESTIONS_FILE.name}: question(s) not placed on any page: {', '.join(missing)}. "
            "Add <!-- md:question ID --> where each belongs, or delete it."
        )
    unplaced = [eid for eid in _build.exercises if ("exercise", eid) not in _build.placed]
    if unplaced:
        log.warning("Exercise(s) not placed on any page: %s", ", ".join(unplaced))
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    top = [_config_island(page_config(page, config)), _FRAGMENT_KEEPER]
    head = []
    if not _serving:  # `mkdocs serve` writes no sw.js: asking for it would only log 404s
        offline_js = get_relative_url("assets/course/offline.js", page.url)
        head.append(f'<script type="module" async src="{escape(offline_js)}"></script>')
    if 'data-exercise="' in output:
        # Python starts booting while the page is still being parsed (not after it).
        boot = get_relative_url("assets/course/python-boot.js", page.url)
        head.append(f'<script type="module" async src="{escape(boot)}"></script>')
        top.append(_early_python())
    output = _top_of_head(output, top).replace("</head>", "\n".join(head) + "\n</head>", 1)
    return teach.with_policy(output)  # last: it hashes the inline scripts put in above


# Cache Storage's name for the Python snapshot (web/python/pool.js keeps one there).
SNAPSHOT_CACHE = "l2-course-python-snapshot"


def page_config(page: Page, config: MkDocsConfig) -> dict[str, Any]:
    """Everything the page's JavaScript needs, made here once (web/page-config.js).

    URLs are relative to the page, so the site works under any sub-path; the page resolves
    them against its own address. The grader archive's URL names its version (the HTTP
    cache may keep it as long as it likes), and the snapshot's key names the Pyodide,
    grader and standard library it was made with (it holds zipimport's index of the zip).
    """
    grader = _build.grader_version if _build else "dev"
    stdlib = _build.stdlib_version if _build else "dev"
    pyodide = assets.pyodide_version(ROOT)
    root = get_relative_url(".", page.url).rstrip("/") + "/"
    packages_url = str(config.extra.get("pyodide_url") or "")
    if packages_url:
        packages_url = packages_url.rstrip("/") + "/"
    elif _build is not None and _build.shipped:
        packages_url = root + "pyodide/"  # the packages are on the site itself
    else:
        packages_url = packages.cdn_url(pyodide)
    return {
        "build": _build.build_id if _build else "dev",
        "python": {
            "cacheName": SNAPSHOT_CACHE,
            "urls": {
                # The core always comes from the site itself; the lock file beside it
                # matches, so any mirror of the version's packages works as PYODIDE_URL.
                "indexURL": root + "pyodide/",
                "packageBaseUrl": packages_url,
                "graderURL": f"{root}assets/grader.zip?v={grader}",
                "workerURL": f"{root}assets/course/worker.js",
                "cacheKey": f"{root}assets/python-snapshot-{pyodide}-{grader}-{stdlib}.bin",
            },
        },
    }


def _config_island(config: dict[str, Any]) -> str:
    """The page's config as one JSON island in its <head>, like Material's __config."""
    text = json.dumps(config, sort_keys=True).replace("</", "<\\/")
    return f'<script id="l2-config" type="application/json">{text}</script>'


# The address's fragment as the page opened, kept before Material's scroll tracking can
# rewrite it: a code link (#code=..., web/code-link.js) is read from this copy.
_FRAGMENT_KEEPER = (
    "<script>window.__l2Fragment={path:location.pathname,hash:location.hash}</script>"
)


def _early_python() -> str:
    """web/python-early.js, inline: it starts the Python worker before the page's
    stylesheets and module scripts have loaded (the runtime adopts it)."""
    lines = (ROOT / "web" / "python-early.js").read_text("utf-8").splitlines()
    source = "\n".join(x for x in lines if not x.lstrip().startswith("//")).strip()
    return f"<script>{source}</script>"


def _top_of_head(output: str, tags: list[str]) -> str:
    """``tags`` first in the <head>, right after its charset: the config island, then the
    early script that reads it."""
    charset = output.find("<meta charset")
    at = output.index(">", charset) + 1 if charset >= 0 else output.index("<head>") + len("<head>")
    return output[:at] + "\n" + "\n".join(tags) + output[at:]


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    assert _build is not None
    _build.nav = nav
    return nav


def on_post_build(config: MkDocsConfig) -> None:
    # Written after every page has placed its widgets, like the search plugin's index.
    assert _build is not None
    if _dirty or _build.nav is None:  # a dirty rebuild knows only the pages it rebuilt
        return
    pages = [(page.file.src_uri, page.url, page.title or "") for page in _build.nav.pages]
    data = progress.course_map(
        pages, _build.placed, _build.exercises, _build.questions, Path(config.docs_dir)
    )
    path = Path(config.site_dir) / progress.PROGRESS_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    # Last: the service worker lists every file of the site, progress.json included.
    if not _serving:
        offline.write_service_worker(Path(config.site_dir), ROOT / "web" / "service-worker.js")


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    for folder in ("web", "exercises", "grader"):
        if (ROOT / folder).is_dir():
            server.watch(str(ROOT / folder))
    return server
