"""English reads as English: no French spacing before punctuation, no French quotes, and
no punctuation glued to a translated string outside of it, where no catalog can fix it."""

import re
from pathlib import Path

import pytest

from eventhub import catalogs

ROOT = Path(__file__).resolve().parent.parent
FRENCH_SPACING = re.compile(r"[^\s]\s+[:;?!](\s|$)|«|»|\d\s%|\)d\s%%")


@pytest.mark.parametrize("domain", catalogs.domains())
def test_english_catalogs_use_english_typography(domain):
    wrong = []
    for message in catalogs.read(domain):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wrong += [text for text in strings if text and FRENCH_SPACING.search(text)]
    assert wrong == []


def test_templates_keep_punctuation_inside_translated_strings():
    glued = re.compile(r"(\}\}|%\})\s+[:;?!]")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "templates").rglob("*.html"))
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if glued.search(line)]
    assert offenders == []
