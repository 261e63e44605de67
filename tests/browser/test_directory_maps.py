"""Cartes d'acteurs (OUTIL 4) in the browser: build a map with the wizard and see the inclusivity check and the
graph; two people contribute to the same map at once and see each other's proposals. 0 axe violations."""

import re

from maillage.directory.models import ActorMap
from tests.browser.conftest import assert_accessible
from tests.browser.test_directory_search import _directory
from tests.browser.test_foundation_journeys import _login


def test_build_an_actor_map_with_the_wizard(page, workspace, karim):
    _directory(workspace)
    _login(page, "karim@example.org")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_role("link", name="Cartes d'acteurs").click()
    assert_accessible(page, context="actor maps list")
    page.get_by_role("link", name="Construire une nouvelle carte").click()
    page.get_by_label("Nom de la carte").fill("Soutien aux familles de l'île")
    page.get_by_label("À quoi va servir cette carte ?").fill("Préparer la convention territoriale globale.")
    page.get_by_label("Nom de la catégorie 5").fill("Élus")
    page.get_by_label("Couleur de la catégorie 5").fill("#fde047")  # too light on white
    assert_accessible(page, context="wizard step 1")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_text(re.compile("trop claire sur fond blanc")).first.wait_for()
    assert_accessible(page, context="wizard step 1 with a contrast error")
    page.get_by_label("Couleur de la catégorie 5").fill("#9d174d")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.get_by_role("heading", name="Quel est votre périmètre de travail ?").wait_for()
    page.get_by_label("Quel est votre périmètre de travail ?").fill("241700624")
    assert_accessible(page, context="wizard step 2")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Les dispositifs et actions clés").wait_for()
    assert_accessible(page, context="wizard step 3")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    page.get_by_role("heading", name="Les acteurs impliqués").wait_for()
    for name, legend in (
        ("Centre social de l'Île", "Porteurs de projet"),
        ("Caisse d'allocations familiales", "Financeurs"),
    ):
        page.get_by_label("Quel acteur ?").select_option(label=name)
        page.get_by_label("Catégorie sur la carte").select_option(label=legend)
        page.get_by_label("Type d'intervention").select_option(
            label="Financement" if legend == "Financeurs" else "Animation"
        )
        page.get_by_role("button", name="Ajouter l'acteur").click()
        page.get_by_text(f"« {name} » est sur la carte.").wait_for()
    assert_accessible(page, context="wizard step 4")
    page.get_by_role("button", name="Continuer : les liens").click()

    page.get_by_role("heading", name="Les liens entre les acteurs").wait_for()
    page.get_by_role("button", name="Reprendre les liens déjà connus de l'annuaire").click()
    page.get_by_text("1 liens connus de l'annuaire ajoutés à la carte.").wait_for()
    assert_accessible(page, context="wizard step 5")
    page.get_by_role("button", name="Continuer : les réseaux").click()
    page.get_by_role("heading", name="Les réseaux des acteurs").wait_for()
    assert_accessible(page, context="wizard step 6")
    page.get_by_role("button", name="Terminer la carte").click()

    page.get_by_role("heading", name="Soutien aux familles de l'île", level=1).wait_for()
    inclusivity = page.locator(".directory-inclusivity")
    inclusivity.get_by_role("heading", name="Qui manque sur la carte ?").wait_for()
    inclusivity.get_by_text("Collectivités territoriales").wait_for()
    inclusivity.get_by_text("Habitants").wait_for()
    page.locator("#graph[data-ready='2']").wait_for()
    page.get_by_label("Disposition").select_option("concentric")
    page.locator("#graph-legend").get_by_text("Porteurs de projet").wait_for()
    page.get_by_label("Couleurs").select_option("category")
    page.locator("#graph-legend").get_by_text("Associations et structures").wait_for()
    page.get_by_label("Voir les voisins de").select_option(label="Caisse d'allocations familiales")
    page.get_by_role("table").get_by_text("financeur de Centre social de l'Île").wait_for()
    with page.expect_download() as png:
        page.get_by_role("button", name="Télécharger l'image (PNG)").click()
    with open(png.value.path(), "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as svg:
        page.get_by_role("link", name="image (SVG)").click()
    with open(svg.value.path(), encoding="utf-8") as handle:
        assert handle.read().count("<circle") == 2
    assert_accessible(page, context="actor map page with the graph")
    token = ActorMap.objects.get().share_token
    page.goto(f"/annuaire/carte-partagee/{token}/")
    page.locator("#graph[data-ready='2']").wait_for()
    assert page.get_by_role("link", name=re.compile("Proposer")).count() == 0
    assert_accessible(page, context="shared actor map")


def test_two_people_edit_the_same_map(new_page, workspace, karim, josiane):
    _directory(workspace)
    from maillage.directory import maps
    from maillage.directory.models import Structure

    actor_map = maps.actor_map_create(actor=karim, workspace=workspace, name="Cartopartie de l'île")
    maps.member_add(actor=karim, actor_map=actor_map, record=Structure.objects.get(acronym="CAF"))
    url = f"/annuaire/{workspace.slug}/cartes/{actor_map.pk}/contribuer/"
    animator, inhabitant = new_page(), new_page()
    _login(animator, "karim@example.org")
    _login(inhabitant, "josiane@example.org")
    animator.goto(url)
    inhabitant.goto(url)
    assert_accessible(inhabitant, context="cartopartie page (habitante)")

    inhabitant.get_by_label("Quel acteur ?").select_option(label="Centre social de l'Île")
    inhabitant.get_by_label("Thème d'intervention").fill("parentalité")
    inhabitant.get_by_role("button", name="Proposer l'acteur").click()
    inhabitant.get_by_text(re.compile("est proposé : un animateur")).wait_for()

    items = animator.locator("#map-items")
    # Refreshed without reloading the page:
    items.get_by_text("Centre social de l'Île", exact=True).wait_for(timeout=15000)
    assert_accessible(animator, context="cartopartie page (animateur) with a proposal")
    animator.get_by_role("button", name="Valider : Centre social de l'Île").click()
    animator.get_by_role("button", name="Valider : Centre social de l'Île").wait_for(state="detached")

    animator.get_by_label("Quel acteur ?").select_option(label="Centre communal d'action sociale")
    animator.get_by_role("button", name="Ajouter l'acteur").click()
    other_items = inhabitant.locator("#map-items")
    other_items.get_by_text("Centre communal d'action sociale", exact=True).wait_for(timeout=15000)
    assert inhabitant.locator("#map-items .badge").count() == 0  # her proposal was validated meanwhile
    assert_accessible(inhabitant, context="cartopartie page after the animator's changes")
