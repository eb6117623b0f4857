"""The message catalogues: every key used is there, every key there is used, and every
language has English's keys and placeholders.

A key is used where its name is written as a string literal in the course's code (the
page's JavaScript, the grader, the build hooks, the templates), so a key must be written
out in full; the few built from parts are listed in ``DYNAMIC`` with where they are built.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from conftest import ROOT

from grader.contract import CATALOGUES, DEFAULT_LANGUAGE, SITE_CATALOGUE, catalogue

SOURCES = [
    *sorted((ROOT / "web").rglob("*.js")),
    *sorted((ROOT / "grader").rglob("*.py")),
    *sorted((ROOT / "hooks").rglob("*.py")),
    *sorted((ROOT / "overrides").rglob("*.html")),
]
# Keys made from a prefix and a value, by where they are made.
DYNAMIC = {
    # web/exercise-outcome.js wordOf: `verdict.${verdict}`, a grader status
    "verdict.pass", "verdict.fail", "verdict.error", "verdict.timeout",
    # web/exercise-progress.js: `loading.file.${kind}`, a boot file still coming
    "loading.file.wasm", "loading.file.stdlib", "loading.file.grader",
    # web/exercise-outcome.js ended(): `${key}.detail` for "packages" and "packages.imported"
    "packages.detail", "packages.imported.detail",
    # web/work-panel.js plural(): `${key}.one` / `${key}.other`
    "work.exercises.one", "work.exercises.other", "work.answers.one", "work.answers.other",
}
# A call with a literal key: message("k"), course_message("k"), widgets' _text("k").
CALL = re.compile(r"""\b(?:message|_text)\(\s*["']([^"'$`{}]+)["']""")
LITERAL = re.compile(r"""["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)["']""")


def _texts() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in SOURCES}


def _languages() -> list[str]:
    """The course's languages; private-use tags (``x-...``) are the tests' own, made and
    removed while the suite runs (tests/conftest.py ``pseudo_site``)."""
    names = (p.stem for p in CATALOGUES.glob("*.json") if p.name != SITE_CATALOGUE)
    return sorted(name for name in names if not name.startswith("x-"))


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    english = catalogue(DEFAULT_LANGUAGE)
    unknown = sorted(
        f"{path.relative_to(ROOT)}: {key}"
        for path, text in _texts().items()
        for key in CALL.findall(text)
        if key not in english
    )
    assert unknown == [], "keys used but not in grader/messages/en.json:\n" + "\n".join(unknown)
    assert set(DYNAMIC) <= set(english), sorted(set(DYNAMIC) - set(english))


def test_every_key_in_the_catalogue_is_used():
    written = {key for text in _texts().values() for key in LITERAL.findall(text)}
    unused = sorted(set(catalogue(DEFAULT_LANGUAGE)) - written - DYNAMIC)
    assert unused == [], "keys in grader/messages/en.json that no code uses: " + ", ".join(unused)


def test_the_checks_find_a_key_in_a_call():
    assert CALL.findall('x = message("panel.same", {count}); _text(\'build.question.one\')') == [
        "panel.same", "build.question.one"]
    assert CALL.findall("message(`verdict.${verdict}`)") == []  # dynamic: listed in DYNAMIC


@pytest.mark.parametrize("language", _languages())
def test_a_language_has_the_keys_and_placeholders_of_english(language):
    english, other = catalogue(DEFAULT_LANGUAGE), catalogue(language)
    assert sorted(set(english) - set(other)) == [], f"{language}.json lacks these keys"
    assert sorted(set(other) - set(english)) == [], f"{language}.json has keys English lacks"
    differ = [k for k in english if _placeholders(english[k]) != _placeholders(other[k])]
    assert differ == [], f"{language}.json: other placeholders than en.json in {differ}"


def test_a_catalogue_is_plain_json_text():
    for language in _languages():
        data = json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8"))
        assert all(isinstance(v, str) and v for v in data.values()), language


def test_an_unknown_language_is_named_with_the_known_ones():
    with pytest.raises(ValueError, match=r"'xx'.*known: en"):
        catalogue("xx")
