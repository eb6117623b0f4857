"""The pins agree: pyproject's test extra, requirements.txt, and the Pyodide npm package."""

from __future__ import annotations

import json
import tomllib

from conftest import ROOT


def test_pyproject_test_pins_match_requirements():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["test"]
    locked = {
        line.split("==")[0].lower().replace("_", "-"): line.split("==")[1]
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for pin in extra:
        name, version = pin.split("==")
        assert locked.get(name.lower()) == version, f"{pin} vs requirements.txt"


def test_pyodide_is_pinned_with_integrity():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert package["devDependencies"]["pyodide"] == "314.0.7"
    entry = lock["packages"]["node_modules/pyodide"]
    assert entry["version"] == "314.0.7"
    assert entry["integrity"].startswith("sha512-")


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```bash\n", 1)[1].split("```", 1)[0]
    assert "./dev serve" in first_block and "./dev test" in first_block
    assert "exec ./dev test" in (ROOT / ".ci" / "run").read_text()
