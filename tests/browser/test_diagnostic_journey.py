"""Diagnostic partagé journey: an animateur starts a diagnostic from an overlapping one (reuse, with
provenance), adds data with the observatoire's chart, a parole typed for someone else, a resource, enjeux
and a préconisation; the team votes with dots; the PDF is downloaded and its text checked; an inhabitant
contributes from a phone without an account. 0 axe-core violations on every page visited."""

import re
from io import StringIO

from django.core.management import call_command
from pypdf import PdfReader

from maillage.diagnostics.models import Diagnostic, Indicator, Item, Observation
from maillage.diagnostics.services import indicators_load
from maillage.diagnostics.services_diagnostic import diagnostic_create, item_add
from maillage.territories.models import Perimeter, Territory
from maillage.territories.tests.conftest import FIXTURE_PATH
from maillage.workspaces.models import Role, Workspace
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login


def _setup(alice):
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())
    call_command("glossary_load", stdout=StringIO())
    indicators_load()
    epci = Territory.objects.get(kind="epci", code="241700624")
    population = Indicator.objects.get(code="population")
    for year, value in ((2015, 22190), (2021, 22075)):
        Observation.objects.create(
            indicator=population, territory=epci, year=year, period=str(year), value=value
        )
    # Another workspace already ran a diagnostic on one of the island's communes.
    other = Workspace.objects.create(
        name="Centre social de Dolus", slug="cs-dolus", visibility=Workspace.Visibility.PUBLIC
    )
    other.memberships.create(user=alice, role=Role.ANIMATEUR)
    bourg = Perimeter.objects.create(name="Bourg de Dolus", kind="quartier", workspace=other)
    bourg.communes.add(Territory.objects.get(kind="commune", code="17140"))
    old = diagnostic_create(
        actor=alice,
        workspace=other,
        title="Diagnostic du bourg de Dolus",
        perimeter=bourg,
        themes=["isolement"],
        visibility=Diagnostic.Visibility.PUBLIC,
    )
    item_add(actor=alice, diagnostic=old, section="problemes", title="Peu de transports l'hiver")


def _add(page, section: str, **fields):
    block = page.locator(f"#section-{section}")
    block.locator("summary").click()
    for label, value in fields.items():
        control = block.get_by_label(re.compile(r"^\s*" + re.escape(label)))
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        elif control.get_attribute("type") == "checkbox":
            control.check()
        else:
            control.fill(value)
    block.get_by_role("button", name=re.compile("^Ajouter")).click()
    # Wait for this item (not an earlier "Ajouté :") and for every swap it triggers (adding an enjeu also
    # refreshes the préconisations form), so the next step does not open a block about to be replaced.
    block.get_by_text(fields["Intitulé"]).first.wait_for()
    page.wait_for_load_state("networkidle")


