"""The teacher's page (docs/teach.md, ``<!-- md:gradebook course -->``): the course it grades
against, and the Content-Security-Policy that keeps its learners' code in the browser.

The page grades other people's code, so nothing that code does may reach the network:
the policy goes first in the <head> (a <meta> policy covers only what follows it), allows
the page's own inline scripts by their hashes, and reaches the Python workers because the
page starts them from ``blob:`` URLs, which inherit the document's policy (web/teach.js).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from html import escape
from typing import Any

from hooks.widgets import question_version

__all__ = ["POLICY", "gradebook_html", "with_policy"]

MARKER = "data-l2-gradebook"
# Pyodide compiles WebAssembly ('wasm-unsafe-eval') and builds functions from strings
# ('unsafe-eval'); connect-src 'self' lets it fetch its own files and nothing else.
POLICY = (
    "default-src 'self'; script-src 'self' blob: 'wasm-unsafe-eval' 'unsafe-eval'{hashes}; "
    "worker-src blob:; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'none'"
)
_INLINE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)


def gradebook_html(exercises: Mapping[str, Any], questions: Mapping[str, Any]) -> str:
    """The teacher's widget: the course as the CLI's gradebook knows it (exercise ids in
    catalogue order with their versions and packages; questions with their versions, option
    counts and right options), read by web/teach.js."""
    course = {
        "exercises": [
            {"id": i, "version": spec.version, "title": spec.title, "requires": list(spec.requires)}
            for i, spec in exercises.items()
        ],
        "questions": [
            {
                "id": i,
                "version": question_version(q),
                "options": len(q.options),
                "right": [n for n, option in enumerate(q.options) if option.correct],
            }
            for i, q in questions.items()
        ],
    }
    text = escape(json.dumps(course, sort_keys=True), quote=False)
    return (
        f'<div class="l2-gradebook" {MARKER}>'
        f'<script type="application/json" class="l2-gradebook-course">{text}</script>'
        "</div>"
    )


def with_policy(output: str) -> str:
    """The page with its policy first in the <head>; unchanged unless it is the teacher's."""
    if MARKER not in output:
        return output
    hashes = []
    for found in _INLINE.finditer(output):
        attrs, body = found["attrs"], found["body"]
        if "src=" in attrs or "application/json" in attrs or not body:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        if f"'sha256-{digest}'" not in hashes:
            hashes.append(f"'sha256-{digest}'")
    policy = POLICY.format(hashes="".join(" " + h for h in hashes))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">'
    charset = output.find("<meta charset")
    at = output.index(">", charset) + 1 if charset >= 0 else output.index("<head>") + len("<head>")
    return output[:at] + "\n" + meta + output[at:]
