"""A static file server behind a slow network: every byte it sends goes through ONE shared
link of a given bandwidth, and each request is answered one round trip after it arrived.
Text types and WebAssembly are gzipped as GitHub Pages sends them (its CDN compresses
``application/wasm`` too; zip archives, images and fonts go as they are).

Used by ``bench_site.py --only paced`` and, with a small bandwidth, by the browser test of
the loading progress bar. The model: one link shared by all connections (a phone's radio),
chunks queued on it in the order they are sent, plus a fixed delay per request (HTTP/2
needs no new connection per request, so no handshake is counted). Chromium opens at most
six HTTP/1.1 connections to this server, where Pages' HTTP/2 has no such limit:
``paced_h2.py`` serves the same files through the same link over HTTP/2, as the bench does.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import http.server
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["Link", "PacedServer", "Sent", "StaticFiles"]

CHUNK = 8 * 1024
# What Pages compresses (by type): text, scripts, JSON, SVG and WebAssembly.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/wasm", "application/xml")
TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "application/javascript", ".mjs": "application/javascript",
    ".json": "application/json", ".wasm": "application/wasm", ".zip": "application/zip",
    ".svg": "image/svg+xml", ".png": "image/png", ".woff2": "font/woff2",
    ".woff": "font/woff", ".ttf": "font/ttf", ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8", ".bin": "application/octet-stream",
}


@dataclass
class Sent:
    """One response's bytes on the link: when its last byte left, the path, how many, and
    when its request arrived and its first byte left (for the bench's timeline)."""

    at: float  # time.time() when the response was complete
    path: str
    size: int  # headers and body as sent (gzipped when it is)
    arrived: float = 0.0  # time.time() when the request came in
    first: float = 0.0  # time.time() when its first byte left


@dataclass
class Link:
    """The one link every response shares: bandwidth in bit/s, round trip in seconds."""

    bandwidth: float
    rtt: float
    free_at: float = 0.0  # time.monotonic() when the link has sent all it was given
    lock: threading.Lock = field(default_factory=threading.Lock)
    log: list[Sent] = field(default_factory=list)

    def _chunks(self, data: bytes):
        """Each chunk of ``data`` with how long (s) to wait before writing it, behind what
        others queued. A chunk is ready when the one before it has gone, not when its
        sender wakes up again: all of it is here at once, and a late wake-up on a loaded
        machine would otherwise leave the link idle (a real sender's socket buffer keeps it
        busy)."""
        ready = time.monotonic()
        for start in range(0, len(data), CHUNK):
            chunk = data[start : start + CHUNK]
            with self.lock:
                self.free_at = ready = max(ready, self.free_at) + len(chunk) * 8 / self.bandwidth
            yield chunk, ready - time.monotonic()

    def send(self, write, data: bytes) -> float:
        """Write ``data`` no faster than the link allows; return when (time.time()) its
        first chunk left."""
        first = 0.0
        for chunk, delay in self._chunks(data):
            time.sleep(max(delay, 0))
            write(chunk)
            first = first or time.time()
        return first

    async def send_async(self, write, data: bytes) -> float:
        """``send`` for a coroutine ``write`` (the HTTP/2 server's streams)."""
        first = 0.0
        for chunk, delay in self._chunks(data):
            await asyncio.sleep(max(delay, 0))
            await write(chunk)
            first = first or time.time()
        return first

    def note(self, sent: Sent) -> None:
        with self.lock:
            self.log.append(sent)

    def sent_between(self, start: float, end: float) -> list[Sent]:
        """Responses completed in [start, end] (time.time())."""
        with self.lock:
            return [s for s in self.log if start <= s.at <= end]

    def reset(self) -> None:
        with self.lock:
            self.log.clear()
            self.free_at = 0.0


class StaticFiles:
    """A folder as a static host serves it: gzipped copies made once, ETags, 304s."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._bodies: dict[tuple[Path, bool], tuple[bytes, str, bool, str]] = {}
        self._bodies_lock = threading.Lock()

    def resolve(self, url_path: str) -> Path | None:
        relative = unquote(urlsplit(url_path).path).lstrip("/")
        path = (self.root / relative).resolve()
        if not str(path).startswith(str(self.root.resolve())):
            return None
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None

    def body(self, path: Path, gzip_ok: bool) -> tuple[bytes, str, bool, str]:
        """The file's bytes as sent (gzipped once, then kept), its type, whether gzipped,
        and its ETag (hashed once too: the wasm is 3.4 MB)."""
        key = (path, gzip_ok)
        with self._bodies_lock:
            if key in self._bodies:
                return self._bodies[key]
        ctype = TYPES.get(path.suffix, "application/octet-stream")
        data = path.read_bytes()
        encoded = gzip_ok and ctype.startswith(GZIP_TYPES)
        if encoded:
            data = gzip.compress(data, 6)
        etag = f'"{hashlib.sha256(data).hexdigest()[:16]}"'
        with self._bodies_lock:
            self._bodies[key] = (data, ctype, encoded, etag)
        return data, ctype, encoded, etag

    def warm(self) -> None:
        """Gzip every file now, as a static host has its compressed copies ready: else the
        first request for the wasm waits while this process compresses it."""
        for path in self.root.rglob("*"):
            if path.is_file() and TYPES.get(path.suffix, "").startswith(GZIP_TYPES):
                self.body(path, True)

    def response(self, url_path: str, accept_encoding: str,
                 if_none_match: str | None) -> tuple[int, list[tuple[str, str]], bytes]:
        """Status, headers and body for a GET of ``url_path``."""
        path = self.resolve(url_path)
        if path is None:
            return 404, [("Content-Type", "text/plain"), ("Content-Length", "9")], b"not found"
        body, ctype, encoded, etag = self.body(path, "gzip" in accept_encoding)
        # Pages answers a revalidation of an unchanged file with 304 and no body.
        status = 304 if if_none_match == etag else 200
        if status == 304:
            body = b""
        head = [("Content-Type", ctype), ("Content-Length", str(len(body))),
                ("Cache-Control", "max-age=600"), ("Vary", "Accept-Encoding"), ("ETag", etag)]
        if encoded and status == 200:
            head.append(("Content-Encoding", "gzip"))
        return status, head, body


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: PacedServer

    def do_GET(self) -> None:
        arrived = time.monotonic()
        arrived_at = time.time()
        status, head, body = self.server.files.response(
            self.path, self.headers.get("Accept-Encoding", ""), self.headers.get("If-None-Match"))
        # The round trip: the request's way up and the first byte's way down.
        wait = arrived + self.server.link.rtt - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
        lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in head)]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        try:
            first = self.server.link.send(self.wfile.write, data)
            self.wfile.flush()
        except ConnectionError:
            self.close_connection = True
            return
        self.server.link.note(Sent(time.time(), self.path, len(data), arrived_at, first))

    def log_message(self, *args) -> None:
        pass


class PacedServer(http.server.ThreadingHTTPServer):
    """Serves ``root`` on 127.0.0.1 through ``link`` (which may be replaced between runs),
    over HTTP/1.1. ``start()`` runs it in a thread. Build the site for this server's
    ``url``: Material's instant navigation follows only the links its sitemap.xml lists."""

    daemon_threads = True
    protocol = "HTTP/1.1"
    chromium_args: list[str] = []

    def __init__(self, root: Path, link: Link) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files = StaticFiles(root)
        self.link = link

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> PacedServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def warm(self) -> None:
        self.files.warm()

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


if __name__ == "__main__":  # serve a folder by hand: python paced_link.py DIR MBIT RTT_MS
    folder, mbit, rtt_ms = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    server = PacedServer(Path(folder), Link(mbit * 1e6, rtt_ms / 1000)).start()
    print(f"serving {os.path.abspath(folder)} on {server.url}", flush=True)
    threading.Event().wait()
