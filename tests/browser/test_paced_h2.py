"""The bench's HTTP/2 paced server (benchmarks/paced_h2.py) is what its figures assume: the
bench's Chromium speaks HTTP/2 to it over one connection, trusts its certificate (so its
responses are cached and a service worker may register, as on GitHub Pages), and no byte
comes faster than the link's bandwidth."""

from __future__ import annotations

import os
import sys

import pytest
from conftest import ROOT

from .conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

PAGE = b"""<!doctype html><title>paced</title><script>
navigator.serviceWorker.register('sw.js').then(
  () => { document.title = 'registered'; },
  (error) => { document.title = 'refused: ' + error; });
</script>"""


@pytest.fixture
def h2_server(tmp_path):
    sys.path.insert(0, str(ROOT))
    from benchmarks.paced_h2 import PacedH2Server
    from benchmarks.paced_link import Link

    (tmp_path / "index.html").write_bytes(PAGE)
    (tmp_path / "sw.js").write_text("self.addEventListener('fetch', () => {});\n")
    # Random bytes do not gzip: what is sent is what the file holds.
    (tmp_path / "big.bin").write_bytes(os.urandom(200_000))
    server = PacedH2Server(tmp_path, Link(4e6, 0.05)).start()
    yield server
    server.stop()


def test_the_paced_h2_server_is_http2_trusted_cached_and_paced(browser, h2_server):
    # A browser of its own, as the bench launches it: the server's key is in its flags.
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + h2_server.chromium_args)
    try:
        page = chromium.new_page()
        page.goto(h2_server.url)
        page.wait_for_function("document.title !== 'paced'")
        assert page.title() == "registered"
        seen = page.evaluate("""async () => {
            const t0 = performance.now();
            await (await fetch('big.bin')).arrayBuffer();
            const took = performance.now() - t0;
            await (await fetch('big.bin')).arrayBuffer();  // from the HTTP cache
            const entries = performance.getEntriesByName(new URL('big.bin', location).href);
            return {took, protocols: entries.map((e) => e.nextHopProtocol),
                    sizes: entries.map((e) => e.transferSize),
                    secure: isSecureContext};
        }""")
    finally:
        chromium.close()
    assert seen["secure"] is True
    assert seen["protocols"] == ["h2", "h2"]
    assert seen["sizes"][0] >= 200_000 and seen["sizes"][1] == 0, seen
    # 200 kB at 4 Mbit/s is 0.4 s, plus the 50 ms round trip: never less.
    assert seen["took"] >= 400, seen
    big = [sent for sent in h2_server.link.log if sent.path.endswith("big.bin")]
    assert len(big) == 1 and big[0].size == 200_000, big
