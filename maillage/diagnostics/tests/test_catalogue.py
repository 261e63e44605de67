import json
from io import StringIO

from django.core.management import call_command

from maillage.diagnostics.models import Indicator
from maillage.diagnostics.services import DEFAULT_CATALOGUE, indicators_load

ISSUE_INDICATORS = {
    "population",
    "part_0_14",
    "part_75_plus",
    "taux_pauvrete",
    "revenu_median",
    "part_familles_monoparentales",
    "part_personnes_seules",
    "taux_chomage",
    "taux_chomage_femmes",
    "taux_emploi",
    "taux_emploi_femmes",
    "demandeurs_emploi_abc",
    "part_jeunes_non_inseres",
    "part_peu_diplomes",
    "allocataires_bas_revenus",
    "allocataires_rsa",
    "part_population_c2s",
    "part_locataires_hlm",
}


def test_load_is_idempotent(db):
    out = StringIO()
    call_command("indicators_load", stdout=out)
    assert "34 created" in out.getvalue()
    first = {i.code: (i.pk, i.label) for i in Indicator.objects.all()}
    out = StringIO()
    call_command("indicators_load", stdout=out)
    assert "0 created, 0 updated, 34 unchanged" in out.getvalue()
    assert {i.code: (i.pk, i.label) for i in Indicator.objects.all()} == first


def test_load_updates_changed_entries_and_keeps_removed_ones(db, tmp_path):
    indicators_load()
    data = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    data["indicators"][0]["label"] = "Population (nouvel intitulé)"
    del data["indicators"][1]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    counts = indicators_load(path=path)
    assert counts == {"created": 0, "updated": 1, "unchanged": 32}
    assert Indicator.objects.get(code="population").label == "Population (nouvel intitulé)"
    assert Indicator.objects.count() == 34


def test_catalogue_covers_the_issue_and_is_complete(catalogue):
    codes = set(catalogue.values_list("code", flat=True))
    assert codes >= ISSUE_INDICATORS
    assert 25 <= len(codes) <= 35
    for indicator in catalogue.all():
        assert len(indicator.definition) > 80, indicator.code
        assert indicator.source and indicator.licence and indicator.unit, indicator.code
        if indicator.aggregation == Indicator.Aggregation.RATIO:
            assert indicator.numerator_label and indicator.denominator_label, indicator.code
            assert indicator.scale in (1, 100), indicator.code
        if indicator.statistical_secrecy:
            assert indicator.secrecy_note, indicator.code
    # Medians and inequality ratios never add up.
    assert catalogue.get(code="revenu_median").aggregation == Indicator.Aggregation.NONE
    assert catalogue.get(code="rapport_interdecile").aggregation == Indicator.Aggregation.NONE
    assert catalogue.get(code="population").aggregation == Indicator.Aggregation.SUM
    assert catalogue.get(code="taux_pauvrete").better == Indicator.Direction.LOWER


def test_shipped_data_cites_its_sources():
    data = json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    assert "../shared/seeds/politique-de-la-ville-demain-occitanie-2020.txt lines 431-445" in data["source"]
