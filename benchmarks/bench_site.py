"""Print how fast the site is: build time, our own JS/CSS bytes per page, and how long a
learner waits for a graded result (cold and warm cache, and once the worker is ready).

Figures only, no assertions. Needs ./dev setup and Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
EXERCISE_PAGE = "l2-regularization/"
OUR_ASSETS = "/assets/course/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, *args):
        pass


def build(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(out)],
        cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - start


def serve(directory: Path) -> str:
    handler = functools.partial(_Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/l2-course/"


def first_verdict(page, url: str) -> float:
    """Seconds from navigation to the first graded result of the page's first exercise."""
    start = time.perf_counter()
    page.goto(url)
    exercise = page.locator("[data-exercise]").first
    exercise.get_by_role("button", name="Submit", exact=True).click()
    exercise.locator("[role=status][data-verdict]").first.wait_for(timeout=120_000)
    return time.perf_counter() - start


def round_trip(page) -> float:
    """Seconds from Submit to the next result, with the worker already running."""
    exercise = page.locator("[data-exercise]").first
    status = exercise.locator("[role=status]").first
    status.evaluate("el => { el.removeAttribute('data-verdict'); }")
    start = time.perf_counter()
    exercise.get_by_role("button", name="Submit", exact=True).click()
    exercise.locator("[role=status][data-verdict]").first.wait_for(timeout=60_000)
    return time.perf_counter() - start


def own_bytes(browser, url: str) -> int:
    """Bytes of our own JS/CSS (assets/course/) that a page actually downloads."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []

    def on_response(response):
        if OUR_ASSETS in response.url:
            try:
                sizes.append(len(response.body()))
            except Exception:  # noqa: BLE001 - a redirect has no body
                pass

    page.on("response", on_response)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(sizes)


def line(label: str, value: str) -> None:
    print(f"{label:<58} {value}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "l2-course"
        line("mkdocs build (whole site, incl. assets)", f"{build(site):.2f} s")
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        line("published site size", f"{size / 1e6:.1f} MB")
        url = serve(Path(tmp))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for name in ("", EXERCISE_PAGE):
                line(f"own JS/CSS downloaded by /{name or 'index'}",
                     f"{own_bytes(browser, url + name) / 1024:.1f} KiB")
            cold, warm, trips = [], [], []
            for _ in range(3):
                context = browser.new_context()
                page = context.new_page()
                cold.append(first_verdict(page, url + EXERCISE_PAGE))
                trips += [round_trip(page) for _ in range(5)]
                warm.append(first_verdict(page, url + EXERCISE_PAGE))
                context.close()
            line("navigation -> first graded result, cold cache",
                 f"median {statistics.median(cold):.2f} s  (n={len(cold)})")
            line("navigation -> first graded result, warm cache",
                 f"median {statistics.median(warm):.2f} s  (n={len(warm)})")
            line("Submit -> result, worker ready",
                 f"median {statistics.median(trips) * 1000:.0f} ms  (n={len(trips)})")
            browser.close()


if __name__ == "__main__":
    main()
