"""The importer on the HCTS annex: the 12 actions inspirantes and their 18 fiche links come out of the seed."""

import pytest

from maillage.practices.importer import parse_document
from maillage.practices.masking import EMAIL, PHONE
from maillage.practices.models import Practice
from maillage.practices.services import SEED_ANNEX
from maillage.practices.tests.conftest import SEED_CONTACT_NAMES

INDEX_TITLES = [
    "Un ESAT pour personnes handicapées psychiques redonne vie à un village",
    "Un territoire se donne l’ambition de lutter contre l’isolement des séniors",
    "Les conseillers départementaux construisent leur politique d’insertion avec les personnes concernées",
    "L’ambition de mieux vivre dans un quartier devient l’ambition de tout un village",
    "Social, arts et culture au département de la Gironde",
    "Un territoire construit un parcours culturel avec les personnes accompagnées",
    "« Collectif du 14 rue Michelet »",
    "Les habitants d’un quartier se mobilisent dans une démarche « de mieux vivre ensemble »",
    "Développer un réseau départemental pour relever le défi de l’inclusion numérique",
    "D’une action collective ASE à une dynamique locale de prévention Enfance Jeunesse",
    "« RESPIRE » : Coulisses d’une action collective",
    "Expérimentation des conférences familiales en France",
]


@pytest.fixture(scope="module")
def parsed(django_db_setup, django_db_blocker):
    """Parsed once; the (empty) test database is only read: no place is resolved, referentials come from files."""
    with django_db_blocker.unblock():
        return parse_document(SEED_ANNEX.read_text(encoding="utf-8"), source_name=SEED_ANNEX.name)


def by_title(result, start):
    return next(p for p in result.practices if p.title.value.startswith(start))


def test_index_table_and_twelve_practices(parsed):
    assert parsed.split_by == "table d'index"
    assert [e.title for e in parsed.index] == INDEX_TITLES
    assert [p.title.value for p in parsed.practices] == INDEX_TITLES
    assert [p.page for p in parsed.practices] == [
        "P.4",
        "P.7",
        "P.11",
        "P.16",
        "P.21",
        "P.24",
        "P.29",
        "P.33",
        "P.37",
        "P.40",
        "P.44",
        "P.45",
    ]
    assert not parsed.warnings


def test_eighteen_fiche_links_from_the_index_table(parsed):
    links = [(p.title.value[:20], f.value) for p in parsed.practices for f in p.fiches]
    assert len(links) == 18
    assert [f.value for f in parsed.practices[1].fiches] == [3, 5, 6]
    assert [f.value for f in parsed.practices[6].fiches] == [6, 21]
    assert parsed.practices[1].fiches[0].note.startswith("table d'index : Fiche 3.")
    assert parsed.practices[1].fiches[0].passage.start == 15


def test_sections_recognised_in_every_written_up_practice(parsed):
    for practice in parsed.practices:
        if practice.title.value.startswith("« RESPIRE »"):  # a film: one text, no sections
            assert "Le film documentaire" in practice.fields["chapeau"].value
            continue
        for field in ("chapeau", "context", "actions", "evaluation", "illustration"):
            assert field in practice.fields, (practice.title.value, field)
        assert practice.transformations, practice.title.value


def test_passages_point_to_the_right_lines(parsed):
    esat = parsed.practices[0]
    context = esat.fields["context"]
    assert (context.passage.start, context.passage.end) == (155, 168)
    assert context.value.startswith("Sous l’impulsion des élus locaux")
    assert esat.fields["project_elected"].note == "rubrique « Place des élus »"
    assert esat.title.passage.start == 127
    viewpoints = [(t.value["viewpoint"], t.passage.start) for t in esat.transformations]
    assert viewpoints == [("habitants", 355), ("professionnels", 373), ("elus", 380)]


