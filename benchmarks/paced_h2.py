"""``paced_link``'s server over HTTP/2, as GitHub Pages serves: one TLS connection carries
every request at once (HTTP/1.1 holds a seventh request until one of six connections is
free, a round trip Pages never costs). The same files, gzip, ETags and shared link; the
same per-request round trip; no handshake counted, as there.

Hypercorn speaks HTTP/2 (h2) and trustme makes a certificate for 127.0.0.1, which the
bench's Chromium accepts by its public key (``chromium_args``): a certificate error would
keep responses out of the HTTP cache and refuse the service worker, unlike on Pages.
Headers are not paced (HPACK makes them a few bytes); bodies go in ``CHUNK``s.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import socket
import tempfile
import threading
import time
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from hypercorn.asyncio import serve
from hypercorn.config import Config

from benchmarks.paced_link import Link, Sent, StaticFiles

__all__ = ["PacedH2Server"]


def _quiet_cancel(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """Connections still open at ``stop()`` are cancelled: that is no error to print."""
    if not isinstance(context.get("exception"), asyncio.CancelledError):
        loop.default_exception_handler(context)


class PacedH2Server:
    """Serves ``root`` on https://127.0.0.1 over HTTP/2 through ``link`` (replaceable
    between runs); the interface of ``paced_link.PacedServer``."""

    protocol = "HTTP/2"

    def __init__(self, root: Path, link: Link) -> None:
        self.files = StaticFiles(root)
        self.link = link
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self._port = listener.getsockname()[1]
        self._fd = listener.detach()  # Hypercorn's from here on: it closes it
        self._folder = tempfile.TemporaryDirectory()
        cert = trustme.CA().issue_cert("127.0.0.1")
        folder = Path(self._folder.name)
        cert.private_key_pem.write_to_path(str(folder / "key.pem"))
        cert.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
        public = x509.load_pem_x509_certificate(cert.cert_chain_pems[0].bytes()).public_key()
        spki = public.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)
        pin = base64.b64encode(hashlib.sha256(spki).digest()).decode()
        # Trusted as if a CA had signed it (this one key, this one browser): cached, and
        # a secure origin for the service worker.
        self.chromium_args = [f"--ignore-certificate-errors-spki-list={pin}"]
        self._config = Config()
        self._config.bind = [f"fd://{self._fd}"]
        self._config.certfile = str(folder / "cert.pem")
        self._config.keyfile = str(folder / "key.pem")
        self._config.accesslog = None
        self._config.errorlog = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._port}/"

    def start(self) -> PacedH2Server:
        ready = threading.Event()

        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            self._loop.set_exception_handler(_quiet_cancel)
            ready.set()
            await serve(self._app, self._config, shutdown_trigger=self._stop.wait)

        self._thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread:
            self._thread.join(10)
        self._folder.cleanup()

    def warm(self) -> None:
        self.files.warm()

    async def _app(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        arrived, arrived_at = time.monotonic(), time.time()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope["raw_path"].decode("latin-1")
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        status, head, body = self.files.response(
            path, headers.get("accept-encoding", ""), headers.get("if-none-match"))
        link = self.link
        # The round trip: the request's way up and the first byte's way down.
        wait = arrived + link.rtt - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

        async def write(chunk: bytes) -> None:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

        try:
            await send({"type": "http.response.start", "status": status,
                        "headers": [(k.lower().encode(), v.encode()) for k, v in head]})
            first = await link.send_async(write, body) or time.time()
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except (ConnectionError, OSError):
            return
        link.note(Sent(time.time(), path, len(body), arrived_at, first))
