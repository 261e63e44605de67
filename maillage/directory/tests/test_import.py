"""data·inclusion import: validation with the package, all-or-nothing, keep-valid, re-import, CSV, v0."""

import csv
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from maillage.directory.importers import import_datainclusion, parse_csv, read_records
from maillage.directory.models import Contact, ImportReport, Service, Structure
from maillage.directory.tests.conftest import VALID_SIRET

TODAY = "2025-02-14"


def structure(id_, **fields):
    return {"source": "dora", "id": id_, "nom": f"Structure {id_}", "date_maj": TODAY, **fields}


def service(id_, structure_id, **fields):
    return {
        "source": "dora",
        "id": id_,
        "structure_id": structure_id,
        "nom": f"Service {id_}",
        "description": "Un accompagnement pour les habitants.",
        "date_maj": TODAY,
        **fields,
    }


STRUCTURES = [
    structure(
        "dora--1",
        nom="CCAS du Château-d'Oléron",
        siret=VALID_SIRET,
        code_insee="17093",
        commune="Le Château-d'Oléron",
        code_postal="17480",
        adresse="Place de la République",
        telephone="0546000001",
        courriel="accueil@ccas.example.org",
        reseaux_porteurs=["ccas-cias"],
        horaires_accueil="Mo-Fr 09:00-12:00",
    ),
    structure("dora--2", nom="Centre social de Dolus", code_insee="17140", description="Un centre social."),
]
SERVICES = [
    service(
        "dora--s1",
        "dora--1",
        thematiques=["famille--soutien-aidants"],
        publics=["seniors"],
        zone_eligibilite=["17093", "241700624", "17", "99999"],
        modes_accueil=["en-presentiel"],
        frais="gratuit",
    ),
    service("dora--s2", "dora--2", zone_eligibilite=["france"]),
]
INVALID_STRUCTURE = structure("dora--bad", nom="AB", siret="13003013300017")
INVALID_SERVICE = service("dora--s3", "dora--404")


def run(workspace, structures, services, **kwargs):
    return import_datainclusion(
        actor=None, workspace=workspace, structures=structures, services=services, **kwargs
    )


def test_valid_file_is_imported(workspace, typologies, referential):
    result = run(workspace, STRUCTURES, SERVICES)
    assert result.written and not result.rejected
    assert result.counts["structures_created"] == 2 and result.counts["services_created"] == 2
    ccas = Structure.objects.get(source="dora", source_id="dora--1")
    assert ccas.commune.code == "17093" and ccas.siret == VALID_SIRET
    assert ccas.opening_hours == "Mo-Fr 09:00-12:00"
    assert [c.code for c in ccas.categories.all()] == ["organismes_publics.ccas"]  # from reseaux_porteurs
    assert {(c.kind, c.value, c.is_public) for c in Contact.objects.filter(structure=ccas)} == {
        ("phone", "0546000001", True),
        ("email", "accueil@ccas.example.org", True),
    }
    s1 = Service.objects.get(source_id="dora--s1")
    assert sorted(t.code for t in s1.zone_territories.all()) == ["17", "17093", "241700624"]
    assert any("99999" in w for w in result.warnings)
    assert Service.objects.get(source_id="dora--s2").zone_france
    assert " thematique=famille " in ccas.facet_tokens  # the search index is rebuilt
    report = ImportReport.objects.get()
    assert report.written and report.counts["services_valid"] == 2


def test_one_invalid_record_means_nothing_is_written(workspace, typologies, referential):
    result = run(workspace, [*STRUCTURES, INVALID_STRUCTURE], [*SERVICES, INVALID_SERVICE])
    assert not result.written
    assert not Structure.objects.exists() and not Service.objects.exists()
    reasons = {r.id: r.reason for r in result.rejected}
    assert reasons["dora--bad"] == "nom : trop court (au moins 3 caractères)"
    assert "structure « dora--404 » inconnue" in reasons["dora--s3"]
    report = ImportReport.objects.get()
    assert not report.written and len(report.rejected) == 2


