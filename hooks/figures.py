"""A phone gets the narrow drawing of a figure, where the figure has one.

``scripts/make_figures.py`` draws each figure for the wide content column (``NAME.svg``)
and, smaller and with its panels stacked, for a phone's (``NAME-narrow.svg``), so that its
text is at least 11 px on screen either way. A page embeds the wide drawing as Markdown
(``![alt](assets/figures/NAME.svg)``); the build wraps that ``<img>`` in a ``<picture>``
whose ``<source>`` offers the narrow one on small screens.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

__all__ = ["NARROW_MEDIA", "NARROW_SUFFIX", "with_narrow_figures"]

NARROW_SUFFIX = "-narrow"
# Material's breakpoint for a phone's layout: from 720 px up the column is at least 688 px
# wide, where the wide drawings' smallest text is still 11 px.
NARROW_MEDIA = "(max-width: 44.9375em)"
_SVG_IMG = re.compile(r'<img\b[^>]*?\bsrc="(?P<src>[^"#?]+)\.svg"[^>]*>')


def with_narrow_figures(html: str, page_url: str, exists: Callable[[str], bool]) -> str:
    """``html`` with each SVG ``<img>`` that has a narrow drawing inside a ``<picture>``.

    ``page_url`` is the page's URL relative to the site root (``"x/"``, or ``""`` for the
    home page), against which the images' relative ``src`` resolve; ``exists(path)`` says
    whether the site has a file at a path relative to its root.
    """

    def wrap(match: re.Match) -> str:
        narrow = match["src"] + NARROW_SUFFIX + ".svg"
        site_path = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), narrow))
        if match["src"].endswith(NARROW_SUFFIX) or not exists(site_path):
            return match[0]
        source = f'<source media="{NARROW_MEDIA}" srcset="{narrow}" type="image/svg+xml">'
        return f"<picture>{source}{match[0]}</picture>"

    return _SVG_IMG.sub(wrap, html)
