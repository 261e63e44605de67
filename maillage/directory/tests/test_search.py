"""Search: accents ignored, every word must match, facets with counts, fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage.directory.models import Structure
from maillage.directory.selectors import SearchParams, directory_search, query_words
from maillage.directory.tests.conftest import add_service, add_structure, category, commune


def names(result):
    return [s.name for s in result.page.object_list]


def facet(result, key):
    return {v.value: v.count for v in result.facets[key]}


def test_query_words_drop_articles_and_fold_accents():
    assert query_words("Le Château d'Oléron") == ["chateau", "oleron"]
    assert query_words("ŒUVRES   Éducatives") == ["oeuvres", "educatives"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chateau", ["Centre communal d'action sociale"]),
        ("CHÂTEAU d'oléron", ["Centre communal d'action sociale"]),
        ("ccas", ["Centre communal d'action sociale"]),
        ("allocations", ["Caisse d'allocations familiales"]),
        ("centre", ["Centre communal d'action sociale", "Centre social de l'Île"]),
        ("centre ile familles", ["Centre social de l'Île"]),
        ("parentalité", ["Centre social de l'Île"]),  # a thématique of its service
        ("démarches", ["Centre communal d'action sociale"]),  # the name of its service
        ("zzz", []),
    ],
)
def test_accent_insensitive_full_text(workspace, oleron, query, expected):
    assert names(directory_search(workspace, SearchParams(q=query))) == expected


def test_names_starting_with_the_word_come_first(workspace, oleron):
    add_structure(workspace, "Épicerie du centre bourg")
    result = directory_search(workspace, SearchParams(q="centre"))
    assert names(result)[:2] == ["Centre communal d'action sociale", "Centre social de l'Île"]
    assert names(result)[2] == "Épicerie du centre bourg"


def test_facets_count_the_results(workspace, oleron):
    result = directory_search(workspace, SearchParams())
    assert result.count == 3
    assert facet(result, "category") == {"organismes_publics": 1, "associations": 1, "caisses": 1}
    assert facet(result, "thematique") == {"famille": 1, "difficultes-administratives-ou-juridiques": 1}
    assert facet(result, "public") == {"familles": 1, "tous-publics": 1}
    assert facet(result, "territory") == {"commune:17093": 1, "commune:17140": 1, "commune:17385": 1}
    assert facet(result, "kind") == {"etablissement_public": 1, "association": 1, "securite_sociale": 1}
    labels = {v.value: v.label for v in result.facets["territory"]}
    assert labels["commune:17140"] == "Dolus-d'Oléron"
    assert {v.value: v.label for v in result.facets["category"]}[
        "organismes_publics"
    ] == "Autres organismes publics"


def test_facet_filters_combine_with_words(workspace, oleron):
    result = directory_search(workspace, SearchParams(q="centre", thematique="famille"))
    assert names(result) == ["Centre social de l'Île"]
    assert facet(result, "public") == {"familles": 1}
    result = directory_search(workspace, SearchParams(territory="epci:241700624"))
    assert result.count == 3
    result = directory_search(workspace, SearchParams(territory="commune:17093", kind="association"))
    assert result.count == 0


def test_choosing_a_heading_shows_its_categories(workspace, oleron):
    add_structure(
        workspace, "Espace de vie sociale des Allées", categories=[category("associations.sociales.evs")]
    )
    result = directory_search(workspace, SearchParams(category="associations"))
    assert result.count == 2
    values = {v.value: (v.count, v.selected) for v in result.facets["category"]}
    assert values == {"associations": (2, True), "associations.sociales": (2, False)}
    result = directory_search(workspace, SearchParams(category="associations.sociales"))
    values = {v.value: v.count for v in result.facets["category"]}
    assert values == {
        "associations.sociales": 2,
        "associations.sociales.centres_sociaux": 1,
        "associations.sociales.evs": 1,
    }
    leaf = directory_search(workspace, SearchParams(category="associations.sociales.evs"))
    assert names(leaf) == ["Espace de vie sociale des Allées"]


def test_thematique_heading_shows_its_leaves_when_chosen(workspace, oleron):
    result = directory_search(workspace, SearchParams(thematique="famille"))
    assert facet(result, "thematique") == {
        "famille": 1,
        "famille--soutien-a-la-parentalite-et-a-leducation": 1,
    }


def test_other_workspaces_never_show(workspace, public_workspace, oleron):
    add_structure(public_workspace, "Centre social du village", commune=commune("17093"))
    assert "Centre social du village" not in names(
        directory_search(workspace, SearchParams(q="centre social"))
    )
    assert names(directory_search(public_workspace, SearchParams(q="centre"))) == ["Centre social du village"]


def test_pagination(workspace, referential, typologies):
    for i in range(25):
        add_structure(workspace, f"Association numéro {i:02d}")
    first = directory_search(workspace, SearchParams(q="association"), page=1)
    second = directory_search(workspace, SearchParams(q="association"), page=2)
    assert first.count == 25 and len(first.page.object_list) == 20 and len(second.page.object_list) == 5
    assert names(second)[0] == "Association numéro 20"


def _queries(workspace, params):
    with CaptureQueriesContext(connection) as ctx:
        directory_search(workspace, params)
    return len(ctx)


def test_fixed_query_count(workspace, oleron):
    """The page and its categories (2). After a change the in-memory index reloads (+3)."""
    params = SearchParams(q="centre", territory="epci:241700624")
    after_change, warm = _queries(workspace, params), _queries(workspace, params)
    for i in range(30):
        s = add_structure(
            workspace,
            f"Centre {i}",
            commune=commune("17093"),
            categories=[category("caisses.msa"), category("caisses.caf")],
        )
        add_service(s, "Service", thematiques=["remobilisation--lien-social"], publics=["jeunes"])
    assert (_queries(workspace, params), _queries(workspace, params)) == (after_change, warm) == (5, 2)
    assert _queries(workspace, SearchParams()) == 2  # browsing: the page and its categories
    assert _queries(workspace, SearchParams(category="caisses")) == 2  # facets only: no SQL for the matching


def test_the_facet_index_follows_every_process_change(workspace, oleron):
    """Another process's write (a bumped version) reloads the index; deleting a structure too."""
    from maillage.directory.search_index import bump_version
    from maillage.directory.services import structure_delete

    assert directory_search(workspace, SearchParams(kind="association")).count == 1
    Structure.objects.filter(pk=oleron["caf"].pk).update(facet_tokens=" kind=association ")
    assert directory_search(workspace, SearchParams(kind="association")).count == 1  # not told yet
    bump_version(workspace.pk)
    assert directory_search(workspace, SearchParams(kind="association")).count == 2
    structure_delete(actor=None, structure=oleron["centre"])
    assert names(directory_search(workspace, SearchParams(kind="association"))) == [
        "Caisse d'allocations familiales"
    ]


