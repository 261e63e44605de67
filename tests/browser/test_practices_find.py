"""Finding the seed practices (the 12 actions inspirantes of the HCTS annex) by fiche, by method and by free
text, opening one, on a computer and on a phone; 0 axe-core violations on every page visited."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from maillage.territories.tests.conftest import FIXTURE_PATH
from tests.browser.conftest import assert_accessible


@pytest.fixture
def library(db):
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())
    call_command("practices_load", stdout=StringIO())


def test_find_by_fiche_then_open_a_practice(page, library):
    page.goto("/pratiques/")
    page.get_by_role("heading", name="Pratiques inspirantes", level=1).wait_for()
    page.get_by_text("12 pratiques trouvées").wait_for()
    assert_accessible(page, context="practices list")
    page.get_by_label("Fiche du guide").select_option("23")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_text("1 pratique trouvée").wait_for()
    assert_accessible(page, context="practices filtered by fiche 23")
    page.get_by_role("link", name="Expérimentation des conférences familiales en France").click()
    page.get_by_role(
        "heading", name="Expérimentation des conférences familiales en France", level=1
    ).wait_for()
    page.get_by_role("heading", name="Les transformations produites").wait_for()
    assert page.get_by_role("link", name="Fiche 23. Les conférences familiales").is_visible()
    assert "05 " not in page.locator("main").inner_text()  # no phone number of the contacts
    assert_accessible(page, context="practice detail")


def test_find_by_method_from_the_methods_page(page, library):
    page.goto("/pratiques/referentiels/")
    assert_accessible(page, context="référentiels")
    page.get_by_role("link", name="Méthodes du travail collectif").click()
    page.get_by_role("heading", name="Ateliers de l'Avenir").wait_for()
    assert_accessible(page, context="methods")
    page.get_by_role("link", name=re.compile("utilise « Ateliers de l'Avenir »")).click()
    page.get_by_text("1 pratique trouvée").wait_for()
    assert page.get_by_label("Méthode", exact=True).input_value() == "ateliers-de-l-avenir"
    assert_accessible(page, context="practices filtered by method")
    page.get_by_role("link", name=re.compile("L’ambition de mieux vivre dans un quartier")).click()
    page.get_by_role("heading", name="Participation citoyenne").wait_for()
    assert page.get_by_text("Le Château-d'Oléron").first.is_visible()
    assert_accessible(page, context="réseau Ile")


def test_find_by_free_text_with_highlights_and_spelling_variants(page, library):
    page.goto("/pratiques/")
    page.get_by_label("Chercher une pratique").fill("isolement aînés")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_text("1 pratique trouvée").wait_for()
    assert page.locator("mark").count() >= 2
    assert_accessible(page, context="free-text results")
    page.get_by_label("Chercher une pratique").fill("co-voiturage")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_text(re.compile(r"\d+ pratiques? trouvées?")).wait_for()
    assert page.get_by_role("link", name=re.compile("parcours culturel")).is_visible()
    page.get_by_label("Chercher une pratique").fill("licorne volante")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_text("Aucune pratique ne correspond.").wait_for()
    assert_accessible(page, context="no result")


def test_summary_card_on_a_phone(new_page, library):
    phone = new_page(mobile=True)
    phone.goto("/pratiques/?q=conférences+familiales")
    phone.get_by_role("link", name="Expérimentation des conférences familiales en France").click()
    phone.get_by_role("link", name="Fiche courte (téléphone)").click()
    phone.get_by_role("heading", name="En bref").wait_for()
    phone.get_by_text("Pour qui ?").wait_for()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"horizontal scroll on a 360 px phone: {width}px"
    assert_accessible(phone, context="summary card on a phone")


def test_referential_pages_are_accessible(page, library):
    for path in ["/pratiques/referentiels/fiches/", "/pratiques/referentiels/leviers/"]:
        page.goto(path)
        assert_accessible(page, context=path)
    page.goto("/pratiques/referentiels/recommandations/")
    page.get_by_label("Chercher dans les préconisations").fill("évaluation bénéfice")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_text("2 préconisations").wait_for()
    assert page.locator("mark").count() >= 2
    assert_accessible(page, context="recommendations search")