def test_a_title_printed_after_its_first_sections_still_starts_its_practice(parsed):
    """In the annex the title of "Les habitants d'un quartier…" comes after its context (a layout quirk)."""
    practice = parsed.practices[7]
    assert practice.start == 2891
    assert practice.fields["chapeau"].value.startswith("Dans l’attente du déploiement du projet urbain")
    assert practice.fields["context"].passage.start == 2914
    assert "se mobilisent dans" not in practice.fields["project"].value
    previous = parsed.practices[6]
    assert previous.end == 2890 and "Dans l’attente" not in previous.fields["sources"].value


def test_repères_box_is_read_and_the_text_flow_resumes(parsed):
    isolement = parsed.practices[1]
    assert isolement.fields["public"].value == "Personnes âgées de plus de 60 ans"
    assert isolement.fields["objectives"].value.startswith(
        "- Lutter contre l’isolement social des personnes âgées"
    )
    # After the box, the "Ces groupes, animés par les travailleurs sociaux MSA…" paragraph belongs to the project.
    assert "Le réseau Tiss’âges" in isolement.fields["project"].value
    reseau_ile = parsed.practices[3]
    assert reseau_ile.fields["action_name"].value == "réseau Ile"
    assert reseau_ile.fields["start_date"].value == {"date": "2004-01-01", "precision": "year"}


def test_figures_and_methods(parsed):
    reseau_ile = parsed.practices[3]
    figures = {(f.value["value"], f.value["unit"]) for f in reseau_ile.figures}
    assert ("120", "personnes") in figures
    assert ("6", "groupes") in figures  # "Six groupes projets ont été mis en place."
    assert ("36", "logements") in figures
    methods = {m.value for m in reseau_ile.methods}
    assert {"ateliers-de-l-avenir", "groupe-projet", "diagnostic-partage"} <= methods
    assert "dpa" in {m.value for m in parsed.practices[6].methods}
    assert {"porteurs-de-paroles", "groupe-paritaire"} <= {m.value for m in parsed.practices[2].methods}
    assert "conference-familiale" in {m.value for m in parsed.practices[11].methods}
    assert "analyse-chorale" in {m.value for m in parsed.practices[5].methods}
    assert ("1500", "€") in {(f.value["value"], f.value["unit"]) for f in parsed.practices[11].figures}


def test_contacts_are_kept_apart_and_masked_everywhere_else(parsed):
    esat = parsed.practices[0]
    assert "05 53 97 15 20" in esat.fields["contact"].value
    for practice in parsed.practices:
        shown = [str(p.value) for name, p in practice.fields.items() if name != "contact"]
        shown += [t.value["text"] for t in practice.transformations] + [practice.title.value]
        shown += [p.passage.excerpt for p in [*practice.fields.values(), *practice.figures] if p.passage]
        for text in shown:
            assert not EMAIL.search(text) and not PHONE.search(text), text
            for name in SEED_CONTACT_NAMES:
                assert name not in text, (practice.title.value, name)


def test_load_makes_12_published_national_practices_with_18_fiche_links(seed_practices):
    assert seed_practices.count() == 12
    assert all(p.workspace_id is None and p.is_public for p in seed_practices)
    assert Practice.fiches.through.objects.filter(practice__in=seed_practices).count() == 18
    reseau_ile = seed_practices.get(title__startswith="L’ambition de mieux vivre")
    assert list(reseau_ile.territories.values_list("code", flat=True)) == ["17093"]  # Le Château-d'Oléron
    assert reseau_ile.scale == Practice.Scale.LOCAL
    michelet = seed_practices.get(title="« Collectif du 14 rue Michelet »")
    assert "69" in michelet.territories.values_list(
        "code", flat=True
    )  # Rhône; the commune is not in the mini referential
    assert "Rillieux-la-Pape" in michelet.place_names
    assert reseau_ile.figures.filter(value=120, unit="personnes").exists()
    assert "Éric Berguio" not in str(Practice.objects.values_list("import_report", flat=True))


def test_load_is_idempotent(seed_practices):
    before = dict(seed_practices.values_list("slug", "pk"))
    from maillage.practices.services import practices_load_seed

    result = practices_load_seed()
    assert result["updated"] == 12 and result.get("created", 0) == 0
    assert dict(Practice.objects.values_list("slug", "pk")) == before
    assert Practice.fiches.through.objects.count() == 18
