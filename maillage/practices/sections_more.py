"""More section headings (data/section_synonyms_more.json) merged into `sections.SYNONYMS` at start-up
(`PracticesConfig.ready`), so that the importer reads plain-language headings ("Ce qu'on en retient", "Le
déroulé") without growing sections.py. Idempotent."""

import json
from pathlib import Path

from maillage.practices import sections

DATA = Path(__file__).parent / "data" / "section_synonyms_more.json"


def install() -> None:
    extra = json.loads(DATA.read_text(encoding="utf-8"))["synonyms"]
    changed = False
    for key, phrases in extra.items():
        known = sections.SYNONYMS.setdefault(key, [])
        for phrase in phrases:
            if phrase not in known:
                known.append(phrase)
                changed = True
    if changed:
        sections._compiled.cache_clear()
        sections._match_heading.cache_clear()
