"""Print how fast the site is, side by side with the floor: a bare page that only boots
Pyodide's npm core (as published) in a module worker, loads the same grader archive and
grades one job; and the same bare page on the site's own core (its standard library
precompiled, see hooks/stdlib.py), to show what the page itself costs.

Both are served from one local server under a sub-path (as on GitHub Pages, with its
``Cache-Control: max-age=600``) and timed in the page itself (``performance.now()``,
navigation start = 0), not through the browser driver. Figures only, no assertions.
Needs ./dev setup and Debian's /usr/bin/chromium. ``--runs N`` sets the sample size.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.paced_link import Link, PacedServer  # noqa: E402
from benchmarks.paced_runs import DEFAULT_PROFILES, Profile, report_paced  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402 - the tests' browser flags

SUB = "l2-course"
EXERCISE_PAGE = "l2-regularization/"
EXERCISE = "l2-penalty"
LOOP = "def l2_penalty(weights):\n    while True:\n        pass\n"
BENCH_DIR = Path(__file__).resolve().parent
WAIT_MS = 180_000


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "application/javascript",
        ".mjs": "application/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".zip": "application/zip",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        super().end_headers()

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def build(out: Path, url: str) -> float:
    start = time.perf_counter()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url, "PYODIDE_URL": ""}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(out)],
        cwd=ROOT, check=True, env=env,
    )
    return time.perf_counter() - start


def write_bare(folder: Path, own_core: bool) -> None:
    """A floor: bench_bare.html + bench_bare_worker.js and the site's grader archive.
    ``own_core``: Pyodide's npm core as published (the floor), copied beside the page;
    else the site's core, whose standard library is precompiled (hooks/stdlib.py)."""
    from grader import get_exercise
    from hooks.assets import PYODIDE_CORE

    folder.mkdir(parents=True, exist_ok=True)
    if own_core:
        (folder / "pyodide").mkdir()
        for name in PYODIDE_CORE:
            shutil.copyfile(ROOT / "node_modules" / "pyodide" / name, folder / "pyodide" / name)
    solution = json.dumps(get_exercise(EXERCISE).solution)
    html = (BENCH_DIR / "bench_bare.html").read_text("utf-8")
    (folder / "index.html").write_text(
        html.replace("__SOLUTION__", solution).replace("__EXERCISE__", EXERCISE)
        .replace("__INDEX__", "./pyodide/" if own_core else "../pyodide/"), "utf-8"
    )
    worker = (BENCH_DIR / "bench_bare_worker.js").read_text("utf-8")
    (folder / "worker.js").write_text(worker, "utf-8")


def page_script() -> str:
    """In-page probes for the site: put the solution in, press Submit as soon as the button
    exists, and note when each thing happens (navigation start = 0)."""
    from grader import get_exercise

    probe = (BENCH_DIR / "bench_probe.js").read_text("utf-8")
    return probe.replace("__SOLUTION__", json.dumps(get_exercise(EXERCISE).solution))


def wait_for(page, expression: str) -> object:
    page.wait_for_function(expression, timeout=WAIT_MS)
    return page.evaluate(expression)


def site_first(context, url: str) -> dict:
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    wait_for(page, "window.__bench && window.__bench.verdict")
    bench = page.evaluate("window.__bench")
    # The worker's own phases (see web/worker.js `timings`: wall-clock ms), on the page's clock.
    worker = page.evaluate(
        """(() => {
            const ready = performance.getEntriesByName('l2:python-ready')[0];
            const timings = (ready && ready.detail && ready.detail.timings) || {};
            return Object.fromEntries(Object.entries(timings)
                .map(([phase, at]) => [phase, at - performance.timeOrigin]));
        })()"""
    ) or {}
    for phase, ms in worker.items():
        bench["marks"][f"  worker: {phase}"] = ms
    return bench


def snapshot_stored(page) -> None:
    """A return visit comes after the learner stayed a moment: wait (up to 20 s) until the
    first visit has stored its Python snapshot, which it does once its first verdict is in."""
    check = """async () => {
        const cache = await caches.open('l2-course-python-snapshot');
        return (await cache.keys()).length > 0;
    }"""
    for _ in range(80):
        if page.evaluate(check):
            return
        page.wait_for_timeout(250)
    note("!! site", "no Python snapshot stored 20 s after the first verdict")


