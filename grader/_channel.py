"""What the grading process sends the CLI, and how the CLI knows it is the grader's.

The grading process runs the learner's code, so every file descriptor it holds is open to
that code too: a submission can write a forged "pass" to all of them. So the result
travels in a frame authenticated with an HMAC whose key the CLI makes for each run and
hands over on the child's standard input (not in its arguments or environment, which
``/proc`` shows to every process of the user); stdin is a file that the child replaces
with ``/dev/null`` before the learner's code runs. Bytes written by anyone else (learner
code, its forks) are ignored, and they can only corrupt a frame, never make one. Learner
code that digs the key out of the grader's own objects could as well rewrite the grader's
functions: that is the integrity guard's business, not this channel's.

On the pipe: ``READY`` and the grading process's pid on a line, written before the
learner's code starts, then anything, then ``frame(key, result_json)``.
"""

from __future__ import annotations

import hmac
import re
from typing import Any

__all__ = [
    "KEY_BYTES",
    "LOST",
    "READY",
    "RESULT_BYTES",
    "bound",
    "frame",
    "unframe",
]

READY = b"R"
KEY_BYTES = 32
RESULT_BYTES = 4 << 20  # the most the CLI reads; a bounded result is far smaller
# The grading process's exit code when learner code closed or replaced its channel.
LOST = 86
_TAG = b"\x00L2-RESULT "
_FRAME = re.compile(re.escape(_TAG) + rb"([0-9a-f]{64}) ([0-9]{1,8})\n")
_CANDIDATES = 16  # fake tags a submission wrote are not worth more HMACs than this

# Characters kept of each text field a submission can make long (its error message, its
# traceback, a check message quoting its value), so that the result always fits.
_FIELD_CHARS = {"feedback": 2_000, "message": 2_000, "name": 500, "traceback": 20_000}
_STDOUT_CHARS = 12_000  # grade() cuts stdout to 10,000 characters and a marker already


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, "sha256").hexdigest().encode()


def frame(key: bytes, payload: bytes) -> bytes:
    """``payload`` as the CLI accepts it: tagged, sized, and authenticated with ``key``."""
    return _TAG + _mac(key, payload) + b" %d\n" % len(payload) + payload


def unframe(key: bytes, data: bytes) -> bytes | None:
    """The first payload in ``data`` framed with ``key``, or None if there is none."""
    for found in list(_FRAME.finditer(data))[:_CANDIDATES]:
        size = int(found[2])
        payload = data[found.end() : found.end() + size]
        if len(payload) == size and hmac.compare_digest(_mac(key, payload), found[1]):
            return payload
    return None


def _cut(text: Any, limit: int) -> Any:
    if not isinstance(text, str) or len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n[... {len(text) - 2 * half:,} characters cut ...]\n{text[-half:]}"


def _cut_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _cut(value, _FIELD_CHARS[key]) if key in _FIELD_CHARS else value
        for key, value in record.items()
    }


def bound(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` with every text field cut to a size the channel always carries."""
    out = _cut_fields(result)
    out["stdout"] = _cut(out.get("stdout"), _STDOUT_CHARS)
    out["checks"] = [_cut_fields(check) for check in out.get("checks") or []]
    if isinstance(out.get("error"), dict):
        out["error"] = _cut_fields(out["error"])
    return out
