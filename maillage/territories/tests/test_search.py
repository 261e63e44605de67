import pytest

from maillage.territories.models import Territory
from maillage.territories.normalize import build_search_text, parse_query
from maillage.territories.selectors import territory_search

Kind = Territory.Kind


def codes(query, **kwargs):
    return [t.code for t in territory_search(query, **kwargs)]


def first(query, **kwargs):
    results = territory_search(query, **kwargs)
    assert results, f"no result for {query!r}"
    return results[0]


def test_search_text_of_names():
    assert build_search_text("Le Château-d'Oléron") == " le chateau d oleron "
    assert build_search_text("St-Jean-d'Angély") == " saint jean d angely "
    assert build_search_text("Stes-Maries") == " saintes maries "
    assert build_search_text("CA du Bassin d'Aurillac", is_epci=True) == (
        " ca du bassin d aurillac | communaute d agglomeration du bassin d aurillac "
    )
    assert (
        build_search_text("CA du Bassin d'Aurillac") == " ca du bassin d aurillac "
    )  # only EPCI get the alias


def test_parse_query_offers_both_st_and_saint():
    parsed = parse_query("St-Denis")
    assert parsed.tokens == [("st", "saint"), ("denis",)]
    assert parsed.phrases == ("saint denis", "st denis")
    assert not parse_query(" -' ")


@pytest.mark.parametrize(
    ("query", "kind", "code"),
    [
        ("aurillac", Kind.COMMUNE, "15014"),
        ("AURILLAC", Kind.COMMUNE, "15014"),
        ("chateau d ol", Kind.COMMUNE, "17093"),
        ("15000", Kind.COMMUNE, "15014"),
        ("17093", Kind.COMMUNE, "17093"),
        ("cc de l ile d oleron", Kind.EPCI, "241700624"),
        ("CC de l'Île-d'Oléron", Kind.EPCI, "241700624"),
        ("communauté de communes de l'île d'oléron", Kind.EPCI, "241700624"),
        ("communaute de com ile oleron", Kind.EPCI, "241700624"),
        ("ÎLE-D'OLÉRON", Kind.EPCI, "241700624"),
        ("ca du bassin d aurillac", Kind.EPCI, "241500230"),
        ("saint-pierre d oleron", Kind.COMMUNE, "17385"),
        ("St Pierre d'Oléron", Kind.COMMUNE, "17385"),
        ("241700624", Kind.EPCI, "241700624"),
        ("15", Kind.DEPARTEMENT, "15"),
        ("2A", Kind.DEPARTEMENT, "2A"),
        ("2a", Kind.DEPARTEMENT, "2A"),
        ("971", Kind.DEPARTEMENT, "971"),
        ("stains", Kind.COMMUNE, "93072"),
        ("marseille", Kind.COMMUNE, "13055"),
        ("saint denis 93", Kind.COMMUNE, "93066"),
        ("13001", Kind.COMMUNE, "13055"),  # a postal code of Marseille: the commune before its arrondissement
    ],
)
def test_first_result(referential, query, kind, code):
    result = first(query)
    assert (result.kind, result.code) == (kind, code)


def test_postal_code_15000_finds_aurillac_then_its_neighbour(referential):
    assert codes("15000") == ["15014", "15267"]  # Aurillac, then Ytrac which shares 15000


def test_st_denis_finds_saint_denis_93066_in_the_top_three(referential):
    top = [(t.kind, t.code) for t in territory_search("st denis")[:3]]
    assert (Kind.COMMUNE, "93066") in top
    assert all(t.name == "Saint-Denis" for t in territory_search("st denis")[:3])


def test_st_matches_saint_and_words_starting_with_st(referential):
    found = set(codes("st"))
    assert {"93072", "93066", "97411", "17385"} <= found  # Stains and the Saint-… communes


def test_ste_foy_finds_sainte_foy_les_lyon(referential):
    assert first("ste foy").code == "69202"
    assert first("Sainte Foy lès Lyon").code == "69202"


def test_every_token_must_start_a_word(referential):
    assert codes("oleron chateau") == ["17093"]  # any order
    assert codes("leron") == []  # inside a word does not count
    assert codes("aurillac zzz") == []


def test_exact_name_ranks_before_longer_names(referential):
    assert codes("saint denis")[:2] == ["97411", "93066"]  # both exact; La Réunion's is the more populous
    assert "93039" in codes("saint denis")  # L'Île-Saint-Denis, further down


def test_communes_rank_before_communes_deleguees_of_the_same_name(referential):
    results = territory_search("saint denis")
    kinds = [t.kind for t in results if t.code == "93066"]
    assert kinds == [Kind.COMMUNE, Kind.COMMUNE_DELEGUEE]


def test_kinds_filter_and_limit(referential):
    assert codes("oleron", kinds=[Kind.EPCI]) == ["241700624"]
    assert len(territory_search("saint", limit=2)) == 2
    assert {t.kind for t in territory_search("a", kinds=[Kind.REGION, Kind.DEPARTEMENT])} <= {
        Kind.REGION,
        Kind.DEPARTEMENT,
    }


def test_code_01_finds_the_departement_then_the_region(referential):
    assert [(t.kind, t.code) for t in territory_search("01")] == [
        (Kind.DEPARTEMENT, "01"),
        (Kind.REGION, "01"),
    ]


def test_empty_or_punctuation_only_queries_find_nothing(referential, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert territory_search("") == []
        assert territory_search("  '-  ") == []


def test_search_is_one_query(referential, django_assert_num_queries):
    with django_assert_num_queries(1):
        territory_search("st denis")