def bare_first(context, url: str) -> dict:
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url)
    wait_for(page, "window.__bench && window.__bench.verdict")
    return page.evaluate("window.__bench")


def in_page(page, script: str) -> dict:
    return page.evaluate(script)


def renderer_rss_mb(browser) -> float:
    """Resident memory of the largest renderer process (the tab, its workers included)."""
    session = browser.new_browser_cdp_session()
    info = session.send("SystemInfo.getProcessInfo")
    session.detach()
    sizes = []
    for process in info["processInfo"]:
        if process["type"] != "renderer":
            continue
        try:
            text = Path(f"/proc/{process['id']}/status").read_text()
        except OSError:
            continue
        for row in text.splitlines():
            if row.startswith("VmRSS:"):
                sizes.append(int(row.split()[1]) / 1024)
    return max(sizes, default=float("nan"))


def page_bytes(browser, url: str, wait_verdict: bool) -> dict[str, int]:
    """Bytes a page downloads, by kind: raw and gzip-compressed (what Pages would send).
    The service worker is blocked here: what it keeps for offline use is not the page's."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    if wait_verdict:
        context.add_init_script(page_script())
    kinds: dict[str, list[int]] = {}
    urls: list[str] = []
    urls_seen: set[str] = set()
    sizes: dict[str, int] = {}

    def on_response(response):
        if response.url in urls_seen:  # the spare worker asks again (HTTP cache)
            return
        urls_seen.add(response.url)
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            return
        path = response.url.split(f"/{SUB}/", 1)[-1]
        urls.append(path)
        sizes[path] = len(body)
        kind = "pyodide" if path.startswith("pyodide/") else (
            "grader" if path.startswith("assets/grader.zip") else
            "ours" if path.startswith("assets/course/") else "other")
        kinds.setdefault(kind, [0, 0])
        kinds[kind][0] += len(body)
        kinds[kind][1] += len(gzip.compress(body, 6))

    context.on("response", on_response)
    page.goto(url)
    if wait_verdict:
        wait_for(page, "window.__bench && window.__bench.verdict")
    page.wait_for_load_state("networkidle")
    context.close()
    return {"kinds": kinds, "urls": urls, "sizes": sizes}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def row(label: str, site: float, bare: float | None, unit: str = "s", n: int = 0) -> None:
    scale = 1000 if unit == "ms" else 1
    fmt = (lambda v: f"{v * scale:8.0f} {unit}") if unit == "ms" else (lambda v: f"{v:8.2f} {unit}")
    text = f"{label:<52} {fmt(site)}"
    if bare is not None:
        text += f"   bare {fmt(bare)}   ratio {site / bare:5.2f}"
    if n:
        text += f"   (median of {n})"
    print(text, flush=True)


def paced_server(http: str):
    """The paced server's class: HTTP/2 over TLS as Pages serves, or HTTP/1.1."""
    if http == "1.1":
        return PacedServer
    from benchmarks.paced_h2 import PacedH2Server

    return PacedH2Server


