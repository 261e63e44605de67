"""The whole official referential, from node_modules (installed by `make test` / `make setup`): ~3 s."""

from maillage.territories.loader import DEFAULT_PATH, load_referential
from maillage.territories.models import Territory
from maillage.territories.selectors import territory_search

Kind = Territory.Kind


def top(query, n=1):
    return [(t.kind, t.code) for t in territory_search(query)[:n]]


def test_real_package_loads_and_the_search_examples_hold(db):
    assert (DEFAULT_PATH / "package.json").exists(), (
        f"{DEFAULT_PATH} is missing: run `npm ci` (or `make test`, which installs node_modules) before pytest."
    )
    result = load_referential()
    counts = result.counts
    assert counts["commune"] > 34000
    assert counts["epci"] > 1200
    assert counts["departement"] >= 101 and counts["region"] >= 18
    assert counts["commune_deleguee"] > 1000 and counts["arrondissement_municipal"] == 45
    overseas_collectivities = ["975", "977", "978", "984", "986", "987", "988", "989"]
    without_epci = Territory.objects.filter(kind=Kind.COMMUNE, epci_code="").exclude(
        departement_code__in=overseas_collectivities
    )
    # Only the four single-commune islands (Yeu, Ouessant, Bréhat, Sein) belong to no EPCI.
    assert set(without_epci.values_list("code", flat=True)) == {"85113", "29155", "22016", "29083"}
    assert load_referential().skipped

    assert top("aurillac") == [(Kind.COMMUNE, "15014")]
    assert top("chateau d ol") == [(Kind.COMMUNE, "17093")]
    assert top("15000") == [(Kind.COMMUNE, "15014")]
    assert top("17093") == [(Kind.COMMUNE, "17093")]
    assert top("cc de l ile d oleron") == [(Kind.EPCI, "241700624")]
    assert top("communauté de communes de l'île d'oléron") == [(Kind.EPCI, "241700624")]
    assert top("ÎLE-D'OLÉRON") == [(Kind.EPCI, "241700624")]
    assert top("saint-pierre d oleron") == [(Kind.COMMUNE, "17385")]
    assert (Kind.COMMUNE, "93066") in top("st denis", 3)
    assert (Kind.COMMUNE, "69202") in top("ste foy", 20)
    assert {(Kind.COMMUNE, "67482"), (Kind.COMMUNE, "42218")} <= set(
        top("st", 5)
    )  # Strasbourg, Saint-Étienne
    assert top("stains") == [(Kind.COMMUNE, "93072")]
    assert top("15") == [(Kind.DEPARTEMENT, "15")]
    assert top("2A") == [(Kind.DEPARTEMENT, "2A")]
    assert top("971") == [(Kind.DEPARTEMENT, "971")]
    assert top("241700624") == [(Kind.EPCI, "241700624")]
    assert top("saint denis 93") == [(Kind.COMMUNE, "93066")]
    assert top("paris", 2) == [(Kind.COMMUNE, "75056"), (Kind.DEPARTEMENT, "75")]
