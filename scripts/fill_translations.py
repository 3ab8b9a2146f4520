"""Fill empty Dutch msgstr entries from a Python dict (a translator's aid).

    .venv/bin/python scripts/fill_translations.py TRANSLATIONS.py PO [PO ...]

TRANSLATIONS.py defines NL = {msgid: msgstr} and optionally PLURALS =
{msgid: [singular, plural]}. Existing translations are kept; fuzzy flags on
filled entries are removed. Prints what is still untranslated.
"""

import runpy
import sys

import polib


def main() -> int:
    table = runpy.run_path(sys.argv[1])
    singular, plurals = table.get("NL", {}), table.get("PLURALS", {})
    missing = 0
    for path in sys.argv[2:]:
        po = polib.pofile(path)
        for entry in po:
            if entry.obsolete:
                continue
            if entry.msgid_plural and entry.msgid in plurals:
                if not all(entry.msgstr_plural.values()) or "fuzzy" in entry.flags:
                    forms = plurals[entry.msgid]
                    entry.msgstr_plural = {0: forms[0], 1: forms[1]}
            elif entry.msgid in singular and (not entry.msgstr or "fuzzy" in entry.flags):
                entry.msgstr = singular[entry.msgid]
            else:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            missing += 1
            print(f"{path}: untranslated {entry.msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
