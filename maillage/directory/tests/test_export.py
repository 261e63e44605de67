"""data·inclusion export: valid against the package, public data only, re-importable without duplicates."""

import json

from data_inclusion.schema import v1 as di

from maillage.directory.exporters import SERVICE_FIELDS, STRUCTURE_FIELDS, export_datainclusion, to_csv
from maillage.directory.importers import import_datainclusion, parse_csv
from maillage.directory.models import Service, Structure
from maillage.directory.tests.conftest import add_structure


def test_export_is_valid_against_the_package(workspace, oleron):
    exported = export_datainclusion(workspace)
    assert len(exported["structures"]) == 3 and len(exported["services"]) == 2
    for record in exported["structures"]:
        di.Structure.model_validate(record)
    for record in exported["services"]:
        di.Service.model_validate(record)
    ccas = next(r for r in exported["structures"] if r["nom"] == "Centre communal d'action sociale")
    assert (
        ccas["source"] == f"maillage-{workspace.slug}"
        and ccas["id"] == f"maillage-{workspace.slug}--{oleron['ccas'].pk}"
    )
    assert ccas["telephone"] == "05 46 00 00 01" and "courriel" not in ccas  # the private e-mail stays home
    assert ccas["reseaux_porteurs"] == ["ccas-cias"]  # from its OUTIL 1 category
    assert ccas["code_insee"] == "17093" and ccas["commune"] == "Le Château-d'Oléron"
    services = {r["nom"]: r for r in exported["services"]}
    assert services["Ateliers parents-enfants"]["zone_eligibilite"] == ["241700624"]
    assert (
        services["Ateliers parents-enfants"]["structure_id"]
        == f"maillage-{workspace.slug}--{oleron['centre'].pk}"
    )


def test_invalid_optional_values_are_left_out_not_the_record(workspace, typologies):
    structure = add_structure(workspace, "Association", postal_code="1748")
    Structure.objects.filter(pk=structure.pk).update(website="notaurl")
    record = export_datainclusion(workspace)["structures"][0]
    assert record["nom"] == "Association" and "site_web" not in record and "code_postal" not in record


def test_export_then_reimport_updates_without_duplicates(workspace, oleron):
    exported = export_datainclusion(workspace)
    result = import_datainclusion(
        actor=None, workspace=workspace, structures=exported["structures"], services=exported["services"]
    )
    assert not result.rejected, result.rejected
    assert result.counts["structures_created"] == 0 and result.counts["structures_updated"] == 3
    assert result.counts["services_created"] == 0 and result.counts["services_updated"] == 2
    assert Structure.objects.count() == 3 and Service.objects.count() == 2
    # and a second export of the re-imported data is the same
    assert json.dumps(export_datainclusion(workspace)["services"]) == json.dumps(exported["services"])


def test_csv_export_reads_back(workspace, oleron):
    exported = export_datainclusion(workspace)
    text = to_csv(exported["services"], SERVICE_FIELDS)
    assert text.splitlines()[0].split(",")[:3] == SERVICE_FIELDS[:3]
    for record in parse_csv(text):
        di.Service.model_validate(record)
    structures = parse_csv(to_csv(exported["structures"], STRUCTURE_FIELDS))
    assert [s["reseaux_porteurs"] for s in structures if s["nom"].startswith("Centre communal")] == [
        ["ccas-cias"]
    ]
