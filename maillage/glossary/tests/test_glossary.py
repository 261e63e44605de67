import json
import re
from pathlib import Path

import pytest
from django.template import Context, Template

from maillage.glossary.models import Term
from maillage.glossary.services import DATA_FILE, glossary_load, term_save

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


def _entries():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["entries"]


def test_shipped_glossary_has_at_least_150_distinct_entries_with_definitions():
    entries = _entries()
    assert len(entries) >= 150
    assert len({e["term"].lower() for e in entries}) == len(entries)
    assert all(e["definition"].strip() and e["sources"] for e in entries)


def test_every_entry_cites_seed_lines_where_it_appears():
    cache = {}
    failures = []
    for entry in _entries():
        for source in entry["sources"]:
            lines = cache.setdefault(
                source["seed"], (SEEDS / source["seed"]).read_text(encoding="utf-8").splitlines()
            )
            start, _, end = str(source["lines"]).partition("-")
            lo, hi = int(start) - 3, int(end or start) + 2
            window = " ".join(lines[max(lo, 0) : hi]).lower()
            forms = [entry["term"], entry.get("expansion", ""), *entry.get("aliases", [])]
            if not any(f and f.lower() in window for f in forms):
                failures.append((entry["term"], source))
    assert not failures, failures[:10]


@pytest.fixture
def loaded(db):
    glossary_load()


def test_load_is_idempotent_and_keeps_admin_edits(loaded):
    count = Term.objects.count()
    term = Term.objects.get(term="CCAS")
    term.definition = "Définition locale."
    term_save(term=term)
    counts = glossary_load()
    assert Term.objects.count() == count
    assert counts["kept_customised"] == 1
    assert Term.objects.get(term="CCAS").definition == "Définition locale."


def test_filter_marks_acronyms_with_abbr_and_escapes_html(loaded):
    out = Template("{{ text|glossarize }}").render(
        Context({"text": "Le CCAS et la CAF <script>x</script> CCASX"})
    )
    assert re.search(r'<abbr title="Centre communal d.{1,6}action sociale">CCAS</abbr>', out)
    assert "<abbr" in out.split("CAF")[0][-60:] or '<abbr title="Caisse' in out
    assert "&lt;script&gt;" in out and "<script>" not in out
    assert "CCASX" in out and ">CCASX<" not in out


def test_glossary_page_search_forgives_accents(client, loaded):
    html = client.get("/glossaire/", {"q": "communal d action"}).content.decode()
    assert "CCAS" in html
    partial = client.get("/glossaire/", {"q": "ccas"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "CCAS" in partial
