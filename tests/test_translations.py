"""The Spanish catalogue is complete and its compiled form is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES"


def _po_entries() -> dict[str, str]:
    entries = {}
    for block in (LOCALE / "django.po").read_text().split("\n\n")[1:]:
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if match:
            msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
            msgstr = "".join(re.findall(r'"(.*)"', match.group(2)))
            entries[msgid] = msgstr
    return entries


def test_every_message_has_a_spanish_translation() -> None:
    entries = _po_entries()
    assert entries
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text().split("\n\n", 1)[1]


def test_compiled_catalogue_matches_the_po_file() -> None:
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    for msgid, msgstr in _po_entries().items():
        expected = msgstr.encode().decode("unicode_escape").encode("latin-1").decode()
        assert (
            catalogue.gettext(msgid.encode().decode("unicode_escape").encode("latin-1").decode())
            == expected
        ), msgid
