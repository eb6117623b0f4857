"""Publishing on GitHub Pages: the Actions workflow, and `mkdocs gh-deploy`.

The workflow cannot run here, so its file is checked against the README and ./dev. The
gh-deploy route runs for real, once, with no network: a copy of the working tree becomes a
git repository whose remote is a bare repository in a temporary folder, and the tests read
what `mkdocs gh-deploy` pushed to that remote's gh-pages branch. What only reads the pages
reads the session's built site (tests/conftest.py), which is built under the same sub-path.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import conftest
import pytest
import yaml
from conftest import ROOT, html_pages, urls_in

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
README = ROOT / "README.md"
PUBLISH_HEADING = "## Publish your own copy"

# A project site, as GitHub serves a fork named l2-course: everything under a sub-path.
SUB_PATH = f"/{conftest.SUB_PATH}/"
SITE_URL = f"https://example.github.io{SUB_PATH}"
REPO_URL = "https://github.com/example/l2-course"

# What the pages need at run time, besides the pages themselves.
REQUIRED_FILES = (
    "index.html",
    ".nojekyll",
    "pyodide/pyodide.mjs",
    "pyodide/pyodide.asm.wasm",
    "pyodide/python_stdlib.zip",
    "assets/grader.zip",
)
# GitHub refuses a pushed file over 100 MB and warns over 50 MB.
LARGEST_FILE = 50 * 1024 * 1024
# How far the size the README names may drift from the real one.
SIZE_TOLERANCE = 0.25


# --- the workflow file ------------------------------------------------------------------


def _workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{WORKFLOW} is not a YAML mapping"
    return data


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _runs(workflow: dict[str, Any]) -> list[str]:
    return [line.strip() for s in _steps(workflow) for line in s.get("run", "").splitlines()]


def _readme_commands() -> set[str]:
    """Every command line in the README's shell blocks, without its trailing comment."""
    blocks = re.findall(r"```(?:bash|sh|console)\n(.*?)```", README.read_text("utf-8"), re.S)
    lines = (line.split(" #")[0].strip() for block in blocks for line in block.splitlines())
    return {line for line in lines if line}


def _publish_section() -> str:
    text = README.read_text(encoding="utf-8")
    assert PUBLISH_HEADING in text, f"README.md has no '{PUBLISH_HEADING}' section"
    section = text.split(PUBLISH_HEADING, 1)[1]
    return re.split(r"\n## ", section, maxsplit=1)[0]


def test_workflow_deploys_on_push_to_main_with_the_default_token() -> None:
    workflow = _workflow()
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    assert "secrets." not in WORKFLOW.read_text(encoding="utf-8"), "only the default token"


def test_workflow_uses_the_official_pages_actions_at_pinned_versions() -> None:
    uses = [step["uses"] for step in _steps(_workflow()) if "uses" in step]
    names = {ref.split("@")[0] for ref in uses}
    assert {
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    } <= names
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})", ref), (
            f"{ref}: pin an exact release tag or commit"
        )


