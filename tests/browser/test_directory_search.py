"""Qui fait quoi: search the directory with a facet, open a structure, see who it works with. 0 axe violations."""

import re
from io import StringIO

from django.core.management import call_command

from maillage.directory.models import Category, LinkKind
from maillage.directory.services import (
    ContactInput,
    ServiceInput,
    StructureInput,
    link_create,
    service_create,
)
from maillage.directory.services import structure_create as create
from maillage.directory.tests.conftest import TYPOLOGIES
from maillage.territories.models import Territory
from maillage.territories.tests.conftest import FIXTURE_PATH
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login


def _directory(workspace):
    call_command("directory_load", "--path", str(TYPOLOGIES), stdout=StringIO())
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())
    dolus = Territory.objects.get(kind="commune", code="17140")
    chateau = Territory.objects.get(kind="commune", code="17093")
    centre = create(
        actor=None,
        workspace=workspace,
        data=StructureInput(
            name="Centre social de l'Île",
            legal_form="association",
            commune=dolus,
            address="Rue des Écoles",
            description="Un lieu d'accueil pour les familles, les jeunes et tous les habitants de l'île.",
            categories=[Category.objects.get(code="associations.sociales.centres_sociaux")],
            contacts=[ContactInput("phone", "01 99 00 00 01")],
        ),
    )
    caf = create(
        actor=None,
        workspace=workspace,
        data=StructureInput(
            name="Caisse d'allocations familiales",
            acronym="CAF",
            legal_form="securite_sociale",
            commune=Territory.objects.get(kind="commune", code="17385"),
            categories=[Category.objects.get(code="caisses.caf")],
        ),
    )
    create(
        actor=None,
        workspace=workspace,
        data=StructureInput(name="Centre communal d'action sociale", acronym="CCAS", commune=chateau),
    )
    service_create(
        actor=None,
        structure=centre,
        data=ServiceInput(
            nom="Ateliers parents-enfants",
            description="Des temps de jeu et d'échange entre parents et enfants.",
            thematiques=["famille--soutien-a-la-parentalite-et-a-leducation"],
            publics=["familles"],
            frais="gratuit",
        ),
    )
    link_create(
        actor=None,
        workspace=workspace,
        kind=LinkKind.objects.get(code="financeur"),
        source=caf,
        target=centre,
        scale="departemental",
        stage="mise_en_oeuvre",
    )


def test_search_with_a_facet_then_see_who_a_structure_works_with(page, workspace, karim):
    _directory(workspace)
    _login(page, "karim@example.org")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_role("heading", name=re.compile("Qui fait quoi"), level=1).wait_for()
    page.get_by_text("3 structures trouvées").wait_for()
    assert_accessible(page, context="directory search")

    page.get_by_label("Rechercher un acteur").fill("centre")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_text("2 structures trouvées").wait_for()
    assert_accessible(page, context="directory search with words")

    facets = page.get_by_role("complementary", name="Affiner")
    facets.get_by_role("link", name=re.compile(r"^Dolus-d'Oléron")).click()
    page.get_by_text("1 structure trouvée").wait_for()
    page.get_by_role("link", name=re.compile("Retirer le filtre Commune : Dolus-d'Oléron")).wait_for()
    assert page.get_by_label("Rechercher un acteur").input_value() == "centre"
    assert_accessible(page, context="directory search with a facet")

    page.get_by_role("link", name="Centre social de l'Île").click()
    page.get_by_role("heading", name="Centre social de l'Île", level=1).wait_for()
    page.get_by_role("heading", name="Avec qui travaille cette structure").wait_for()
    page.get_by_role("heading", name="Financée par").wait_for()
    page.get_by_role("link", name="Caisse d'allocations familiales").wait_for()
    page.get_by_role("heading", name="Ateliers parents-enfants").wait_for()
    page.get_by_role("heading", name="Qualité de la fiche").wait_for()  # karim is an animateur
    assert_accessible(page, context="structure detail")

    page.get_by_role("link", name="Caisse d'allocations familiales").click()
    page.get_by_role("heading", name="Finance").wait_for()
    assert_accessible(page, context="the funder's page")


def test_typing_updates_the_results_without_reloading(page, workspace, paul):
    _directory(workspace)
    _login(page, "paul@example.org")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_label("Rechercher un acteur").fill("allocations")
    page.get_by_text("1 structure trouvée").wait_for()
    page.wait_for_url(re.compile(r"q=allocations"))
    page.get_by_role("link", name="Caisse d'allocations familiales").wait_for()
    assert page.get_by_role("link", name="Ajouter une structure").count() == 0  # lecteur
    assert_accessible(page, context="directory search updated by htmx")


def test_add_a_structure_with_an_error_then_fixed(page, workspace, josiane):
    _directory(workspace)
    _login(page, "josiane@example.org")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_role("link", name="Ajouter une structure").click()
    assert_accessible(page, context="structure form")
    page.get_by_label(re.compile(r"^Nom \(obligatoire\)")).fill("Jardin partagé des Tilleuls")
    page.get_by_label("Numéro SIRET").fill("130 030 133 00017")
    page.get_by_role("button", name="Ajouter la structure").click()
    page.get_by_text("Le formulaire contient des erreurs").wait_for()
    assert_accessible(page, context="structure form with errors")
    page.get_by_label("Numéro SIRET").fill("130 030 133 00016")
    page.get_by_role("button", name="Ajouter la structure").click()
    page.get_by_role("heading", name="Jardin partagé des Tilleuls", level=1).wait_for()
    page.get_by_text("La structure « Jardin partagé des Tilleuls » est ajoutée.").wait_for()
    assert_accessible(page, context="new structure")
