"""Shipping Pyodide packages with the site (hooks/packages.py), offline: a local server
stands in for Pyodide's CDN, and a test lock entry pins what it must serve."""

from __future__ import annotations

import functools
import hashlib
import http.server
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hooks import packages

GOOD = b"PK\x03\x04 a stand-in wheel"


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[str]:
    """A local 'CDN' serving good.whl and tampered.whl."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "good-1.0-py3-none-any.whl").write_bytes(GOOD)
    (served / "tampered-1.0-py3-none-any.whl").write_bytes(GOOD + b" with a change")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def entry(name: str, sha: str, depends: list[str] | None = None) -> dict:
    return {"name": name, "file_name": f"{name}-1.0-py3-none-any.whl", "sha256": sha,
            "depends": depends or []}


SHA = hashlib.sha256(GOOD).hexdigest()
LOCK = {"packages": {
    "good": entry("good", SHA, ["dep"]),
    "dep": entry("dep", "0" * 64),
    "tampered": entry("tampered", SHA),  # the lock pins GOOD; the mirror serves other bytes
}}


def test_a_wheel_whose_checksum_matches_the_lock_is_kept(mirror, tmp_path):
    wheel = packages.fetch(LOCK["packages"]["good"], mirror, tmp_path / "out")
    assert wheel.read_bytes() == GOOD
    assert wheel.name == "good-1.0-py3-none-any.whl"


def test_a_wheel_whose_checksum_differs_is_refused_and_not_kept(mirror, tmp_path):
    with pytest.raises(packages.PackageError, match="refused"):
        packages.fetch(LOCK["packages"]["tampered"], mirror, tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.whl"))


def test_dependencies_come_along_each_once():
    names = [e["name"] for e in packages.closure(LOCK, ["good", "dep", "good"])]
    assert names == ["dep", "good"]
    with pytest.raises(packages.PackageError, match="no package named 'nope'"):
        packages.closure(LOCK, ["nope"])


def test_numpy_is_pinned_in_the_real_lock_file():
    import json

    root = Path(__file__).resolve().parent.parent
    lock = json.loads((root / "node_modules/pyodide/pyodide-lock.json").read_text("utf-8"))
    entries = packages.closure(lock, ["numpy"])
    numpy = next(e for e in entries if e["name"] == "numpy")
    assert numpy["file_name"].startswith("numpy-") and len(numpy["sha256"]) == 64


def test_without_network_the_build_says_so_in_one_line_and_ships_nothing(tmp_path, caplog):
    root = Path(__file__).resolve().parent.parent
    log = logging.getLogger("test.ship")
    with caplog.at_level(logging.INFO, logger="test.ship"):
        files = packages.shipped_files(root, ["numpy"], base_url="http://127.0.0.1:9/", log=log)
    assert files == []
    [record] = caplog.records
    assert "Not shipping numpy" in record.getMessage() and "\n" not in record.getMessage()
