import json
import shutil

import pytest
from django.core.management import CommandError

from maillage.territories.loader import build_territories, load_referential, read_version
from maillage.territories.models import Perimeter, ReferentialLoad, Territory
from maillage.territories.tests.conftest import FIXTURE_PATH, load
from maillage.workspaces.services import workspace_create

Kind = Territory.Kind


def get(kind, code):
    return Territory.objects.get(kind=kind, code=code)


def test_load_counts_every_kind_and_records_the_version(db):
    output = load()
    assert "loaded @etalab/decoupage-administratif 6.0.0 (millésime 2026)" in output
    counts = {kind: Territory.objects.filter(kind=kind).count() for kind in Kind.values}
    assert counts == {
        "region": 7,
        "departement": 9,
        "epci": 8,
        "commune": 20,
        "commune_deleguee": 2,
        "commune_associee": 1,
        "arrondissement_municipal": 1,
    }
    assert "commune=20" in output and "epci=8" in output
    record = ReferentialLoad.objects.get()
    assert (record.version, record.millesime) == ("6.0.0", "2026")
    assert record.counts["total_rows"] == 48
    assert set(Territory.objects.values_list("millesime", flat=True)) == {"2026"}


def test_version_maps_to_millesime_and_unknown_versions_are_refused(tmp_path):
    assert read_version(FIXTURE_PATH) == ("6.0.0", "2026")
    (tmp_path / "package.json").write_text(json.dumps({"version": "9.1.0"}))
    with pytest.raises(Exception, match="9.1.0"):
        read_version(tmp_path)


def test_missing_package_is_a_clear_command_error(db, tmp_path):
    from django.core.management import call_command

    with pytest.raises(CommandError, match="npm ci"):
        call_command("territories_load", "--path", str(tmp_path / "nowhere"))


def test_epci_of_each_commune_comes_from_the_member_lists(referential):
    assert get(Kind.COMMUNE, "15014").epci_code == "241500230"
    oleron = Territory.objects.filter(kind=Kind.COMMUNE, epci_code="241700624")
    assert oleron.count() == 8
    assert "17093" in set(oleron.values_list("code", flat=True))


def test_communes_deleguees_associees_and_arrondissements_inherit_their_parent(referential):
    chastel = get(Kind.COMMUNE_DELEGUEE, "15044")  # commune déléguée of Murat
    assert (chastel.parent_commune_code, chastel.epci_code) == ("15138", get(Kind.COMMUNE, "15138").epci_code)
    assert chastel.epci_code
    drignac = get(Kind.COMMUNE_ASSOCIEE, "15062")  # commune associée of Ally
    assert (drignac.parent_commune_code, drignac.epci_code) == ("15003", "241501139")
    first = get(Kind.ARRONDISSEMENT_MUNICIPAL, "13201")
    assert (first.parent_commune_code, first.epci_code) == ("13055", "200054807")
    assert first.postal_codes == "13001"


def test_populations_subkinds_postal_codes_and_parents(referential):
    aurillac = get(Kind.COMMUNE, "15014")
    assert (aurillac.population, aurillac.postal_codes) == (26214, "15000")
    assert (aurillac.departement_code, aurillac.region_code) == ("15", "84")
    assert get(Kind.COMMUNE, "93066").postal_codes == "93200 93210 93380"
    assert get(Kind.COMMUNE_DELEGUEE, "93066").population is None
    epci = get(Kind.EPCI, "241700624")
    assert (epci.subkind, epci.population) == (
        "CC",
        22518,
    )  # populationMunicipale (22 890 is populationTotale)
    assert (epci.departement_code, epci.region_code) == ("17", "75")  # all its communes are in 17
    assert get(Kind.EPCI, "200046977").subkind == "MET69"
    # Départements and régions: the sum of their communes (kind commune only).
    cantal = get(Kind.DEPARTEMENT, "15")
    communes = Territory.objects.filter(kind=Kind.COMMUNE, departement_code="15")
    assert cantal.population == sum(c.population for c in communes)
    assert cantal.region_code == "84"
    assert get(Kind.REGION, "84").population == sum(
        Territory.objects.filter(kind=Kind.COMMUNE, region_code="84").values_list("population", flat=True)
    )
    assert get(Kind.DEPARTEMENT, "2A").population is None  # no commune of Corse-du-Sud in the fixture


def test_search_text_is_folded_and_expanded(referential):
    assert get(Kind.COMMUNE, "17093").search_text == " le chateau d oleron "
    assert get(Kind.EPCI, "241700624").search_text == (
        " cc de l ile d oleron | communaute de communes de l ile d oleron "
    )


def test_second_run_says_already_loaded_and_writes_nothing(referential):
    assert "already loaded" in load()
    assert ReferentialLoad.objects.count() == 1


def test_force_reloads_in_place_keeping_primary_keys(referential):
    pk = get(Kind.COMMUNE, "17093").pk
    Territory.objects.filter(pk=pk).update(name="Altéré", population=1)
    assert "already loaded" in load()  # same version, same row count: nothing to do
    assert "loaded" in load("--force")
    commune = get(Kind.COMMUNE, "17093")
    assert (commune.pk, commune.name, commune.population) == (pk, "Le Château-d'Oléron", 4366)
    assert ReferentialLoad.objects.count() == 2


def test_vanished_rows_are_deleted_unless_referenced(referential, alice):
    gone = Territory.objects.create(kind=Kind.COMMUNE, code="99998", name="Disparue", millesime="2025")
    used_by_workspace = Territory.objects.create(
        kind=Kind.COMMUNE, code="99997", name="Fusionnée", millesime="2025"
    )
    used_by_perimeter = Territory.objects.create(
        kind=Kind.COMMUNE, code="99996", name="Ancienne", millesime="2025"
    )
    workspace_create(name="Espace ancien", creator=alice, territory=used_by_workspace)
    Perimeter.objects.create(name="Vieux quartier", kind="quartier").communes.add(used_by_perimeter)

    result = load_referential(path=FIXTURE_PATH)  # the row count changed: reload

    assert not result.skipped
    assert (result.deleted, result.kept_obsolete) == (1, 2)
    assert not Territory.objects.filter(pk=gone.pk).exists()
    assert Territory.objects.filter(pk__in=[used_by_workspace.pk, used_by_perimeter.pk]).count() == 2
    assert "already loaded" in load()


def test_a_new_package_version_triggers_a_reload(referential, tmp_path):
    package = tmp_path / "decoupage-administratif"
    shutil.copytree(FIXTURE_PATH, package)
    meta = json.loads((package / "package.json").read_text())
    (package / "package.json").write_text(json.dumps({**meta, "version": "6.1.0"}))
    result = load_referential(path=package)
    assert not result.skipped and result.version == "6.1.0"
    assert ReferentialLoad.objects.first().version == "6.1.0"


def test_build_territories_does_not_touch_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        rows = build_territories(FIXTURE_PATH, "2026")
    assert len(rows) == 48
