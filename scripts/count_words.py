"""Words, questions, exercises and minutes of every page, on the core path and in all.

    python scripts/count_words.py [DOCS_DIR]     # default: docs, pages in mkdocs.yml's order
    python scripts/count_words.py --write        # put the minutes in the badges and the map

The figures come from ``hooks/reading.py``, the module the course map takes its minutes
from, so the report and the site always agree.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.reading import course_minutes, page_time, rounded  # noqa: E402

BADGE = re.compile(r'(<span class="l2-path-badge">Core</span> )[^<]*(</p>)')
MAP_ROW = re.compile(r"^(\| \[[^\]]+\]\((\S+\.md)\) \| )(?:T:\S+|\d+ min \| \d+ min)( \|)", re.M)
TOTAL_ROW = re.compile(
    r"^(\| \*\*Whole course\*\* \(each row rounds up\) \| )(?:T:total|\d+ min \| \d+ min)( \|)",
    re.M,
)


def badge_text(core: int, every: int) -> str:
    """What a page's Core badge says: its minutes on the core path and in all."""
    return f"about {core} min on the core path, {every} min with every Go deeper box"


def filled(docs: Path, pages: Sequence[str]) -> dict[str, str]:
    """Each page's text with its Core badge, and the home page's course map, up to date."""
    texts = {name: (docs / name).read_text(encoding="utf-8") for name in pages}
    minutes = course_minutes(texts)
    out = {}
    for name, text in texts.items():
        m = minutes[name]
        said = badge_text(m["core"], m["all"])
        text = BADGE.sub(lambda x, said=said: x[1] + said + x[2], text)
        if name == "index.md":
            text = MAP_ROW.sub(
                lambda x: f"{x[1]}{minutes[x[2]]['core']} min | {minutes[x[2]]['all']} min{x[3]}",
                text,
            )
            times = [page_time(t) for t in texts.values()]  # unrounded: rows round up
            core = round(sum(t.minutes(core_only=True) for t in times))
            every = round(sum(t.minutes() for t in times))
            total = f"{core} min | {every} min"
            text = TOTAL_ROW.sub(lambda x, total=total: f"{x[1]}{total}{x[2]}", text)
        out[name] = text
    return out


def nav_pages(mkdocs_yml: Path) -> list[str]:
    text = mkdocs_yml.read_text(encoding="utf-8")
    return re.findall(r"^  - (\S+\.md)$", text[text.index("\nnav:") :], re.MULTILINE)


def report(docs: Path, pages: Sequence[str]) -> list[str]:
    rows = [f"{'page':28} {'core words':>10} {'all words':>9} {'Q core/all':>10} "
            f"{'Ex core/all':>11} {'min core':>8} {'min all':>7}"]
    sums = [0, 0, 0, 0, 0, 0, 0.0, 0.0]
    for name in pages:
        t = page_time((docs / name).read_text(encoding="utf-8"))
        kinds = [[k for k, _ in items] for items in (t.core_items, t.core_items + t.deeper_items)]
        q = [k.count("question") for k in kinds]
        e = [k.count("exercise") for k in kinds]
        core, every = t.minutes(core_only=True), t.minutes()
        rows.append(f"{name:28} {t.core_words:10} {t.words:9} {q[0]:>4}/{q[1]:<5} "
                    f"{e[0]:>5}/{e[1]:<5} {rounded(core):8} {rounded(every):7}")
        for k, v in enumerate((t.core_words, t.words, q[0], q[1], e[0], e[1], core, every)):
            sums[k] += v
    rows.append(f"{'total':28} {sums[0]:10} {sums[1]:9} {sums[2]:>4}/{sums[3]:<5} "
                f"{sums[4]:>5}/{sums[5]:<5} {round(sums[6]):8} {round(sums[7]):7}")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    write = "--write" in args
    args = [a for a in args if a != "--write"]
    docs = Path(args[0]) if args else ROOT / "docs"
    pages = nav_pages(docs.parent / "mkdocs.yml")
    if write:  # the badges and the course map say the computed minutes
        for name, text in filled(docs, pages).items():
            if (docs / name).read_text(encoding="utf-8") != text:
                (docs / name).write_text(text, encoding="utf-8")
                print(f"updated {name}")
    print("\n".join(report(docs, pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
