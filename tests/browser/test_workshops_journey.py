"""A whole Atelier de l'Avenir in real browsers (issue #5, "Done means"): a facilitator, a projector board
and phones in separate contexts (one without account, one with, one person typed by a scribe), the three
phases, a suggested group accepted, dots, two project groups with their members, the PDF compte rendu.
Live over WebSockets on the ASGI server; a second test checks the degraded mode (polling) on WSGI."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from maillage.collectives.models import Collective
from maillage.workshops.models import Cluster, Contribution, Workshop
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login


@pytest.fixture(autouse=True)
def _templates(transactional_db):
    call_command("workshops_load", verbosity=0)


def _create_workshop(pilot, workspace):
    pilot.goto(f"/ateliers/espace/{workspace.slug}/")
    assert_accessible(pilot, context="liste des ateliers")
    pilot.get_by_role("link", name="Préparer un atelier").click()
    pilot.get_by_label("Modèle").select_option(label="Atelier de l'Avenir")
    pilot.get_by_label("Titre de l'atelier").fill("Avenir des Tilleuls")
    pilot.get_by_label("Gommettes par personne et par phase").fill("3")
    pilot.get_by_role("button", name="Créer l'atelier").click()
    pilot.get_by_role("heading", name="Pilotage : Avenir des Tilleuls").wait_for()
    return Workshop.objects.get()


def _join_without_account(phone, workshop, name, contact=""):
    phone.goto("/ateliers/rejoindre/")
    assert_accessible(phone, context="rejoindre (code)")
    phone.get_by_label("Code de l'atelier").fill(workshop.join_code.lower())
    phone.get_by_role("button", name="Rejoindre").click()
    phone.get_by_label("Prénom ou pseudonyme").fill(name)
    phone.get_by_label("Habitant ou habitante").check()
    phone.get_by_label("C'est la première fois que je participe").check()
    phone.get_by_label(re.compile("Un moyen de vous joindre")).fill(contact)
    assert_accessible(phone, context="formulaire pour participer")
    phone.get_by_label(re.compile("^J'accepte que mon prénom")).check()
    phone.get_by_role("button", name="Participer").click()
    phone.get_by_text(f"Vous participez en tant que {name}.").wait_for()


def _phase(pilot, action):
    pilot.get_by_role("button", name=action).click()


def _post(phone, text):
    phone.get_by_label("Votre post-it").fill(text)
    phone.get_by_role("button", name="Envoyer le post-it").click()
    phone.get_by_text("Votre post-it est affiché.").wait_for()


def test_a_whole_atelier_de_l_avenir(new_asgi_page, workspace, karim, josiane):
    pilot = new_asgi_page()
    _login(pilot, "karim@example.org")
    workshop = _create_workshop(pilot, workspace)
    pilot.locator("[data-mode=live]").wait_for()  # the WebSocket is open
    assert_accessible(pilot, context="pilotage")

    board = new_asgi_page()
    board.goto(pilot.get_by_role("link", name=re.compile("Ouvrir le tableau")).get_attribute("href"))
    board.locator(".board__code", has_text=workshop.join_code).wait_for()
    board.locator("[data-mode=live]").wait_for()
    assert_accessible(board, context="tableau")

    lea = new_asgi_page(mobile=True)
    _join_without_account(lea, workshop, "Léa", contact="06 12 34 56 78")
    jo = new_asgi_page(mobile=True)
    _login(jo, "josiane@example.org")
    jo.goto(f"/ateliers/{workshop.pk}/participer/")
    jo.get_by_role("button", name=re.compile("Participer avec mon compte")).click()
    jo.get_by_text("Vous participez en tant que Josiane.").wait_for()

    # Préparation, then the critique phase: the phones reload by themselves and offer to write.
    _phase(pilot, "Démarrer ou reprendre")
    board.locator(".phase-banner__title", has_text="Préparation").wait_for()
    _phase(pilot, "Phase suivante")
    for phone in (lea, jo):
        phone.get_by_label("Votre post-it").wait_for()
    assert_accessible(lea, context="téléphone, phase critique")
    _post(lea, "Les poubelles débordent dans la cour")
    _post(lea, "Le bus ne passe plus le soir")
    _post(jo, "Les poubelles ne sont jamais vidées")
    _post(jo, "Pas assez de bus le soir <b>vraiment</b>")
    board.get_by_text("Pas assez de bus le soir <b>vraiment</b>").wait_for()  # live, and shown as text

    # A scribe types for Mohamed, who has no phone.
    pilot.get_by_label("Ou une nouvelle personne : prénom").fill("Mohamed")
    pilot.get_by_label("Elle vient en tant que").select_option(label="Habitant ou habitante")
    pilot.get_by_label("Elle est d'accord pour participer sous ce prénom").check()
    pilot.locator("#scribe-title ~ form").get_by_label("Votre post-it").fill("Le local poubelle sent mauvais")
    pilot.get_by_role("button", name="Saisir le post-it").click()
    board.get_by_text("Le local poubelle sent mauvais").wait_for()
    board.get_by_text("Mohamed (saisi par Karim)").wait_for()

    # Suggested groups: accept the first one.
    pilot.get_by_role("button", name="Suggérer des groupes").click()
    pilot.get_by_role("button", name="Accepter").first.wait_for()
    assert_accessible(pilot, context="pilotage, suggestions")
    pilot.get_by_role("button", name="Accepter").first.click()
    cluster = _wait_for(lambda: Cluster.objects.filter(suggested=True).first())
    board.get_by_role("heading", name=cluster.title).wait_for()
    assert cluster.contributions.count() >= 2

    # Drag and drop a loose post-it into the group (the keyboard way is the "Déplacer vers…" select).
    loose = Contribution.objects.filter(cluster=None).first()
    pilot.locator(f'section[data-cluster="{cluster.pk}"]').wait_for()
    pilot.locator(f"#postit-{loose.pk}").drag_to(pilot.locator(f'section[data-cluster="{cluster.pk}"]'))
    group_on_board = board.locator(f'section[data-cluster="{cluster.pk}"]')
    group_on_board.get_by_text(loose.text, exact=True).wait_for()

    # Dots: Léa puts two on the suggested group; the facilitator reveals the votes.
    lea.get_by_role("button", name=re.compile("Gommette pour ce groupe")).first.click()
    lea.get_by_text("Il vous en reste 2.").wait_for()
    lea.get_by_role("button", name=re.compile("Gommette pour ce groupe")).first.click()
    lea.get_by_text("Il vous en reste 1.").wait_for()
    pilot.get_by_role("button", name="Dévoiler les votes").click()
    board.get_by_text("2 gommettes").first.wait_for()
    pilot.get_by_role("table", name=re.compile("Gommettes reçues")).wait_for()

    # Imaginative, then constructive phase with two project sheets; the phones sign up.
    _phase(pilot, "Phase suivante")
    lea.get_by_text("Phase imaginative").first.wait_for()
    lea.get_by_label("Votre post-it").wait_for()
    _post(lea, "Un jardin partagé au pied des immeubles")
    _phase(pilot, "Phase suivante")
    pilot.locator(".phase-banner__title", has_text="Phase constructive").wait_for()
    for title, objective in [
        ("Jardin partagé", "Cultiver ensemble"),
        ("Tri et compost", "Des poubelles propres"),
    ]:
        pilot.get_by_label("Titre", exact=True).fill(title)
        pilot.get_by_label("Objectif").fill(objective)
        pilot.get_by_role("button", name="Créer la fiche projet").click()
        pilot.get_by_role("heading", name=title).wait_for()
    for phone, titles in [(lea, ["Jardin partagé", "Tri et compost"]), (jo, ["Jardin partagé"])]:
        for title in titles:
            button = phone.get_by_role("button", name=f"Je m'engage dans ce projet : {title}")
            button.click()
            phone.get_by_text("C'est noté : merci !").wait_for()
    assert_accessible(jo, context="téléphone, phase constructive")

    pilot.get_by_role("button", name="Clore l'atelier et créer les groupes projets").click()
    pilot.get_by_text("Atelier clos : 2 groupe(s) projet(s) créé(s).").wait_for()
    garden = Collective.objects.get(name="Jardin partagé", origin=Collective.Origin.WORKSHOP)
    assert {(m.user_id, m.pseudonym) for m in garden.members.all()} == {(josiane.pk, ""), (None, "Léa")}
    assert Collective.objects.get(name="Tri et compost").members.get().contact == "06 12 34 56 78"
    assert Contribution.objects.filter(typed_by=karim, author__display_name="Mohamed").count() == 1

    pilot.goto(f"/ateliers/{workshop.pk}/")
    assert_accessible(pilot, context="fiche de l'atelier")
    with pilot.expect_download() as download:
        pilot.get_by_role("link", name="Compte rendu (PDF)").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    for expected in [
        "Avenir des Tilleuls",
        "Phase critique",
        cluster.title,
        "Le local poubelle sent mauvais",
        "saisi par Karim",
        "Un jardin partagé au pied des immeubles",
        "Jardin partagé",
        "Tri et compost",
        "Léa, Josiane",
    ]:
        assert expected in text, expected


def test_pages_keep_working_without_websockets(new_page, workspace, karim):
    """On a server without WebSockets (WSGI), the pages fall back to polling every 3 s."""
    pilot = new_page()
    _login(pilot, "karim@example.org")
    workshop = _create_workshop(pilot, workspace)
    _phase(pilot, "Démarrer ou reprendre")
    _phase(pilot, "Phase suivante")
    pilot.locator("[data-mode=polling]").wait_for()
    board = new_page()
    board.goto(f"/ateliers/{workshop.pk}/tableau/{workshop.board_key}/")
    board.locator("[data-mode=polling]").wait_for()
    phone = new_page(mobile=True)
    _join_without_account(phone, workshop, "Aïcha")
    phone.locator("[data-mode=polling]").wait_for()
    _post(phone, "Un banc à l'arrêt de bus")
    board.get_by_text("Un banc à l'arrêt de bus").wait_for(timeout=8000)
    pilot.get_by_text("Un banc à l'arrêt de bus", exact=True).wait_for(timeout=8000)
    assert_accessible(phone, context="téléphone, mode dégradé")


def _wait_for(probe, timeout=10.0):
    import time

    from django.db import OperationalError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = probe()
        except OperationalError:  # the in-memory test database is shared with the server's thread
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")