def note(label: str, value: str) -> None:
    print(f"{label:<52} {value}", flush=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--only", choices=("bytes", "first", "recovery", "paced"),
        help="print only one part: bytes per page, first verdicts (site vs bare), recovery, "
             "or the site and the bare page on a paced network",
    )
    parser.add_argument(
        "--link", action="append", type=Profile.parse, metavar="MBIT:RTT_MS[:READ_S]",
        help=f"a paced link (repeatable; default: {' and '.join(DEFAULT_PROFILES)})",
    )
    parser.add_argument("--http", choices=("1.1", "2"), default="2",
                        help="the paced server's protocol (default 2, as GitHub Pages)")
    parser.add_argument("--paced-runs", type=int, default=1,
                        help="runs per paced link (each is a fresh browser context)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        site_url, bare_url = base + SUB + "/", base + SUB + "/bench-bare/"
        # The site is built for the paced server's address, where instant navigation (the
        # read-then-exercise run) is measured; the localhost runs navigate directly.
        paced = paced_server(args.http)(Path(tmp), Link(1e9, 0.0)).start()
        note("mkdocs build (whole site, incl. assets)",
             f"{build(Path(tmp) / SUB, paced.url + SUB + '/'):.2f} s")
        site = Path(tmp) / SUB
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        note("published site size", f"{size / 1e6:.1f} MB")
        write_bare(site / "bench-bare", own_core=True)
        write_bare(site / "bench-bare-stdlib", own_core=False)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS + paced.chromium_args
            )
            if args.only in (None, "bytes"):
                report_bytes(browser, site_url)
            if args.only in (None, "first"):
                report_first_verdicts(browser, site_url, bare_url, args.runs)
            if args.only in (None, "recovery"):
                report_recovery(browser, site_url, args.runs)
            if args.only in (None, "paced"):
                profiles = args.link or [Profile.parse(p) for p in DEFAULT_PROFILES]
                report_paced(browser, paced, SUB, EXERCISE_PAGE, "bench-bare/",
                             page_script(), profiles, args.paced_runs,
                             lambda: renderer_rss_mb(browser))
            browser.close()
        paced.stop()
        server.shutdown()


def report_bytes(browser, site_url: str) -> None:
    plain = page_bytes(browser, site_url, wait_verdict=False)
    ex = page_bytes(browser, site_url + EXERCISE_PAGE, wait_verdict=True)
    kib = 1024

    def kinds(result, kind):
        raw, gz = result["kinds"].get(kind, [0, 0])
        return f"{raw / kib:7.1f} KiB raw, {gz / kib:6.1f} KiB gzip"

    note("home page: ours (assets/course: JS, CSS)", kinds(plain, "ours"))
    note("home page: Pyodide and grader", kinds(plain, "pyodide") + " + " + kinds(plain, "grader"))
    # Python, its worker, or the editor (the one chunk over 50 KiB): none on a reading page.
    heavy = [u for u in plain["urls"] if u.startswith("pyodide/") or "grader.zip" in u
             or u.endswith("worker.js")
             or (u.startswith("assets/course/") and plain["sizes"].get(u, 0) > 50 * kib)]
    note("home page: Python, worker or editor files loaded", ", ".join(heavy) or "none")
    note("exercise page: ours (assets/course: JS, CSS)", kinds(ex, "ours"))
    note("exercise page: grader archive (Python)", kinds(ex, "grader"))
    note("exercise page: Pyodide", kinds(ex, "pyodide"))
    # The same files as Pyodide's npm package has them (the standard library differs:
    # hooks/stdlib.py ships the modules a first verdict imports precompiled).
    npm = [(ROOT / "node_modules" / "pyodide" / u.removeprefix("pyodide/")).read_bytes()
           for u in ex["urls"] if u.startswith("pyodide/")]
    raw = sum(len(body) for body in npm)
    gz = sum(len(gzip.compress(body, 6)) for body in npm)
    note("  the same files in Pyodide's npm package",
         f"{raw / kib:7.1f} KiB raw, {gz / kib:6.1f} KiB gzip")
    note("exercise page: other (HTML, Material, KaTeX, ...)", kinds(ex, "other"))


