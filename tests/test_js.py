"""The page's pure JavaScript modules, unit-tested with Node's own test runner.

``node --test tests/js/*.test.mjs`` with the grader's page contract (as the bundle gets
it), so ``./dev test`` runs them with everything else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import ROOT

from grader.contract import page_data

TESTS = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))


def test_js_unit_tests_pass(tmp_path):
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is needed for the JS unit tests (run ./dev setup)")
        pytest.skip("node is not installed")
    assert TESTS, "no tests/js/*.test.mjs found"
    contract = tmp_path / "contract.json"
    contract.write_text(json.dumps(page_data()), encoding="utf-8")
    out = subprocess.run(
        [node, "--test", *map(str, TESTS)],
        cwd=ROOT,
        env={**os.environ, "L2_CONTRACT": str(contract)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "# fail 0" in out.stdout and "# pass 0" not in out.stdout


def test_no_function_in_web_is_over_sixty_lines():
    """Files and functions that read in one sitting (issue 18): scripts/js-sizes.mjs
    parses every module of web/ (with acorn, from package.json) and names any longer one."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "acorn").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("node and npm ci are needed for the JS size check (run ./dev setup)")
        pytest.skip("node or node_modules/acorn is missing")
    script = ROOT / "scripts" / "js-sizes.mjs"
    out = subprocess.run(
        [node, str(script), "--max", "60"], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "longest functions in web/:" in out.stdout
    runtime = ROOT / "web" / "exercise-runtime.js"
    assert len(runtime.read_text("utf-8").splitlines()) <= 60, "the runtime's façade grew"
