"""Helpers for the English catalogue (maillage/locale/en/LC_MESSAGES/django.po).

    python scripts/translations.py todo OUT_DIR [--chunk 150]   # untranslated/fuzzy entries -> JSON chunks
    python scripts/translations.py merge FILE.json [...]         # write translations back, clear fuzzy

A chunk is a list of {"msgid", "msgid_plural", "msgstr", "msgstr_plural": ["", ""]} to fill in.
Run `make messages` first so the catalogue holds every string of the code.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "maillage" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def todo(out_dir: str, chunk: int = 150) -> None:
    catalogue = polib.pofile(str(PO))
    entries = [
        e
        for e in catalogue
        if not e.obsolete
        and ("fuzzy" in e.flags or not (e.msgstr or (e.msgstr_plural and all(e.msgstr_plural.values()))))
    ]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(entries), chunk):
        items = [
            {
                "msgid": e.msgid,
                "msgid_plural": e.msgid_plural,
                "msgctxt": e.msgctxt,
                "msgstr": "",
                "msgstr_plural": ["", ""] if e.msgid_plural else [],
                "where": [f"{f}:{line}" for f, line in e.occurrences][:2],
            }
            for e in entries[start : start + chunk]
        ]
        (out / f"todo_{start // chunk:02d}.json").write_text(json.dumps(items, ensure_ascii=False, indent=1))
    print(f"{len(entries)} entries to translate in {out}")


def merge(files: list[str]) -> None:
    catalogue = polib.pofile(str(PO))
    index = {(e.msgctxt, e.msgid): e for e in catalogue}
    done = 0
    for name in files:
        for item in json.loads(Path(name).read_text()):
            entry = index.get((item.get("msgctxt"), item["msgid"]))
            if entry is None:
                continue
            if entry.msgid_plural:
                plural = item.get("msgstr_plural") or []
                if len(plural) == 2 and all(plural):
                    entry.msgstr_plural = {0: plural[0], 1: plural[1]}
                else:
                    continue
            elif item.get("msgstr"):
                entry.msgstr = item["msgstr"]
            else:
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            done += 1
    catalogue.save(str(PO))
    print(f"{done} entries merged into {PO}")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "todo":
        todo(args[0], int(args[2]) if len(args) > 2 and args[1] == "--chunk" else 150)
    elif command == "merge":
        merge(args)
    else:
        raise SystemExit(__doc__)