def test_diagnostic_partage_journey(page, new_page, workspace, karim, josiane, alice):
    _setup(alice)
    _login(page, "karim@example.org")
    page.goto(f"/observatoire/espaces/{workspace.slug}/diagnostics/")
    assert_accessible(page, context="diagnostics list")
    page.get_by_role("link", name="Lancer un diagnostic").click()
    page.get_by_role("heading", name="Lancer un diagnostic partagé").wait_for()
    assert_accessible(page, context="create form")

    # Reuse: the diagnostic of Dolus overlaps (one commune in common) and shares a theme.
    page.get_by_label(re.compile("^Titre du diagnostic")).fill("Vieillir sur l'île d'Oléron")
    page.get_by_label(re.compile("^Territoire")).fill("241700624")
    page.get_by_label("Isolement et lien social").check()
    page.get_by_role("button", name="Chercher les diagnostics proches").click()
    page.get_by_role("heading", name="Diagnostics existants sur ce territoire").wait_for()
    assert_accessible(page, context="reuse candidates")
    page.get_by_label(re.compile("Peu de transports l'hiver")).check()
    page.get_by_role("button", name="Créer le diagnostic avec les éléments cochés").click()
    page.get_by_role("heading", name="Vieillir sur l'île d'Oléron", level=1).wait_for()
    page.get_by_text(re.compile("repris du diagnostic « Diagnostic du bourg de Dolus »")).wait_for()
    assert_accessible(page, context="workroom")

    # Data with the observatoire's chart, a parole typed for someone else, a resource, enjeux, a préconisation.
    _add(
        page,
        "donnees",
        **{
            "Intitulé": "Une population stable",
            "Indicateur": "Population municipale",
            "Texte": "Un peu moins d'habitants qu'en 2015.",
        },
    )
    _add(
        page,
        "paroles",
        **{
            "Intitulé": "Le bus ne passe plus le dimanche",
            "Saisi pour": "Mme D., 78 ans",
            "Recueilli comment": "Porte-à-porte",
        },
    )
    page.get_by_text("Saisi par Karim pour Mme D., 78 ans").wait_for()
    _add(page, "ressources", **{"Intitulé": "Le jardin partagé de la Cotinière", "Type de ressource": "Lieu"})
    _add(page, "enjeux", **{"Intitulé": "Rompre l'isolement des aînés"})
    _add(page, "enjeux", **{"Intitulé": "Se déplacer sans voiture"})
    _add(
        page,
        "preconisations",
        **{"Intitulé": "Un transport solidaire le dimanche", "Se déplacer sans voiture": True},
    )
    assert_accessible(page, context="workroom filled")

    # Dot vote: Karim votes (HTMX), then types the dots of a participant of the restitution.
    page.get_by_role("link", name="Voter sur les enjeux").click()
    page.get_by_role("heading", name="Vote sur les enjeux").wait_for()
    assert_accessible(page, context="vote page")
    page.get_by_label("Mes gommettes pour « Se déplacer sans voiture »").fill("2")
    page.get_by_role("button", name="Voter : Se déplacer sans voiture").click()
    page.get_by_text("Il vous reste 1 gommette.").wait_for()
    page.locator("summary", has_text="Rompre l'isolement des aînés").click()
    open_form = page.locator("details[open]")
    open_form.get_by_label("Participant ou participante").fill("Lucienne")
    open_form.get_by_label("Gommettes").fill("3")
    open_form.get_by_role("button", name=re.compile("^Enregistrer")).click()
    page.get_by_text("Gommettes de Lucienne enregistrées.").wait_for()
    assert_accessible(page, context="vote results")

    # The document, then its PDF.
    diagnostic = Diagnostic.objects.get(title="Vieillir sur l'île d'Oléron")
    page.goto(diagnostic.get_absolute_url())
    page.get_by_role("link", name="Le document").click()
    page.get_by_role("heading", name="En résumé").wait_for()
    assert page.locator("svg.chart").count() >= 1
    assert_accessible(page, context="document")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF").click()
    pdf = PdfReader(download_info.value.path())
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for expected in (
        "Vieillir sur l",
        "Le bus ne passe plus le dimanche",
        "Mme D., 78 ans",
        "Le jardin partagé de la Cotinière",
        "Un transport solidaire le dimanche",
        "Rompre l",
        "Population municipale",
        "Peu de transports l",
    ):
        assert expected in text, text

    # The poster with its QR code leads to the public form.
    page.goto(diagnostic.get_absolute_url())
    page.get_by_role("link", name=re.compile("^Affiche avec QR code")).click()
    page.get_by_role("heading", name="Votre avis compte : racontez-nous le quartier").wait_for()
    assert page.locator("svg.qr").count() == 1
    assert_accessible(page, context="QR poster")
    address = page.locator(".qr-poster a").first.get_attribute("href")

    # An inhabitant, on a phone, without an account.
    phone = new_page(mobile=True)
    phone.goto(address)
    phone.get_by_role("heading", name="Contribuer au diagnostic").wait_for()
    assert_accessible(phone, context="contribution form (mobile)")
    phone.get_by_role("button", name="Envoyer").click()
    phone.get_by_text("Le formulaire contient des erreurs à corriger").wait_for()
    assert_accessible(phone, context="contribution form errors (mobile)")
    phone.get_by_label(re.compile("^Une ressource")).check()
    phone.get_by_label(re.compile("^Votre message")).fill(
        "La bibliothèque prête des livres en gros caractères."
    )
    phone.get_by_label(re.compile("^Votre prénom ou un pseudonyme")).fill("Rose")
    phone.get_by_label(re.compile("^J'accepte")).check()
    phone.get_by_role("button", name="Envoyer").click()
    phone.get_by_text("Merci ! Votre message a bien été reçu.").wait_for()
    assert_accessible(phone, context="contribution sent (mobile)")

    # It waits for Karim, who retains it.
    page.goto(diagnostic.get_absolute_url())
    page.get_by_role("heading", name="1 contribution à valider").wait_for()
    assert_accessible(page, context="workroom with a contribution to validate")
    page.get_by_role("button", name=re.compile("^Retenir")).click()
    page.get_by_text("Contribution retenue.").wait_for()
    item = diagnostic.items.get(speaker="Rose")
    assert item.status == Item.Status.PUBLISHED and item.section == "ressources" and item.created_by is None
    # No CSP violation, no script error (the 400 of the invalid form is expected).
    errors = [e for e in page.console_errors + phone.console_errors if "status of 400" not in e]
    assert errors == []
