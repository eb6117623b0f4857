"""MkDocs hooks of the course site: widget markers, and the files the pages need.

``CourseHooks`` answers MkDocs' events (``mkdocs_hooks.py`` at the repository root hands
them over); ``Build`` holds what one build knows, made afresh by ``on_config``. Each step
calls into the sibling modules:

- ``markers``: finds ``<!-- md:exercise ID -->`` / ``<!-- md:question ID -->`` outside code;
- ``widgets``: renders one exercise or question;
- ``questions``: loads and validates the question file (the specs come from
  ``grader.catalogue``, re-read on every build so that ``mkdocs serve`` sees edits);
- ``assets``: Pyodide, KaTeX, the grader archive and the front-end bundle;
- ``packages``: Pyodide packages (numpy) shipped beside the core when asked to;
- ``offline``: the service worker (``sw.js``) that keeps the course for offline use;
- ``progress``: the course map (which widgets are on which page) for web/progress.js;
- ``figures``: a figure's narrow drawing offered to phones in a ``<picture>``;
- ``head``: what each page's ``<head>`` gets: its config island and the early scripts;
- ``early_fetch``: the lock of the course's packages, and what exercise pages fetch first.

- ``exercise_check``: every exercise's own code graded, as ``python -m grader verify``
  does, in CPython (and under Pyodide, by ``grader_archive``, while it computes the plans).

The build renders, and grades only the exercises' own code: an author's mistake in an
exercise fails the build (strict or not), naming the exercise, its file and the problem.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown as markdown_lib
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from grader import catalogue, contract
from hooks import (
    assets,
    early_fetch,
    exercise_check,
    figures,
    head,
    markers,
    offline,
    packages,
    progress,
    stdlib,
    teach,
    widgets,
)
from hooks.grader_archive import ExerciseProblems, grader_archive_bytes
from hooks.questions import Question, QuestionError, load_questions

__all__ = ["Build", "CourseHooks", "Settings"]

log = logging.getLogger("mkdocs.hooks.course")

@dataclass(frozen=True)
class Settings:
    """Every setting of the build, read here from mkdocs.yml's ``extra`` (which reads the
    environment with ``!ENV``), so that a setting has one way in."""

    pyodide_url: str = ""  # PYODIDE_URL: where the packages the core lacks come from
    ship_packages: tuple[str, ...] = ()  # SHIP_PACKAGES=numpy: their wheels on the site

    @classmethod
    def from_config(cls, config: MkDocsConfig) -> Settings:
        extra = config.extra
        names = str(extra.get("ship_packages") or "").split(",")
        return cls(
            pyodide_url=str(extra.get("pyodide_url") or ""),
            ship_packages=tuple(name.strip() for name in names if name.strip()),
        )


class CourseHooks:
    """MkDocs' events, as methods: the command from ``on_startup`` lasts for the process
    (``mkdocs serve`` builds many times), the rest belongs to the ``Build`` of ``on_config``.
    """

    def __init__(self, root: Path, questions_file: Path | None = None):
        self.root = root
        self.questions_file = questions_file or root / "exercises" / "questions.yml"
        self.dirty = False
        self.serving = False  # `mkdocs serve`: no service worker, so every edit shows at once
        self._build: Build | None = None

    @property
    def build(self) -> Build:
        if self._build is None:
            raise PluginError("the course's hooks ran before on_config made the build")
        return self._build

    def on_startup(self, command: str, dirty: bool) -> None:
        self.dirty = dirty
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            # The one setting of the course's language (mkdocs.yml extra.course_language): the
            # build's labels, the page's strings and the page's Python all speak it.
            contract.use_language(str(config.extra.get("course_language") or "en"))
        except ValueError as error:
            raise PluginError(f"mkdocs.yml extra.course_language: {error}") from None
        self._build = Build.start(config, self.root, self.questions_file,
                                  serving=self.serving, dirty=self.dirty)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        return self.build.add_files(files, config)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.build.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        return self.build.page_markdown(markdown, page)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.build.page_content(html, page, files)

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        if env is not None:  # the hook tests check placements with no template environment
            env.globals["course_message"] = contract.message  # the strings of overrides/
        self.build.check_placed()
        return env

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return self.build.post_page(output, page)

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.build.write_site_files(Path(config.site_dir), Path(config.docs_dir))

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in ("web", "exercises", "grader"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


@dataclass
class Build:
    """What one build knows: its settings, the specs, and where each widget is placed."""

    root: Path
    questions_file: Path
    settings: Settings
    exercises: dict[str, Any]
    questions: dict[str, Question]
    to_html: Any
    serving: bool = False
    dirty: bool = False  # a dirty rebuild skips unchanged pages, so placements are partial
    placed: dict[tuple[str, str], str] = field(default_factory=dict)
    slots: dict[str, str] = field(default_factory=dict)  # token -> widget HTML, this page
    where: dict[str, str] = field(default_factory=dict)  # token -> its marker's page:line
    nonce: str = field(default_factory=lambda: secrets.token_hex(4))
    nav: Navigation | None = None
    grader_version: str = "dev"  # content hash of the grader archive (set by add_files)
    stdlib_version: str = "dev"  # content hash of the shipped python_stdlib.zip (add_files)
    build_id: str = "dev"  # hash of the scripts, grader and standard library (add_files)
    shipped: bool = False  # Pyodide packages (numpy) published under pyodide/

    @classmethod
    def start(cls, config: MkDocsConfig, root: Path, questions_file: Path, *,
              serving: bool, dirty: bool) -> Build:
        try:
            exercises = catalogue.reload()
            questions = load_questions(questions_file)
        except QuestionError as error:
            raise PluginError(f"Invalid question: {error}") from None
        except catalogue.CatalogueError as error:
            raise PluginError(f"Cannot load the exercises: {error}") from None
        renderer = markdown_lib.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs
        )
        return cls(root, questions_file, Settings.from_config(config), exercises, questions,
                   lambda text: renderer.reset().convert(text), serving=serving, dirty=dirty)

    # -- on_files ---------------------------------------------------------------------------

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = self.root
        try:
            scripts = [*assets.course_files(root), *assets.bundle_files(root)]
            pairs = [*assets.pyodide_files(root), *assets.katex_files(root), *scripts]
            wanted = list(self.settings.ship_packages)
            shipped = packages.shipped_files(root, wanted, log=log) if wanted else []
        except (assets.AssetError, packages.PackageError) as error:
            raise PluginError(str(error)) from None
        self.shipped = bool(shipped)
        pairs += shipped
        for src_uri, path in dict(pairs).items():  # a bundled file replaces a same-named source
            _add(files, File.generated(config, src_uri, abs_src_path=str(path)))
        problems = exercise_check.cpython_problems(root)
        if problems:
            raise PluginError(_exercise_problems("python -m grader verify", problems))
        try:
            archive = grader_archive_bytes(root, contract.LANGUAGE)
        except ExerciseProblems as error:
            lines = str(error).splitlines()
            raise PluginError(_exercise_problems("under the site's Pyodide", lines)) from None
        self.grader_version = assets.grader_version(archive)
        _add(files, File.generated(config, "assets/grader.zip", content=archive))
        # Pyodide's standard library: what a first verdict imports, precompiled; the rest on use.
        library = stdlib.shipped_stdlib(root, archive)
        self.stdlib_version = stdlib.stdlib_version(library.boot)
        _add(files, File.generated(config, "pyodide/python_stdlib.zip", content=library.boot))
        if library.rest is not None:
            _add(files, File.generated(config, f"pyodide/{stdlib.REST_NAME}",
                                       content=library.rest))
        pyodide = assets.pyodide_version(root).encode()
        code = [path.read_bytes() for _, path in sorted(scripts)]
        self.build_id = assets.build_id([pyodide, *code, archive, library.boot])
        # Only the packages the exercises use are in the lock the site publishes.
        lock = early_fetch.course_lock(root)
        _add(files, File.generated(config, early_fetch.LOCK_PATH, content=lock))
        return files

    # -- on_page_markdown, on_page_content ----------------------------------------------------

    def page_markdown(self, markdown: str, page: Page) -> str:
        where = page.file.src_uri
        offset = _front_matter_lines(page, markdown)
        self.slots = {}
        self.where = {}
        try:
            return markers.replace_markers(
                markdown, lambda marker: self._render(marker, f"{where}:{marker.line + offset}")
            )
        except markers.MarkerError as error:
            raise PluginError(f"{where}:{error.line + offset}: {error}") from None

    def _render(self, marker: markers.Marker, where: str) -> str:
        """Markdown that stands for the marker: the exercise's prompt, and a slot token.

        The widget's HTML goes in after Markdown has run (``page_content``), so that it
        is never re-parsed as Markdown, and works inside admonitions, tabs and lists too.
        """
        if marker.kind == "gradebook":  # the teacher's page: the whole course, placed nowhere
            token = f"l2course{self.nonce}slot{len(self.slots)}"
            self.where[token] = where
            self.slots[token] = teach.gradebook_html(self.exercises, self.questions)
            return f"\n{token}\n"
        if marker.kind == "exercise":
            known: dict[str, Any] = self.exercises
        elif marker.kind == "question":
            known = self.questions
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
        if key in self.placed:
            raise PluginError(
                f"{where}: {marker.kind} '{marker.arg}' is already placed at {self.placed[key]}; "
                "each one may appear only once in the site"
            )
        self.placed[key] = where
        token = f"l2course{self.nonce}slot{len(self.slots)}"
        self.where[token] = where
        if marker.kind == "exercise":
            spec = known[marker.arg]
            self.slots[token] = widgets.exercise_html(spec, self.to_html)
            return f"{spec.prompt.strip()}\n\n{token}\n"
        self.slots[token] = widgets.question_html(known[marker.arg], self.to_html)
        return f"\n{token}\n"

    def page_content(self, html: str, page: Page, files: Files) -> str:
        for token, widget in self.slots.items():
            # Spans of this HTML, not the original's: each widget put in shifts what follows.
            hidden = [m.span() for m in _HIDDEN.finditer(html)]
            at = html.find(token)
            if any(start <= at < end for start, end in hidden):
                # A context hooks/markers.py did not see as code or a comment, which Markdown did.
                raise PluginError(
                    f"{self.where[token]}: this marker ends up inside code or an HTML comment "
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

    # -- on_env -----------------------------------------------------------------------------

    def check_placed(self) -> None:
        """Every question is on a page (an error), and every exercise (a warning)."""
        if self.dirty:
            return
        missing = [qid for qid in self.questions if ("question", qid) not in self.placed]
        if missing:
            raise PluginError(
                f"{self.questions_file.name}: question(s) not placed on any page: "
                f"{', '.join(missing)}. Add <!-- md:question ID --> where each belongs, "
                "or delete it."
            )
        unplaced = [eid for eid in self.exercises if ("exercise", eid) not in self.placed]
        if unplaced:
            log.warning("Exercise(s) not placed on any page: %s", ", ".join(unplaced))

    # -- on_post_page -----------------------------------------------------------------------

    def post_page(self, output: str, page: Page) -> str:
        config = head.page_config(
            page.url, self.root, pyodide_url=self.settings.pyodide_url, shipped=self.shipped,
            build_id=self.build_id, grader=self.grader_version, library=self.stdlib_version,
        )
        output = head.with_head(output, page.url, config, self.root, serving=self.serving)
        # The early fetches read the grader version this head now names.
        output = early_fetch.with_early_fetches(output, page.url)
        return teach.with_policy(output)  # last: it hashes the inline scripts put in above

    # -- on_post_build ----------------------------------------------------------------------

    def write_site_files(self, site_dir: Path, docs_dir: Path) -> None:
        """The course map, then the service worker; after every page has placed its widgets,
        like the search plugin's index."""
        if self.dirty or self.nav is None:  # a dirty rebuild knows only the pages it rebuilt
            return
        pages = [(page.file.src_uri, page.url, page.title or "") for page in self.nav.pages]
        data = progress.course_map(pages, self.placed, self.exercises, self.questions, docs_dir)
        path = site_dir / progress.PROGRESS_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        # Last: the service worker lists every file of the site, progress.json included.
        if not self.serving:
            offline.write_service_worker(site_dir, self.root / "web" / "service-worker.js")


def _exercise_problems(where: str, lines: list[str]) -> str:
    return "\n".join([f"Exercises that cannot be graded ({where}):", *lines])


def _add(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)


# Where rendered HTML shows text as code, or hides it.
_HIDDEN = re.compile(r"<pre[\s>].*?</pre>|<code[\s>].*?</code>|<!--.*?-->", re.DOTALL)


def _front_matter_lines(page: Page, markdown: str) -> int:
    """Lines of YAML front matter that MkDocs stripped, so errors cite the file's lines."""
    source = page.file.content_string if page.file.abs_src_path else ""
    if source and source.endswith(markdown) and markdown:
        return source[: len(source) - len(markdown)].count("\n")
    return 0
