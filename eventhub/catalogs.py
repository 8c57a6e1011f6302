"""Message catalogs: which sources feed which catalog, extraction and update.

French is the source language (the msgids); each catalog holds the English
translations. The core catalog (``eventhub/translations``) covers the package's top-level
modules and the shared templates; each domain has its own catalog for its package and
its ``templates/<domain>/`` folder.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
CORE = "core"


def domains() -> list[str]:
    """Every catalog name: ``core`` and each domain package that has templates or strings."""
    packages = (p for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    return [CORE, *sorted(p.name for p in packages if p.name != "demo")]


def sources(domain: str) -> list[Path]:
    """The Python files and templates whose strings belong to ``domain``'s catalog."""
    if domain == CORE:
        python = sorted(PACKAGE.glob("*.py"))
        templates = sorted((ROOT / "templates").glob("*.html")) + sorted(
            (ROOT / "templates" / "errors").rglob("*.html"))
    else:
        python = sorted((PACKAGE / domain).rglob("*.py"))
        folder = ROOT / "templates" / domain
        # XML templates (feeds) are translated like pages.
        templates = sorted([*folder.rglob("*.html"), *folder.rglob("*.xml")])
    return python + templates


def catalog_path(domain: str) -> Path:
    """Where ``domain``'s English catalog lives."""
    base = PACKAGE if domain == CORE else PACKAGE / domain
    return base / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def extract(domain: str) -> Catalog:
    """The messages the sources of ``domain`` use, with their locations."""
    catalog = Catalog(locale="en", project="eventhub")
    for path in sources(domain):
        method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
        options = {} if path.suffix == ".py" else {"trimmed": "true"}
        for lineno, message, comments, context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            catalog.add(message, None, [(str(path.relative_to(ROOT)), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def read(domain: str) -> Catalog:
    """The current English catalog of ``domain`` (empty when missing)."""
    path = catalog_path(domain)
    if not path.exists():
        return Catalog(locale="en", project="eventhub")
    with path.open("rb") as handle:
        return read_po(handle, locale="en")


def update(domain: str) -> list[str]:
    """Merge newly extracted messages into the catalog; return the untranslated msgids."""
    template = extract(domain)
    catalog = read(domain)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    path = catalog_path(domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return missing(domain)


def missing(domain: str) -> list[str]:
    """Msgids used by ``domain``'s sources that have no English translation."""
    catalog = read(domain)
    result = []
    for message in extract(domain):
        if not message.id:
            continue
        translated = catalog.get(message.id, context=message.context)
        text = translated.string if translated is not None else None
        if not text or (isinstance(text, tuple) and not all(text)) or (
            translated is not None and translated.fuzzy
        ):
            result.append(message.id if isinstance(message.id, str) else message.id[0])
    return result