def report_first_verdicts(browser, site_url: str, bare_url: str, runs: int) -> None:
    figures: dict[str, list[float]] = {}
    timeline: dict[str, list[float]] = {}
    memory: dict[str, list[float]] = {}
    for _ in range(runs):
        for name, url, first in (("site", site_url + EXERCISE_PAGE, site_first),
                                 ("bare", bare_url, bare_first),
                                 ("bare+", bare_url.replace("bench-bare", "bench-bare-stdlib"),
                                  bare_first)):
            context = browser.new_context()
            context.add_init_script(page_script())
            cold = first(context, url)
            if os.environ.get("BENCH_VERBOSE") and cold.get("resources"):
                print(f"    {name} resources [file, start, end]: {cold['resources']}")
            if cold.get("status") not in (None, "pass"):
                note(f"!! {name} verdict", str(cold.get("status")))
            figures.setdefault(f"{name} cold", []).append(cold["verdict"] / 1000)
            memory.setdefault(name, []).append(renderer_rss_mb(browser))
            for key, value in cold.get("marks", {}).items():
                timeline.setdefault(f"{name} {key}", []).append(value)
            if name == "site":
                snapshot_stored(context.pages[0])
            warm = first(context, url)
            figures.setdefault(f"{name} warm", []).append(warm["verdict"] / 1000)
            if warm.get("ready"):
                figures.setdefault(f"{name} warm ready", []).append(warm["ready"] / 1000)
            context.close()
    n = runs
    row("navigation -> first graded verdict, cold cache",
        median(figures["site cold"]), median(figures["bare cold"]), n=n)
    row("navigation -> first graded verdict, warm cache",
        median(figures["site warm"]), median(figures["bare warm"]), n=n)
    # The floor is Pyodide's npm core as published; the site ships its standard library
    # precompiled (hooks/stdlib.py). The same bare page on the site's core shows what the
    # page itself (theme, editor, scripts) still costs.
    row("  cold, vs a bare page on the site's own core",
        median(figures["site cold"]), median(figures["bare+ cold"]), n=n)
    if figures.get("site warm ready"):
        row("navigation -> Python ready, return visit", median(figures["site warm ready"]),
            None, n=n)
    row("tab memory after the first verdict (renderer RSS)", median(memory["site"]),
        median(memory["bare"]), unit="MB", n=n)
    for name in ("site", "bare", "bare+"):
        print(f"cold-load timeline of the {name} (ms after navigation start, medians):")
        keys = [k for k in timeline if k.startswith(name + " ")]
        for key in sorted(keys, key=lambda k: median(timeline[k])):
            print(f"    {key[len(name) + 1:]:<48} {median(timeline[key]):8.0f} ms")


# Playwright calls a string that starts as a function: drop the file's header comment.
RECOVERY = "\n".join(
    line for line in (BENCH_DIR / "bench_recovery.js").read_text("utf-8").splitlines()
    if not line.startswith("//")
)


def report_recovery(browser, site_url: str, runs: int) -> None:
    from grader import get_exercise

    good = get_exercise(EXERCISE).solution
    context = browser.new_context()
    context.add_init_script(page_script())
    page = context.new_page()
    page.goto(site_url + EXERCISE_PAGE)
    wait_for(page, "window.__bench && window.__bench.verdict")
    page.wait_for_timeout(3000)  # the page settles (spare worker) before a learner submits
    for mode, label in (
        ("submit-after-pause", "Submit -> verdict, next interpreter ready (in the page)"),
        ("submit", "Submit -> verdict, Submits back to back (in the page)"),
    ):
        trips, drawn = [], []
        for _ in range(max(runs * 4, 10)):
            ms, verdict, drawn_ms, _ = page.evaluate(RECOVERY, [mode, LOOP, good])
            trips.append(ms / 1000)
            drawn.append(drawn_ms / 1000)
        row(label, median(trips), None, unit="ms", n=len(trips))
        row("    ... and the verdict drawn (the next frame)", median(drawn), None, unit="ms",
            n=len(drawn))
    for mode, label in (("stop", "Stop"), ("timeout", "time-out")):
        ready, verdict_at, boots = [], [], []
        for _ in range(runs):
            r, v, verdict, boot = page.evaluate(RECOVERY, [mode, LOOP, good])
            ready.append(r / 1000)
            verdict_at.append(v / 1000)
            boots.append(boot)
        if os.environ.get("BENCH_VERBOSE"):
            print(f"    {label} boots: {boots}")
        row(f"{label} -> ready worker", median(ready), None, n=runs)
        row(f"{label} -> next verdict (submitted right away)", median(verdict_at), None, n=runs)
    note("tab memory, worker ready after recoveries", f"{renderer_rss_mb(browser):.0f} MB")
    context.close()


if __name__ == "__main__":
    main()
