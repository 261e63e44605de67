"""The référentiels shipped as data: counts, titles as the seeds give them, idempotent loading."""

import json

import pytest
from django.core.management import call_command

from maillage.practices import referentials_build
from maillage.practices.importer import parse_index_table, read_lines
from maillage.practices.models import (
    Fiche,
    Fundamental,
    Lever,
    Method,
    Obstacle,
    Proposal,
    Recommendation,
    WorkModel,
)
from maillage.practices.services import DATA, SEED_ANNEX, referentials_load

pytestmark = pytest.mark.django_db


def test_counts_after_loading(referentials):
    assert sorted(Fiche.objects.values_list("number", flat=True)) == [1, 3, 4, 5, 6, 17, 18, 19, 21, 23]
    assert Lever.objects.count() == 6
    assert Proposal.objects.count() == 24
    assert Obstacle.objects.count() == 7
    assert WorkModel.objects.count() == 4
    assert Fundamental.objects.count() == 7
    assert Recommendation.objects.count() == 95
    assert set(Recommendation.objects.values_list("category", flat=True)) == {
        "Rendre effective la participation de l'usager",
        "Repenser les pratiques professionnelles",
        "Renforcer les organisations internes et le portage institutionnel",
    }
    slugs = set(Method.objects.values_list("slug", flat=True))
    for required in [
        "ateliers-de-l-avenir",
        "dpa",
        "conference-familiale",
        "porteurs-de-paroles",
        "groupe-paritaire",
        "analyse-chorale",
        "co-formation",
        "recherche-action",
        "theatre-forum",
    ]:
        assert required in slugs


def test_every_entry_cites_its_source(referentials):
    for model in (Fiche, Lever, Proposal, Obstacle, WorkModel, Fundamental, Recommendation):
        for entry in model.objects.all():
            assert entry.source_seed.endswith(".txt") and entry.source_lines, entry
    for method in Method.objects.all():
        assert method.sources and all(s["seed"].endswith(".txt") and s["lines"] for s in method.sources)
        assert len(method.definition) > 60


def test_proposals_are_attached_to_the_lever_that_develops_them(referentials):
    by_lever = {
        lv.number: sorted(lv.proposals.values_list("number", flat=True)) for lv in Lever.objects.all()
    }
    assert by_lever == {
        1: [1, 2, 3, 4],
        2: [5, 6, 7, 8],
        3: [9, 10, 11, 12],
        4: [13, 14, 15, 16],
        5: [17, 18, 19, 20],
        6: [21, 22, 23, 24],
    }
    assert Lever.objects.get(number=4).title.startswith("Éviter de toujours recommencer")
    assert Proposal.objects.get(number=6).source_lines == "1010"  # "…éviter les saisies successives…"


def test_fundamentals_are_the_seven_of_caprural(referentials):
    assert list(Fundamental.objects.values_list("title", flat=True)) == [
        "Participation citoyenne",
        "Portage politique",
        "Transversalité",
        "Pilotage de la démarche",
        "Travail social collectif",
        "Diagnostic participatif et transversal",
        "Évaluation du processus et des impacts",
    ]


def test_fiche_titles_are_those_of_the_annex_index_table(referentials):
    index, _end = parse_index_table(read_lines(SEED_ANNEX.read_text(encoding="utf-8")))
    from_annex = {number: title for entry in index for number, title in entry.fiches}
    assert from_annex == dict(Fiche.objects.values_list("number", "title"))


def test_loading_twice_changes_nothing_and_keeps_admin_edits(referentials):
    fiche = Fiche.objects.get(number=3)
    fiche.description = "Texte revu par l'administratrice."
    fiche.is_customised = True
    fiche.save()
    counts = referentials_load()
    assert counts["kept_customised"] == 1 and "created" not in counts
    assert Fiche.objects.get(number=3).description == "Texte revu par l'administratrice."
    assert Recommendation.objects.count() == 95


def test_load_command_referentials_only(db, capsys):
    call_command("practices_load", "--referentials-only")
    assert "171 created" in capsys.readouterr().out
    assert Fiche.objects.count() == 10


def test_generated_files_are_reproducible_from_the_seed():
    """levers.json, obstacles.json and recommendations.json are what referentials_build.py makes of the seed."""
    lines = referentials_build._lines(referentials_build.DEFAULT_SEEDS / referentials_build.EGTS)
    assert referentials_build.build_levers(lines) == json.loads(
        (DATA / "levers.json").read_text(encoding="utf-8")
    )
    assert referentials_build.build_obstacles(lines) == json.loads(
        (DATA / "obstacles.json").read_text(encoding="utf-8")
    )
    assert referentials_build.build_recommendations(lines) == json.loads(
        (DATA / "recommendations.json").read_text(encoding="utf-8")
    )


def test_recommendations_keep_their_text_and_contributor(referentials):
    first = Recommendation.objects.get(number=1)
    assert first.preconisation == "Co-construire un projet avec les personnes"
    assert first.levers.startswith("Adopter une approche positive")
    assert first.contributor.startswith("ATD Quart Monde")
    evaluation = Recommendation.objects.filter(theme="L’évaluation")
    assert evaluation.count() == 4