def test_workflow_sets_up_tests_and_builds_as_the_readme_says() -> None:
    workflow = _workflow()
    runs = _runs(workflow)
    readme = _readme_commands()
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    # Setup: the same pinned installs as the README's commands (requirements.txt, npm ci).
    assert "./dev setup" in runs
    assert "-r requirements.txt" in dev and "npm ci" in dev
    # Tests: the README's test command, less the tests that drive a browser.
    assert './dev test -m "not browser"' in runs
    assert "./dev test" in readme
    # Build: one command, the README's, which is `mkdocs build --strict`.
    builds = [run for run in runs if run.startswith("./dev build") or "mkdocs build" in run]
    assert len(builds) == 1, builds
    assert builds[0] in readme, f"the workflow builds with {builds[0]!r}; the README does not"
    assert re.search(r'build\) .*mkdocs" build --strict', dev), "./dev build is not strict"
    # What is built is what is uploaded: MkDocs' default site_dir.
    upload = next(s for s in _steps(workflow) if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert "site_dir" not in _mkdocs_config()


def test_workflow_points_site_and_repo_urls_at_the_fork() -> None:
    build = next(s for s in _steps(_workflow()) if s.get("run", "").startswith("./dev build"))
    env = build["env"]
    assert "steps.pages.outputs.base_url" in env["SITE_URL"]
    assert env["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"


# --- mkdocs.yml and the README ---------------------------------------------------------


class _Tagged:
    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


def _mkdocs_config() -> dict[str, Any]:
    """mkdocs.yml as written, with each tag (``!ENV``) kept beside its value."""

    class Loader(yaml.SafeLoader):
        pass

    def tagged(loader: yaml.SafeLoader, tag: str, node: yaml.Node) -> _Tagged:
        # ``tag`` is what follows the prefix: "ENV" for ``!ENV``.
        if isinstance(node, yaml.SequenceNode):
            return _Tagged(tag, loader.construct_sequence(node))
        return _Tagged(tag, loader.construct_scalar(node))  # type: ignore[arg-type]

    Loader.add_multi_constructor("!", tagged)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", tagged)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def test_site_and_repo_urls_are_read_from_one_place() -> None:
    config = _mkdocs_config()
    for key, variable in (("site_url", "SITE_URL"), ("repo_url", "REPO_URL")):
        value = config[key]
        assert isinstance(value, _Tagged) and value.tag == "ENV", f"{key} is not !ENV"
        assert value.value[0] == variable
    assert "CC BY 4.0" in config["copyright"] and "Crash Course" in config["copyright"]


def test_readme_walks_a_newcomer_from_fork_to_live_site() -> None:
    section = _publish_section()
    for needed in ("Fork", "GitHub Actions", "Settings", "PYODIDE_URL", "SITE_URL", "gh-deploy"):
        assert needed in section, f"the publish section does not mention {needed}"
    assert re.search(r"\d+ MB", section), "the publish section does not name the site's size"


# --- mkdocs gh-deploy to a bare repository ---------------------------------------------


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def _isolated_env(home: Path) -> dict[str, str]:
    """No user or system git config (signing, hooks, default branch), a fixed identity."""
    env = dict(os.environ)
    for key in ("SITE_URL", "REPO_URL", "REPO_NAME", "PYODIDE_URL"):
        env.pop(key, None)
    identity = {"NAME": "Course Test", "EMAIL": "course-test@example.invalid"}
    for role in ("AUTHOR", "COMMITTER"):
        for field, value in identity.items():
            env[f"GIT_{role}_{field}"] = value
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        NO_MKDOCS_2_WARNING="1",
    )
    return env


def _copy_working_tree(dest: Path, env: dict[str, str]) -> None:
    """The files git would commit (tracked or new, not ignored), as they are on disk."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to copy the way git sees it")
    flags = ("-z", "--cached", "--others", "--exclude-standard")
    listing = _git("ls-files", *flags, cwd=ROOT, env=env)
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    # Installed by `npm ci`, never committed; the build copies Pyodide and KaTeX out of it.
    (dest / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    # The grader's trusted outcomes and the precompiled standard library, if a build here
    # made them already (named by a hash of what they are made from: a few seconds of
    # Pyodide in Node each saved, nothing else).
    for made in [*(ROOT / "build").glob("grader-plans-*"),
                 *(ROOT / "build").glob("python-stdlib-*.zip")]:
        (dest / "build").mkdir(exist_ok=True)
        shutil.copy2(made, dest / "build" / made.name)


def _breaks_under_sub_path(url: str) -> bool:
    """Root-absolute (``/x`` or ``//host/x``) and not already inside the site's sub-path."""
    return url.startswith("/") and not url.startswith(SUB_PATH)


@pytest.fixture(scope="module")
def gh_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run `mkdocs gh-deploy` into a local bare repository; return what gh-pages holds."""
    tmp = tmp_path_factory.mktemp("gh-deploy")
    env = _isolated_env(tmp)
    remote, work = tmp / "remote.git", tmp / "work"
    work.mkdir()
    _git("init", "-q", "--bare", str(remote), cwd=tmp, env=env)
    _copy_working_tree(work, env)
    _git("init", "-q", "-b", "main", cwd=work, env=env)
    _git("add", "-A", cwd=work, env=env)
    _git("commit", "-q", "--no-verify", "-m", "Fork", cwd=work, env=env)
    _git("remote", "add", "test-remote", str(remote), cwd=work, env=env)

    deploy_env = {**env, "SITE_URL": SITE_URL, "REPO_URL": REPO_URL}
    command = [sys.executable, "-m", "mkdocs", "gh-deploy", "--strict", "--force"]
    command += ["--remote-name", "test-remote", "--message", "Publish {sha}"]
    result = subprocess.run(
        command, cwd=work, env=deploy_env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"mkdocs gh-deploy failed:\n{result.stdout}{result.stderr}"

    listing = _git("ls-tree", "-r", "-l", "gh-pages", cwd=remote, env=env)
    sizes, modes = {}, {}
    for line in listing.splitlines():
        meta, path = line.split("\t", 1)
        mode, _, _, size = meta.split()
        sizes[path], modes[path] = int(size), mode
    return {"remote": remote, "env": env, "sizes": sizes, "modes": modes}


def _show(gh_pages: dict[str, Any], path: str) -> str:
    return _git("show", f"gh-pages:{path}", cwd=gh_pages["remote"], env=gh_pages["env"])


def test_gh_deploy_pushes_the_site_with_pyodide(gh_pages: dict[str, Any]) -> None:
    missing = [name for name in REQUIRED_FILES if name not in gh_pages["sizes"]]
    assert not missing, f"gh-pages lacks {missing}"
    assert not [p for p in gh_pages["sizes"] if p.startswith(("node_modules/", "docs/"))]
    # The Pages artifact refuses links, and the build reads Pyodide through one.
    links = [path for path, mode in gh_pages["modes"].items() if mode != "100644"]
    assert not links, f"not plain files: {links}"


def test_pages_work_under_a_sub_path(site_url: str, site_dir: Path) -> None:
    assert site_url.endswith(SUB_PATH), "the session's site is not built under the sub-path"
    pages = html_pages(site_dir)
    assert len(pages) > 3
    broken: list[str] = []
    for path, html in pages.items():
        broken += [f"{path}: {url}" for _, url in urls_in(html) if _breaks_under_sub_path(url)]
    assert not broken, "root-absolute links break under " + SUB_PATH + ":\n" + "\n".join(broken)


def test_gh_deploy_uses_the_fork_addresses(gh_pages: dict[str, Any]) -> None:
    index = _show(gh_pages, "index.html")
    assert f'<link rel="canonical" href="{SITE_URL}">' in index
    assert f'href="{REPO_URL}"' in index
    # Material's "source" component would ask api.github.com for stars on every page.
    assert 'data-md-component="source"' not in index
    assert "CC BY 4.0" in index  # the source credit in the footer


def test_gh_deploy_fits_github_and_the_readme(gh_pages: dict[str, Any]) -> None:
    sizes: dict[str, int] = gh_pages["sizes"]
    too_big = {path: size for path, size in sizes.items() if size > LARGEST_FILE}
    assert not too_big, f"GitHub rejects or warns about these files: {too_big}"
    total_mb = sum(sizes.values()) / 1e6
    named = re.search(r"(\d+) MB", _publish_section())
    assert named, "the README does not name the published site's size"
    readme_mb = int(named.group(1))
    assert abs(readme_mb - total_mb) <= SIZE_TOLERANCE * total_mb, (
        f"the README says {readme_mb} MB; the published site is {total_mb:.1f} MB"
    )
