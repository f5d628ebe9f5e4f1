"""The Spanish catalogue is complete and its compiled form is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES"


def _text(lines: str) -> str:
    joined = "".join(re.findall(r'"(.*)"', lines))
    return joined.encode().decode("unicode_escape").encode("latin-1").decode()


ENTRY = re.compile(
    r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?'
    r'msgstr(?:\[0\])? ((?:".*"\n?)+)',
    re.M,
)


def _po_entries() -> list[tuple[str | None, str, str | None, str]]:
    """(context, msgid, plural msgid, msgstr or its first plural form) of every entry."""
    entries = []
    for block in (LOCALE / "django.po").read_text().split("\n\n")[1:]:
        match = ENTRY.search(block + "\n")
        if match:
            context, msgid, plural, msgstr = match.groups()
            entries.append(
                (
                    _text(context) if context else None,
                    _text(msgid),
                    _text(plural) if plural else None,
                    _text(msgstr),
                )
            )
    return entries


def test_every_message_has_a_spanish_translation() -> None:
    entries = _po_entries()
    assert len(entries) > 100
    untranslated = [msgid for _context, msgid, _plural, msgstr in entries if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text().split("\n\n", 1)[1]


def test_compiled_catalogue_matches_the_po_file() -> None:
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    for context, msgid, plural, msgstr in _po_entries():
        if plural is not None and context is None:
            compiled = catalogue.ngettext(msgid, plural, 1)
        elif plural is not None:
            compiled = catalogue.npgettext(context, msgid, plural, 1)
        elif context is not None:
            compiled = catalogue.pgettext(context, msgid)
        else:
            compiled = catalogue.gettext(msgid)
        assert compiled == msgstr, (context, msgid)
