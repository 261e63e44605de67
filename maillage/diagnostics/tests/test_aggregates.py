"""Computed values ("calculé"): sum, ratio of sums, never for medians, only with complete coverage."""

from decimal import Decimal

from maillage.diagnostics.models import Observation
from maillage.diagnostics.services import observations_aggregate
from maillage.territories.models import Perimeter, Territory

from .conftest import OLERON, OLERON_EPCI, import_text, territory

POPULATION = {
    "17093": 4366,
    "17140": 3199,
    "17323": 1358,
    "17337": 4067,
    "17385": 6633,
    "17411": 1121,
    "17485": 1108,
    "17486": 716,
}


def computed(**filters):
    return Observation.objects.filter(is_computed=True, **filters)


def rows(*codes, year=2021, value=lambda c: POPULATION[c]):
    return "".join(f"{c};{year};{value(c)}\n" for c in codes)


def test_sum_for_epci_departement_and_region(observatory, write_csv):
    batch = import_text(write_csv, "codgeo;an;population\n" + rows(*OLERON))
    total = sum(POPULATION.values())
    epci = computed(territory__code=OLERON_EPCI).get()
    assert (epci.value, epci.year, epci.period, epci.numerator) == (total, 2021, "2021", None)
    # Département 17 has exactly these 8 communes in the mini referential, région 75 only département 17.
    assert computed(territory=territory("departement", "17")).get().value == total
    assert computed(territory=territory("region", "75")).get().value == total
    # France needs all its régions: not computed.
    assert not computed(is_france=True).exists()
    assert batch.report["aggregates"]["population"] == 3


def test_ratio_of_sums_never_averages_rates(observatory, write_csv):
    text = "codgeo;an;taux_pauvrete_num;taux_pauvrete_den\n" + rows(
        *OLERON, value=lambda c: f"{POPULATION[c] // 10};{POPULATION[c]}"
    )
    import_text(write_csv, text)
    epci = computed(territory__code=OLERON_EPCI).get()
    numerator = sum(p // 10 for p in POPULATION.values())
    denominator = sum(POPULATION.values())
    assert (epci.numerator, epci.denominator) == (numerator, denominator)
    assert epci.value == (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.0001"))


def test_ratio_without_numerators_is_not_computed(observatory, write_csv):
    import_text(write_csv, "codgeo;an;taux_pauvrete\n" + rows(*OLERON, value=lambda c: "12,5"))
    assert not computed().exists()


def test_not_aggregable_is_never_computed(observatory, write_csv):
    import_text(write_csv, "codgeo;an;revenu_median\n" + rows(*OLERON, value=lambda c: 21000))
    assert Observation.objects.filter(is_computed=False).count() == 8
    assert not computed().exists()


def test_incomplete_coverage_computes_nothing(observatory, write_csv):
    """One commune hidden by statistical secrecy: no total, so the hidden value cannot be deduced."""
    text = "codgeo;an;population\n" + rows(*OLERON[:-1]) + f"{OLERON[-1]};2021;s\n"
    batch = import_text(write_csv, text)
    assert batch.report["secret_cells"] == 1
    assert not computed().exists()


def test_official_value_wins_and_replaces_a_computed_one(observatory, write_csv):
    import_text(write_csv, "codgeo;an;population\n" + rows(*OLERON))
    assert computed(territory__code=OLERON_EPCI).exists()
    import_text(write_csv, f"codgeo;an;population\n{OLERON_EPCI};2021;22570\n")
    official = Observation.objects.get(territory__code=OLERON_EPCI)
    assert (official.value, official.is_computed) == (22570, False)
    # The département is still computed from its communes.
    assert computed(territory=territory("departement", "17")).exists()


def test_perimeter_from_its_communes(observatory, write_csv):
    perimeter = Perimeter.objects.create(name="Nord de l'île", kind=Perimeter.Kind.AUTRE)
    perimeter.communes.set(Territory.objects.filter(kind="commune", code__in=["17093", "17140"]))
    half = Perimeter.objects.create(name="Avec une commune sans donnée", kind=Perimeter.Kind.AUTRE)
    half.communes.set(Territory.objects.filter(kind="commune", code__in=["17093", "15014"]))
    import_text(write_csv, "codgeo;an;population\n" + rows(*OLERON))
    assert computed(perimeter=perimeter).get().value == 4366 + 3199
    assert not computed(perimeter=half).exists()


def test_france_from_all_its_regions(observatory, write_csv):
    regions = list(Territory.objects.filter(kind="region").values_list("code", flat=True))
    text = "codgeo;an;population\n" + "".join(f"{code};2021;{1000 + i}\n" for i, code in enumerate(regions))
    import_text(write_csv, text, level="region")
    france = computed(is_france=True).get()
    assert france.value == sum(1000 + i for i in range(len(regions)))


def test_aggregate_command_recomputes(observatory, write_csv):
    import_text(write_csv, "codgeo;an;population\n" + rows(*OLERON))
    computed().delete()
    assert observations_aggregate(indicator_codes=["population"]) == {"population": 3}
    assert computed().count() == 3
