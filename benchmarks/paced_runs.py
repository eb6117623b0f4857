"""The paced-network part of ``bench_site.py``: the site and the bare Pyodide page served
through one slow shared link (``paced_link.py``), each run in a fresh browser context.

For each link profile it prints: navigation -> first verdict (site and bare page), the
bytes that came before that verdict, the transfer floor (those bytes / the bandwidth) and
the ratio of the two; then a learner who lands on the home page, reads for a while and
follows the link to the first exercise page: that click -> verdict, and the bytes it took.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass

from benchmarks.paced_link import Link, PacedServer

MIB = 1024 * 1024
WAIT_MS = 240_000


@dataclass(frozen=True)
class Profile:
    mbit: float  # bandwidth, Mbit/s (10^6 bit/s)
    rtt_ms: float
    read_s: float  # how long the learner reads the home page before following the link

    @classmethod
    def parse(cls, text: str) -> Profile:
        """``MBIT:RTT_MS[:READ_S]``, e.g. ``9:170:20``."""
        parts = [float(x) for x in text.split(":")]
        if len(parts) not in (2, 3):
            raise ValueError(f"a link is MBIT:RTT_MS[:READ_S], not {text!r}")
        return cls(parts[0], parts[1], parts[2] if len(parts) == 3 else 20.0)

    @property
    def label(self) -> str:
        return f"{self.mbit:g} Mbit/s, {self.rtt_ms:g} ms RTT"


DEFAULT_PROFILES = ("9:170:20", "1.6:150:40")


def _verdict(page) -> dict:
    page.wait_for_function("window.__bench && window.__bench.verdict", timeout=WAIT_MS)
    return page.evaluate(WORKER_TIMINGS)


# The page's probe marks, plus the worker's boot phases (web/worker.js `timings`, wall-clock
# ms) and the page's own performance marks, all as ms after navigation.
WORKER_TIMINGS = """(() => {
    const ready = performance.getEntriesByName('l2:python-ready')[0];
    const timings = (ready && ready.detail && ready.detail.timings) || {};
    const marks = {...window.__bench.marks};
    for (const [phase, at] of Object.entries(timings)) {
        marks['worker: ' + phase] = at - performance.timeOrigin;
    }
    for (const m of performance.getEntriesByType('mark')) marks['mark ' + m.name] ??= m.startTime;
    return {...window.__bench, marks, origin: performance.timeOrigin};
})()"""


def timeline(link: Link, bench: dict, sub: str) -> list[str]:
    """Each request (arrived, first byte, last byte as the server saw them) and the page's
    and worker's marks up to the verdict, in ms after navigation, in order."""
    origin = bench["origin"] / 1000
    end = origin + bench["verdict"] / 1000
    rows = []
    for s in link.sent_between(origin - 1, end):
        name = s.path.split("?")[0].split(f"/{sub}/", 1)[-1] or "/"
        rows.append(((s.arrived - origin) * 1000,
                     f"{name:<44} {(s.arrived - origin) * 1000:6.0f} "
                     f"{(s.first - origin) * 1000:6.0f} {(s.at - origin) * 1000:6.0f} "
                     f"{s.size / 1024:7.0f} KiB"))
    for name, ms in bench.get("marks", {}).items():
        if ms <= bench["verdict"] + 1:
            rows.append((ms, f"{name[:44]:<44} {ms:6.0f}"))
    rows.sort(key=lambda row: row[0])
    head = f"{'request (arrived, first, last byte) / mark':<44} {'ms':>6}"
    return [head] + [text for _, text in rows] + [_idle(link, origin, end)]


def _idle(link: Link, origin: float, end: float) -> str:
    """How long the link carried nothing between the page's first byte and the last of
    Python's files (round trips before a request, requests made late)."""
    sent = link.sent_between(origin - 1, end)
    python = [s for s in sent if "/pyodide/" in s.path or "grader.zip" in s.path]
    if not sent or not python:
        return "link idle: no Python files seen"
    start, last = min(s.first for s in sent), max(s.at for s in python)
    carried = sum(s.size for s in sent if s.at <= last) * 8 / link.bandwidth
    return (f"link idle between the page's first byte and Python's last: "
            f"{max(last - start - carried, 0) * 1000:.0f} ms of {(last - start) * 1000:.0f}")


