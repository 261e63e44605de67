"""The foundation's user journeys, end to end in a real browser, with 0 axe-core violations on each page."""

import json
import re

from django.core import mail

from conftest import PASSWORD
from maillage.workspaces.models import Membership
from maillage.workspaces.services import invitation_create
from tests.browser.conftest import assert_accessible


def test_sign_up_by_invitation_then_log_out_and_in(page, workspace, karim, live_server):
    invitation_create(
        actor=karim, workspace=workspace, email="nadia@example.org", role="habitant", base_url=live_server.url
    )
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_accessible(page, context="invitation sign-up")
    # Submitting with mistakes shows an error summary and keeps what was typed.
    page.get_by_label("Nom affiché").fill("Nadia")
    page.get_by_label(re.compile(r"^Mot de passe \(")).fill("court")
    page.get_by_role("button", name="Créer mon compte et rejoindre l'espace").click()
    page.get_by_text("Le formulaire contient des erreurs").wait_for()
    assert_accessible(page, context="sign-up with errors")
    assert page.get_by_label("Nom affiché").input_value() == "Nadia"
    page.get_by_label(re.compile(r"^Mot de passe \(")).fill(PASSWORD)
    page.get_by_label("Mot de passe, une seconde fois").fill(PASSWORD)
    page.get_by_label("J'ai lu la politique de confidentialité").check()
    page.get_by_role("button", name="Créer mon compte et rejoindre l'espace").click()
    page.get_by_role("heading", name="Quartier des Tilleuls", level=1).wait_for()
    page.get_by_text("Votre compte est créé").wait_for()
    assert_accessible(page, context="workspace home")
    assert Membership.objects.get(user__email="nadia@example.org").role == "habitant"

    page.get_by_role("button", name=re.compile("Se déconnecter")).click()
    page.get_by_role("link", name="Se connecter").click()
    assert_accessible(page, context="login")
    page.get_by_label("Adresse e-mail").fill("nadia@example.org")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter \\(Nadia\\)")).wait_for()


def test_switch_language(page, workspace, josiane):
    _login(page, "josiane@example.org")
    page.goto(f"/espaces/{workspace.slug}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page, context="workspace home (fr)")
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(rf"/en/espaces/{workspace.slug}/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("heading", name="Where we are / what comes next").wait_for()
    page.get_by_role("link", name="Skip to content").wait_for(state="attached")
    assert_accessible(page, context="workspace home (en)")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(rf"/espaces/{workspace.slug}/$"))
    assert page.locator("html").get_attribute("lang") == "fr"


def _login(page, email):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter")).wait_for()


def test_export_then_delete_my_data(page, workspace, josiane):
    _login(page, "josiane@example.org")
    page.get_by_role("link", name="Mes données").click()
    assert_accessible(page, context="Mes données")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mes données").click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == "josiane@example.org"
    assert data["workspaces"]["memberships"][0]["workspace"] == "Quartier des Tilleuls"

    # Forgetting the confirmation shows what to fix.
    page.get_by_label("Votre mot de passe, pour confirmer").fill(PASSWORD)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.get_by_text("Cochez cette case pour confirmer la suppression.").first.wait_for()
    assert_accessible(page, context="delete with errors")
    page.get_by_label("Votre mot de passe, pour confirmer").fill(PASSWORD)
    page.get_by_label("Je comprends que mon compte sera supprimé").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.get_by_text("Votre compte a été supprimé").wait_for()
    assert_accessible(page, context="home after deletion")
    josiane.refresh_from_db()
    assert josiane.display_name == "Compte supprimé" and not josiane.is_active


def test_styleguide_and_static_pages_are_accessible(page, db):
    for path in ["/styleguide/", "/confidentialite/", "/accessibilite/", "/espaces/", "/glossaire/"]:
        page.goto(path)
        assert_accessible(page, context=path)


def test_phone_layout_is_usable(new_page, db):
    phone = new_page(mobile=True)
    phone.goto("/")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"horizontal scroll on a 360 px phone: {width}px"
    assert_accessible(phone, context="home on a phone")
