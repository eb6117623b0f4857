"""Draw the course's app icons (docs/assets/icons/): the L2 ball, a white ring, on indigo.

Run ``python scripts/make_icons.py`` after changing the drawing; the PNGs are committed (a
few kB each). ``icon-*.png`` are for any use (rounded corners); ``maskable-*.png`` fill the
whole square and keep the ring inside the central 80 % circle that a mask may show.
Standard library only: PNG is zlib-compressed rows.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "assets" / "icons"
INDIGO = (0x40, 0x51, 0xB5)  # the palette's primary (mkdocs.yml: indigo)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # per axis, for anti-aliased edges


def _png(size: int, pixels: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    raw = b"".join(b"\x00" + row for row in pixels)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _coverage(x: float, y: float, size: int, maskable: bool) -> tuple[float, float]:
    """(inside the background, on the ring) at a point, both 0 or 1."""
    c = size / 2
    corner = 0 if maskable else size * 0.18
    dx = max(abs(x - c) - (c - corner), 0)
    dy = max(abs(y - c) - (c - corner), 0)
    inside = 1.0 if (dx * dx + dy * dy) <= corner * corner or corner == 0 else 0.0
    radius, width = (0.26, 0.07) if maskable else (0.32, 0.085)
    r = ((x - c) ** 2 + (y - c) ** 2) ** 0.5 / size
    ring = 1.0 if abs(r - radius) <= width / 2 else 0.0
    return inside, ring


def icon(size: int, maskable: bool) -> bytes:
    rows = []
    step = 1 / SAMPLES
    for py in range(size):
        row = bytearray()
        for px in range(size):
            inside = ring = 0.0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    a, b = _coverage(px + (sx + 0.5) * step, py + (sy + 0.5) * step, size, maskable)
                    inside += a
                    ring += b
            n = SAMPLES * SAMPLES
            inside, ring = inside / n, ring / n
            rgb = [round(i + (w - i) * ring) for i, w in zip(INDIGO, WHITE, strict=True)]
            row += bytes([*rgb, round(255 * inside)])
        rows.append(bytes(row))
    return _png(size, rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(icon(size, maskable=False))
        (OUT / f"maskable-{size}.png").write_bytes(icon(size, maskable=True))


if __name__ == "__main__":
    main()