def _bytes(link: Link, start: float, end: float) -> tuple[int, dict[str, int]]:
    files: dict[str, int] = defaultdict(int)
    for sent in link.sent_between(start, end):
        files[sent.path.split("?")[0].split("#")[0]] += sent.size
    return sum(files.values()), dict(files)


def _settle(link: Link) -> None:
    time.sleep(0.5)  # what a closed context was still receiving ends
    link.reset()


def cold(browser, link: Link, url: str, probe: str,
         sub: str = "") -> tuple[float, int, dict[str, int], float, list[str]]:
    """Navigation -> verdict (s), the bytes the link carried before it, when the last
    of Python's files arrived (s after navigation: the network's part, whatever the CPU
    of a loaded machine does after it), and the run's timeline."""
    context = browser.new_context()
    context.add_init_script(probe)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    bench = _verdict(page)
    if bench.get("status") not in (None, "pass"):
        print(f"  !! {url}: verdict {bench.get('status')}", flush=True)
    end = (bench["origin"] + bench["verdict"]) / 1000
    total, files = _bytes(link, bench["origin"] / 1000 - 1, end)
    sent = link.sent_between(bench["origin"] / 1000 - 1, end)
    python = [x.at for x in sent if "/pyodide/" in x.path or "grader.zip" in x.path]
    last = max(python, default=end) - bench["origin"] / 1000
    rows = timeline(link, bench, sub)
    context.close()
    _settle(link)
    return bench["verdict"] / 1000, total, files, last, rows


# Follows the page's first link to the exercise page as a click would (Material's instant
# navigation takes it), noting when, on the page's clock.
CLICK = """(target) => {
    const link = [...document.querySelectorAll('a[href]')]
        .find((a) => new URL(a.href, location.href).pathname.endsWith('/' + target));
    window.__bench.clickAt = performance.now();
    link.click();
    return Boolean(link);
}"""


# What the reading costs the page: its main thread's long tasks (over 50 ms), in ms.
LONG_TASKS = """(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({type: 'longtask', buffered: true});
})();"""


def read_then_exercise(browser, link: Link, home: str, target: str, probe: str,
                       read_s: float, memory=None) -> tuple[float, int, dict[str, int], dict]:
    """Land on ``home``, read ``read_s`` seconds, click through to ``target`` -> verdict.
    Also what the reading cost: long tasks on the main thread, and ``memory()`` (MB) then."""
    context = browser.new_context()
    context.add_init_script(probe)
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    page.goto(home, wait_until="load", timeout=WAIT_MS)
    page.wait_for_timeout(read_s * 1000)
    tasks = page.evaluate("window.__longTasks")
    costs = {"long_ms": sum(tasks), "long_n": len(tasks),
             "rss_mb": memory() if memory else float("nan"),
             "warm": page.evaluate("performance.getEntriesByName('l2:python-warm').length > 0")}
    if not page.evaluate(CLICK, target):
        raise RuntimeError(f"no link to {target} on {home}")
    bench = _verdict(page)
    if bench.get("status") not in (None, "pass"):
        print(f"  !! {target}: verdict {bench.get('status')}", flush=True)
    start = (bench["origin"] + bench["clickAt"]) / 1000
    end = (bench["origin"] + bench["verdict"]) / 1000
    total, files = _bytes(link, start, end)
    context.close()
    _settle(link)
    return (bench["verdict"] - bench["clickAt"]) / 1000, total, files, costs


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _line(label: str, text: str) -> None:
    print(f"  {label:<58} {text}", flush=True)


