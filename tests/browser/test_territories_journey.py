"""Search a territory in the browser, as a person would: forgiving spelling, keyboard, no JS needed."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import assert_accessible

FIXTURE = Path(__file__).resolve().parents[2] / "maillage/territories/tests/fixtures/decoupage-administratif"


@pytest.fixture
def referential(transactional_db):
    call_command("territories_load", "--path", str(FIXTURE), "--force")


def test_search_a_territory_with_a_forgiving_spelling(page, referential):
    page.goto("/")
    page.get_by_role("link", name="Territoires").first.click()
    assert_accessible(page, context="territory search (empty)")
    search = page.get_by_role("searchbox")
    search.fill("chateau d ol")
    result = page.get_by_role("link", name=re.compile("Le Château-d'Oléron"))
    result.first.wait_for()
    assert_accessible(page, context="territory search results")
    search.fill("15000")
    page.get_by_role("link", name=re.compile("^Aurillac")).first.wait_for()
    search.fill("cc de l ile d oleron")
    page.get_by_role("link", name=re.compile("Ile d'Oléron|Île d'Oléron")).first.click()
    page.get_by_role("heading", level=1, name=re.compile("Oléron")).wait_for()
    assert "241700624" in page.content()
    assert_accessible(page, context="EPCI detail")


def test_set_a_workspace_territory_from_suggestions(page, referential, workspace, alice):
    from tests.browser.test_foundation_journeys import _login

    _login(page, "alice@example.org")
    page.goto(f"/espaces/{workspace.slug}/reglages/")
    assert_accessible(page, context="workspace settings")
    field = page.get_by_label("Territoire")
    field.fill("aurillac")
    page.locator("#territory-options option").first.wait_for(state="attached")
    value = page.locator("#territory-options option").first.get_attribute("value")
    assert value == "Aurillac (15014)"
    field.fill(value)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Les réglages de l'espace sont enregistrés").wait_for()
    workspace.refresh_from_db()
    assert workspace.territory.code == "15014"