def test_a_large_index_is_rebuilt_in_the_background(transactional_db, workspace, monkeypatch):
    """Searches keep answering from the previous index while a large one is rebuilt by a thread."""
    from maillage.directory import memory_index

    monkeypatch.setattr(memory_index, "SYNC_REBUILD_LIMIT", 1)
    add_structure(workspace, "Association des parents")
    add_structure(workspace, "Association sportive")
    assert directory_search(workspace, SearchParams(q="association")).count == 2  # first build: synchronous
    add_structure(workspace, "Association culturelle")
    assert directory_search(workspace, SearchParams(q="association")).count == 2  # stale while rebuilding
    for thread in [t for t in __import__("threading").enumerate() if t.name != "MainThread" and t.daemon]:
        thread.join(timeout=10)
    assert directory_search(workspace, SearchParams(q="association")).count == 3


def test_territory_facet_drills_down_from_the_widest_level(workspace, referential, typologies):
    for name, code in [
        ("Oléron", "17093"),
        ("Aurillac", "15014"),
        ("Ally", "15003"),
        ("Saint-Denis", "93066"),
    ]:
        add_structure(workspace, f"Association de {name}", commune=commune(code))

    def territory(**params):
        return {
            v.value: v.count for v in directory_search(workspace, SearchParams(**params)).facets["territory"]
        }

    assert territory() == {"region:84": 2, "region:75": 1, "region:11": 1}
    assert territory(territory="region:84") == {"region:84": 2, "departement:15": 2}
    assert territory(territory="departement:15") == {
        "departement:15": 2,
        "epci:241500230": 1,
        "epci:241501139": 1,
    }
    assert territory(territory="epci:241500230") == {"epci:241500230": 1, "commune:15014": 1}
    assert territory(territory="commune:15014") == {"commune:15014": 1}
    labels = {v.value: v.label for v in directory_search(workspace, SearchParams()).facets["territory"]}
    assert labels["region:84"] == "Auvergne-Rhône-Alpes"