def _biggest(files: dict[str, int], sub: str) -> str:
    top = sorted(files.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{p.split(sub, 1)[-1] or '/'} {n / MIB:.2f}" for p, n in top if n > 8 * 1024)


def report_paced(browser, server: PacedServer, sub: str, exercise_page: str, bare: str,
                 probe: str, profiles: list[Profile], runs: int, memory=None) -> None:
    """Print the paced figures for each profile (the site is ``sub/`` on ``server``, built
    for its address; ``memory()``: the tab's memory in MB)."""
    server.warm()
    for profile in profiles:
        link = server.link = Link(profile.mbit * 1e6, profile.rtt_ms / 1000)
        site = f"{server.url}{sub}/"
        print(f"paced link: {profile.label}, {server.protocol} (median of {runs})", flush=True)
        try:
            figures: dict[str, list[float]] = defaultdict(list)
            last: dict[str, dict[str, int]] = {}
            rows: list[str] = []
            for _ in range(runs):
                for name, url in (("site", site + exercise_page), ("bare", site + bare)):
                    seconds, total, files, last_byte, steps = cold(browser, link, url, probe, sub)
                    if name == "site":
                        rows = steps
                    figures[f"{name} cold"].append(seconds)
                    figures[f"{name} last byte"].append(last_byte)
                    figures[f"{name} bytes"].append(total)
                    last[name] = files
                seconds, total, files, costs = read_then_exercise(
                    browser, link, site, exercise_page, probe, profile.read_s, memory)
                figures["read"].append(seconds)
                for key in ("long_ms", "long_n", "rss_mb"):
                    figures[f"read {key}"].append(costs[key])
                figures["read warm"].append(float(costs["warm"]))
                figures["read bytes"].append(total)
                last["read"] = files
            floor = {n: _median(figures[f"{n} bytes"]) * 8 / (profile.mbit * 1e6)
                     for n in ("site", "bare")}
            cold_s = {n: _median(figures[f"{n} cold"]) for n in ("site", "bare")}
            _line("navigation -> first verdict, cold",
                  f"site {cold_s['site']:6.2f} s   bare {cold_s['bare']:6.2f} s")
            _line("bytes to the first verdict",
                  f"site {_median(figures['site bytes']) / MIB:6.2f} MiB "
                  f"bare {_median(figures['bare bytes']) / MIB:6.2f} MiB")
            _line("transfer floor (those bytes / bandwidth)",
                  f"site {floor['site']:6.2f} s   bare {floor['bare']:6.2f} s")
            _line("  Python's files all in (after navigation)",
                  f"site {_median(figures['site last byte']):6.2f} s   "
                  f"bare {_median(figures['bare last byte']):6.2f} s")
            _line("first verdict / transfer floor",
                  f"site {cold_s['site'] / floor['site']:6.2f}     "
                  f"bare {cold_s['bare'] / floor['bare']:6.2f}")
            _line(f"home page, read {profile.read_s:g} s, follow the link -> verdict",
                  f"site {_median(figures['read']):6.2f} s")
            _line("  bytes downloaded after that click",
                  f"site {_median(figures['read bytes']) / MIB:6.2f} MiB")
            _line("  while reading: main-thread long tasks",
                  f"{_median(figures['read long_ms']):6.0f} ms in "
                  f"{_median(figures['read long_n']):.0f}; tab memory "
                  f"{_median(figures['read rss_mb']):.0f} MB; Python booted while reading: "
                  f"{sum(figures['read warm']):.0f} of {runs}")
            if os.environ.get("BENCH_VERBOSE") or profile is profiles[0]:
                _line("  site, cold: files before the verdict (MiB)",
                      _biggest(last["site"], f"/{sub}/"))
                _line("  site, after the click (MiB)", _biggest(last["read"], f"/{sub}/"))
                print(f"  site, cold: timeline of the last run (load average "
                      f"{os.getloadavg()[0]:.1f})", flush=True)
                for text in rows:
                    print(f"    {text}", flush=True)
        finally:
            link.reset()
