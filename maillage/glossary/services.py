"""Writes to the glossary: loading the shipped data and admin edits."""

import json
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from maillage.core.text import fold
from maillage.glossary.models import Term

DATA_FILE = Path(__file__).parent / "data" / "glossary.json"
CACHE_VERSION_KEY = "glossary:version"


def _search_text(term: Term) -> str:
    return fold(" ".join([term.term, term.expansion, " ".join(term.aliases), term.definition]))


def bump_glossary_version() -> None:
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 1, None)


@transaction.atomic
def glossary_load(*, path: Path = DATA_FILE) -> dict[str, int]:
    """Create or refresh entries from the data file; entries customised by an administrator are left alone."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))["entries"]
    existing = {t.term.lower(): t for t in Term.objects.all()}
    counts = {"created": 0, "updated": 0, "kept_customised": 0}
    for entry in entries:
        term = existing.get(entry["term"].lower())
        if term is not None and term.is_customised:
            counts["kept_customised"] += 1
            continue
        if term is None:
            term = Term(term=entry["term"])
            counts["created"] += 1
        else:
            counts["updated"] += 1
        term.expansion = entry.get("expansion", "")
        term.definition = entry["definition"]
        term.aliases = entry.get("aliases", [])
        term.category = entry.get("category", Term.Category.NOTION)
        term.sources = entry.get("sources", [])
        term.search_text = _search_text(term)
        term.save()
    bump_glossary_version()
    return counts


@transaction.atomic
def term_save(*, term: Term, customised: bool = True) -> Term:
    """Save an administrator's edit; marks it so that reloading the shipped data keeps it."""
    term.search_text = _search_text(term)
    term.is_customised = customised
    term.save()
    bump_glossary_version()
    return term