def test_french_reasons_for_common_mistakes(workspace, typologies, referential):
    bad = [
        structure("a", siret="13003013300017"),
        structure("b", siret="123"),
        structure("c", date_maj="14/02/2025"),
        structure("d", courriel="pas-un-courriel", site_web="pas une url"),
        {"source": "dora", "nom": "Sans identifiant", "date_maj": TODAY},
        structure("a"),
    ]
    services = [service("s", "a", thematiques=["logement"], publics=["tous-publics", "jeunes"])]
    rejected = run(workspace, bad, services).rejected
    reasons = {r.id: r.reason for r in rejected}
    assert [(r.id, r.reason) for r in rejected if r.id == "a"] == [
        ("a", "siret : « 13003013300017 » a une clé de contrôle fausse (numéro SIRET inexistant)"),
        ("a", "identifiant en double dans le fichier"),
    ]
    assert reasons["b"] == "siret : « 123 » : format invalide (14 chiffres attendus)"
    assert "n'est pas une date valide (format AAAA-MM-JJ attendu)" in reasons["c"]
    assert "courriel valide" in reasons["d"] and "adresse web valide" in reasons["d"]
    assert reasons["ligne 5"] == "id : champ obligatoire manquant"
    assert "valeur inconnue « logement »" in reasons["s"] and "tous-publics" in reasons["s"]


def test_keep_valid_writes_the_valid_records(workspace, typologies, referential):
    result = run(workspace, [*STRUCTURES, INVALID_STRUCTURE], [*SERVICES, INVALID_SERVICE], keep_valid=True)
    assert result.written and len(result.rejected) == 2
    assert Structure.objects.count() == 2 and Service.objects.count() == 2


def test_services_of_a_rejected_structure_are_rejected(workspace, typologies, referential):
    result = run(workspace, [INVALID_STRUCTURE], [service("s9", "dora--bad")], keep_valid=True)
    assert {r.id: r.reason for r in result.rejected}[
        "s9"
    ] == "structure_id : sa structure « dora--bad » est rejetée"


def test_reimport_updates_instead_of_duplicating(workspace, typologies, referential):
    run(workspace, STRUCTURES, SERVICES)
    changed = [dict(STRUCTURES[0], nom="CCAS (nouveau nom)", telephone="0546000009"), STRUCTURES[1]]
    services = [dict(SERVICES[0], zone_eligibilite=["17140"]), SERVICES[1]]
    result = run(workspace, changed, services)
    assert result.counts["structures_created"] == 0 and result.counts["structures_updated"] == 2
    assert result.counts["services_created"] == 0 and result.counts["services_updated"] == 2
    assert Structure.objects.count() == 2 and Service.objects.count() == 2
    ccas = Structure.objects.get(source_id="dora--1")
    assert ccas.name == "CCAS (nouveau nom)" and ccas.contacts.get(kind="phone").value == "0546000009"
    assert [t.code for t in Service.objects.get(source_id="dora--s1").zone_territories.all()] == ["17140"]
    assert ccas.search_text.startswith(" ccas nouveau nom ")


def test_the_same_ids_in_two_workspaces_are_two_records(workspace, public_workspace, typologies, referential):
    run(workspace, STRUCTURES, SERVICES)
    run(public_workspace, STRUCTURES, SERVICES)
    assert Structure.objects.count() == 4


def _write_csv(path, records, fields):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, delimiter=";")
        writer.writeheader()
        for r in records:
            writer.writerow({k: ",".join(v) if isinstance(v, list) else v for k, v in r.items()})


def test_csv_files(workspace, typologies, referential, tmp_path):
    _write_csv(tmp_path / "structures.csv", STRUCTURES, sorted({k for r in STRUCTURES for k in r}))
    _write_csv(tmp_path / "services.csv", SERVICES, sorted({k for r in SERVICES for k in r}))
    structures = read_records(tmp_path / "structures.csv")
    services = read_records(tmp_path / "services.csv")
    assert structures[0]["reseaux_porteurs"] == ["ccas-cias"] and structures[1]["siret"] is None
    assert services[0]["zone_eligibilite"] == ["17093", "241700624", "17", "99999"]
    result = run(workspace, structures, services)
    assert result.written and result.counts["services_created"] == 2
    assert parse_csv('frais;nom\ngratuit;"A, B"\n') == [{"frais": "gratuit", "nom": "A, B"}]


