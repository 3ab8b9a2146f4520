"""Fail when a Dutch string is missing: extract every translatable string
into the Dutch catalogues (as `make messages` does) and check that none is
untranslated or fuzzy, then compile them.

Needs GNU gettext (xgettext, msgmerge, msgfmt) on the PATH.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def main() -> int:
    subprocess.run(
        [*MANAGE, "makemessages", "-l", "nl", "--no-location", "--no-obsolete",
         "--ignore=.venv", "--ignore=static", "--ignore=staticfiles", "--ignore=tests",
         "--ignore=bench", "-v0"],
        cwd=ROOT, check=True,
    )
    problems = []
    for path in sorted(ROOT.glob("**/locale/nl/LC_MESSAGES/django.po")):
        if ".venv" in path.parts:
            continue
        po = polib.pofile(str(path))
        for entry in po.untranslated_entries():
            problems.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid!r}")
        for entry in po.fuzzy_entries():
            problems.append(f"{path.relative_to(ROOT)}: fuzzy: {entry.msgid!r}")
    if problems:
        print("\n".join(problems))
        print(f"{len(problems)} Dutch translation(s) missing: run `make messages` and fill them.")
        return 1
    subprocess.run([*MANAGE, "compilemessages", "--ignore=.venv", "-v0"], cwd=ROOT, check=True)
    print("Dutch translations complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
