"""Finding practices: every word must match, synonyms and spelling variants, facets, highlights, similar."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage.core.text import fold
from maillage.practices import textindex
from maillage.practices.models import Practice
from maillage.practices.selectors import practice_search, similar_practices
from maillage.practices.tests.conftest import import_text

pytestmark = pytest.mark.django_db

COVOIT = """# Covoiturage solidaire des aînés

Des retraités organisent du co-voiturage pour aller au marché de Murat.

## Le contexte

Les aînés isolés n'ont plus de bus. <script>alert("x")</script> Les élues soutiennent le projet.
"""


@pytest.fixture
def published(referentials, territories):
    (practice,) = import_text(COVOIT, status=Practice.Status.PUBLISHED, scope=Practice.Scope.PUBLIC)
    return practice


def titles(result):
    return [p.title for p in result.items]


def test_every_word_must_match(seed_practices):
    result = practice_search(None, q="isolement séniors")
    assert titles(result) == ["Un territoire se donne l’ambition de lutter contre l’isolement des séniors"]
    assert practice_search(None, q="isolement séniors licorne").total == 0


def test_accents_plurals_and_spelling_variants(seed_practices, published):
    for query in ["covoiturage", "co-voiturage", "co voiturage", "COVOITURAGE"]:
        assert "Covoiturage solidaire des aînés" in titles(practice_search(None, q=query)), query
    # aînés / seniors / personnes âgées are one group of the synonyms table
    assert "Covoiturage solidaire des aînés" in titles(practice_search(None, q="seniors"))
    assert "Un territoire se donne l’ambition de lutter contre l’isolement des séniors" in titles(
        practice_search(None, q="aînés")
    )
    # plural / feminine / verb forms meet through the stemmer
    assert (
        practice_search(None, q="conférence familiale").total
        == practice_search(None, q="conférences familiales").total
        >= 1
    )
    assert practice_search(None, q="élue").total == practice_search(None, q="élus").total


def test_ranking_puts_the_title_match_first(seed_practices):
    result = practice_search(None, q="conférences familiales")
    assert result.items[0].title == "Expérimentation des conférences familiales en France"


def test_highlights_are_escaped_with_marks(published):
    result = practice_search(None, q="bus")
    (item,) = result.items
    passage = str(item.highlights[0])
    assert "<mark>bus</mark>" in passage
    assert "<script>" not in passage and "&lt;script&gt;" in passage
    assert str(item.title_marked) == "Covoiturage solidaire des aînés"
    assert "<mark>Covoiturage</mark>" in str(practice_search(None, q="covoiturage").items[0].title_marked)


def test_facets_count_the_current_results(seed_practices):
    result = practice_search(None)
    assert result.total == 12
    fiches = {f.key: f.count for f in result.facets["fiche"]}
    assert fiches == {"1": 1, "3": 4, "4": 1, "5": 3, "6": 3, "17": 1, "18": 1, "19": 2, "21": 1, "23": 1}
    assert {v.key: v.count for v in result.facets["validation"]} == {"expertisee": 12}
    by_fiche = practice_search(None, fiche=19)
    assert by_fiche.total == 2 and {f.key for f in by_fiche.facets["fiche"]} == {"19"}
    assert next(f for f in by_fiche.facets["fiche"] if f.key == "19").selected
    by_method = practice_search(None, method="dpa")
    assert "« Collectif du 14 rue Michelet »" in titles(by_method)
    national = practice_search(None, scale="national")
    assert titles(national) == ["Expérimentation des conférences familiales en France"]


def test_search_query_count_does_not_grow_with_results(seed_practices):
    practice_search(None, q="habitants", limit=2)  # warm the document-frequency cache
    with CaptureQueriesContext(connection) as few:
        practice_search(None, q="habitants", limit=2)
    with CaptureQueriesContext(connection) as many:
        practice_search(None, q="habitants", limit=12)
    # No query per result (ten more results here): on PostgreSQL up to two more queries may fill the page
    # after the ranked candidates and fetch the extra page's tags.
    assert len(few) <= len(many) <= len(few) + 2 <= 17


def test_similar_practices_share_their_words(seed_practices):
    conference = seed_practices.get(title__startswith="Expérimentation des conférences")
    similar = similar_practices(conference, None)
    assert similar and conference not in similar
    assert all(s.similarity > 0 for s in similar)
    ile = seed_practices.get(title__startswith="L’ambition de mieux vivre")
    # the two "mieux vivre ensemble" stories of inhabitants' groups find each other
    assert "Les habitants d’un quartier se mobilisent dans une démarche « de mieux vivre ensemble »" in [
        p.title for p in similar_practices(ile, None)
    ]


def test_vectors_are_stored_at_import_time(seed_practices):
    practice = seed_practices.get(title__startswith="L’ambition de mieux vivre")
    assert 10 <= len(practice.vector) <= textindex.VECTOR_SIZE
    assert practice.terms.count() == len(practice.vector)
    assert practice.search_stems.startswith(" ") and " habit " in practice.search_stems


def test_stemmer_and_query_terms():
    assert {textindex.canonical(fold(w)) for w in ["isolement", "isolées", "isoler", "solitude"]} == {"isol"}
    assert textindex.query_terms("Les aînés ET le co-voiturage") == textindex.query_terms(
        "seniors covoiturage"
    )
    assert textindex.query_terms("de la et les") == []


def test_very_common_searches_stop_counting(seed_practices, monkeypatch, client):
    from maillage.practices import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    result = practice_search(None)
    assert (result.total, result.capped) == (5, True)
    assert len(result.items) == 12  # the page itself is complete
    assert all(v.count is None for v in result.facets["fiche"]) and len(result.facets["fiche"]) == 10
    assert "Plus de 5 pratiques trouvées" in client.get("/pratiques/").content.decode()
    api = client.get("/api/v1/practices/search").json()
    assert api["count"] == 5 and api["count_is_lower_bound"] is True and len(api["items"]) == 12