V0_STRUCTURE = {
    "source": "cd35",
    "id": "mjc-13",
    "nom": "MJC de l'île",
    "date_maj": "2023-03-01T10:00:00+01:00",
    "presentation_resume": "Maison des jeunes.",
    "presentation_detail": "Maison des jeunes et de la culture : activités, accueil.",
    "typologie": "MJC",
    "labels_nationaux": ["aidants-connect", "inconnu"],
    "horaires_ouverture": "Mo-Fr 14:00-19:00",
    "code_insee": "17385",
    "telephone": "0546000003",
}
V0_SERVICE = {
    "source": "cd35",
    "id": "mjc-13-s1",
    "structure_id": "mjc-13",
    "nom": "Accueil jeunes",
    "presentation_resume": "Un accueil pour les 11-17 ans.",
    "date_maj": "2023-03-01T10:00:00+01:00",
    "types": ["accompagnement", "numerique"],
    "thematiques": ["famille--soutien-a-la-parentalite-et-a-leducation"],
    "frais": ["adhesion"],
    "frais_autres": "10 € par an",
    "profils": ["jeunes-16-26", "familles-enfants", "martiens"],
    "pre_requis": ["avoir entre 11 et 17 ans"],
    "modes_orientation_beneficiaire": ["se-presenter", "telephoner"],
    "modes_orientation_accompagnateur": ["envoyer-un-mail"],
    "zone_diffusion_type": "region",
    "zone_diffusion_code": "75",
    "telephone": "0546000004",
    "contact_public": False,
    "contact_nom_prenom": "Jean Dupont",
}


def test_v0_files_are_adapted(workspace, typologies, referential):
    result = run(workspace, [V0_STRUCTURE], [V0_SERVICE])
    assert result.schema_version == 0 and result.written, result.rejected
    mjc = Structure.objects.get(source_id="mjc-13")
    assert mjc.description == "Maison des jeunes.\n\nMaison des jeunes et de la culture : activités, accueil."
    assert mjc.opening_hours == "Mo-Fr 14:00-19:00"
    assert mjc.reseaux_porteurs == ["aidants-connect", "mjc"]
    s = Service.objects.get(source_id="mjc-13-s1")
    assert s.type == "accompagnement" and s.frais == "payant" and s.frais_precisions == "10 € par an"
    assert s.publics == ["familles", "jeunes"] and s.conditions_acces == "avoir entre 11 et 17 ans"
    assert s.modes_mobilisation == ["envoyer-un-courriel", "se-presenter", "telephoner"]
    assert s.mobilisable_par == ["professionnels", "usagers"]
    assert [t.code for t in s.zone_territories.all()] == [
        "17"
    ]  # région 75 → its départements in the referential
    assert not s.contact_public and s.telephone == "0546000004"
    assert "Jean Dupont" not in json.dumps(Service.objects.filter(pk=s.pk).values()[0], default=str)
    assert any("martiens" in w for w in result.warnings) and any("inconnu" in w for w in result.warnings)


def test_only_animators_import(workspace, typologies, paul, karim):
    with pytest.raises(PermissionDenied):
        import_datainclusion(actor=paul, workspace=workspace, structures=STRUCTURES, services=[])
    assert import_datainclusion(actor=karim, workspace=workspace, structures=[], services=[]).written


def test_command(workspace, typologies, referential, tmp_path):
    (tmp_path / "s.json").write_text(json.dumps([*STRUCTURES, INVALID_STRUCTURE]), encoding="utf-8")
    (tmp_path / "v.json").write_text(json.dumps(SERVICES), encoding="utf-8")
    args = [
        "--workspace",
        workspace.slug,
        "--structures",
        str(tmp_path / "s.json"),
        "--services",
        str(tmp_path / "v.json"),
    ]
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="Rien n'a été enregistré : 1 enregistrement"):
        call_command("import_datainclusion", *args, stdout=out, stderr=err)
    assert "REJET structure dora--bad : nom : trop court" in out.getvalue()
    assert not Structure.objects.exists()
    out = StringIO()
    call_command(
        "import_datainclusion", *args, "--keep-valid", "--source", "dora", stdout=out, stderr=StringIO()
    )
    assert "Import enregistré." in out.getvalue() and Structure.objects.count() == 2
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_datainclusion", "--workspace", "nope", "--structures", "x.json")
    (tmp_path / "broken.json").write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON valide"):
        call_command(
            "import_datainclusion",
            "--workspace",
            workspace.slug,
            "--structures",
            str(tmp_path / "broken.json"),
        )
