"""Journeys of the practices module beyond finding: import a document written for the tests (three practices in
unusual wording), review it field by field and publish one; turn a collective into a draft; a reviewer sends a
section back and the author answers; a working group across two workspaces discusses a practice. 0 axe-core
violations on every page visited."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from maillage.practices import samples
from maillage.practices.models import Practice
from maillage.territories.tests.conftest import FIXTURE_PATH
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login


@pytest.fixture
def library(db):
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())
    call_command("practices_load", "--referentials-only", stdout=StringIO())


def test_import_review_and_publish_one_practice(new_page, library, workspace, karim, alice, tmp_path):
    document = tmp_path / "recueil-2023.docx"
    document.write_bytes(samples.as_docx())
    page = new_page()
    _login(page, "karim@example.org")
    page.goto(f"/pratiques/espace/{workspace.slug}/")
    assert_accessible(page, context="workspace practices")
    page.get_by_role("link", name="Importer un document").click()
    assert_accessible(page, context="upload form")
    page.get_by_role("button", name="Lire le document").click()  # nothing chosen: a clear error
    page.get_by_role("alert").first.wait_for()
    page.get_by_label("Document décrivant une ou plusieurs pratiques").set_input_files(str(document))
    page.get_by_role("button", name="Lire le document").click()
    page.get_by_text("3 pratiques reconnues.").wait_for()
    assert_accessible(page, context="import overview")
    page.get_by_role("link", name=re.compile("Relire « Parents en scène à Roubaix »")).click()
    page.get_by_role("heading", name="Relire : Parents en scène à Roubaix").wait_for()
    context_field = page.locator("#field-context")
    assert "Les parents ne venaient plus" in context_field.locator("blockquote").inner_text()
    assert_accessible(page, context="review page")
    # HTMX: accept the title, correct the context in place
    page.locator("#field-title").get_by_role("button", name="Accepter").click()
    page.locator("#field-title").get_by_text("Accepté").wait_for()
    context_field.get_by_role("link", name="Corriger").click()
    page.locator("#value-context").wait_for()
    page.locator("#value-context").fill("Les parents se sentaient jugés et ne venaient plus aux réunions.")
    assert_accessible(page, context="correcting a field")
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.locator("#field-context").get_by_text("Corrigé").wait_for()
    assert "Il reste" in page.locator("#review-progress").inner_text()
    page.get_by_role("button", name="Accepter tous les champs restants").click()
    page.get_by_text("Tous les champs sont décidés").wait_for()
    page.get_by_role("button", name="Créer le brouillon").click()
    page.get_by_role("heading", name=re.compile("Rédaction et expertise : Parents en scène")).wait_for()
    assert_accessible(page, context="draft workflow page")
    page.get_by_role("button", name="Soumettre à l'expertise").click()
    page.get_by_text("Statut : Soumise.").wait_for()
    practice = Practice.objects.get(title="Parents en scène à Roubaix")
    assert practice.context.startswith("Les parents se sentaient jugés")
    assert practice.status == Practice.Status.SUBMITTED
    reviewer = new_page()
    _login(reviewer, "alice@example.org")
    reviewer.goto(f"/pratiques/{practice.slug}/expertise/")
    reviewer.get_by_role("button", name="Prendre en expertise").click()
    reviewer.get_by_role("button", name="Publier").wait_for()
    reviewer.get_by_label("Tout le monde").check()
    assert_accessible(reviewer, context="review before publication")
    reviewer.get_by_role("button", name="Publier").click()
    reviewer.get_by_text("Statut : Publiée.").wait_for()
    anonymous = new_page()
    anonymous.goto("/pratiques/?q=théâtre+parents")
    anonymous.get_by_role("link", name="Parents en scène à Roubaix").click()
    anonymous.get_by_role("heading", name="Parents en scène à Roubaix", level=1).wait_for()
    assert "Delorme" not in anonymous.locator("main").inner_text()
    assert_accessible(anonymous, context="published practice")


def test_collective_becomes_a_draft_and_a_section_is_sent_back(
    new_page, library, workspace, karim, alice, josiane
):
    from maillage.collectives.models import Collective, Member
    from maillage.collectives.services import MemberSpec, collective_create, session_create

    collective = collective_create(
        actor=None,
        workspace=workspace,
        name="Les cuisinières du mercredi",
        kind=Collective.Kind.COLLECTIF_HABITANTS,
        purpose="Cuisiner ensemble et partager le repas avec les voisins isolés.",
        members=[
            MemberSpec(pseudonym="Fatou", category=Member.Category.HABITANT, consent_given_at=timezone.now()),
            MemberSpec(user=josiane, category=Member.Category.HABITANT),
        ],
    )
    session_create(actor=None, collective=collective, starts_at=timezone.now(), agenda="Premier repas")
    author = new_page()
    _login(author, "josiane@example.org")
    author.goto(f"/pratiques/espace/{workspace.slug}/")
    author.get_by_role("link", name="Capitaliser un collectif").click()
    assert_accessible(author, context="capitalise page")
    author.get_by_role("button", name=re.compile("Préparer le brouillon")).click()
    author.get_by_role(
        "heading", name=re.compile("Rédaction et expertise : Les cuisinières du mercredi")
    ).wait_for()
    assert "Premier repas" in author.locator("#section-actions").inner_text()
    assert_accessible(author, context="draft from a collective")
    author.get_by_role("button", name="Soumettre à l'expertise").click()
    author.get_by_text("Statut : Soumise.").wait_for()
    practice = Practice.objects.get(title="Les cuisinières du mercredi")
    reviewer = new_page()
    _login(reviewer, "alice@example.org")
    reviewer.goto(f"/pratiques/{practice.slug}/expertise/")
    reviewer.get_by_role("button", name="Prendre en expertise").click()
    reviewer.get_by_label("Commenter « Le contexte »").fill("Racontez comment le groupe est né.")
    reviewer.locator("#sendback-contexte").check()
    assert_accessible(reviewer, context="reviewer comments")
    reviewer.locator("#section-contexte").get_by_role("button", name="Envoyer le commentaire").click()
    reviewer.locator("#section-contexte").get_by_text("Renvoyée à l'auteur").wait_for()
    author.goto(f"/pratiques/{practice.slug}/expertise/")
    section = author.locator("#section-contexte")
    assert "Racontez comment le groupe est né." in section.inner_text()
    section.get_by_role("link", name=re.compile("Modifier")).click()
    author.locator("#id_contexte-context").fill("Le groupe est né d'un repas de quartier en 2023.")
    assert_accessible(author, context="author edits a section sent back")
    author.get_by_role("button", name="Enregistrer la rubrique").click()
    author.get_by_label("Répondre sur « Le contexte »").fill("J'ai ajouté l'origine du groupe.")
    author.locator("#section-contexte").get_by_role("button", name="Répondre").click()
    author.locator("#section-contexte").get_by_text("rubrique reprise").wait_for()
    assert_accessible(author, context="answered")
    practice.refresh_from_db()
    assert practice.context.startswith("Le groupe est né") and practice.status == Practice.Status.IN_REVIEW


def test_working_group_across_two_workspaces(new_page, library, workspace, karim, alice):
    from conftest import make_user
    from maillage.workspaces.models import Membership, Workspace
    from maillage.workspaces.services import workspace_create

    other = workspace_create(name="Bourg de Riom", creator=alice, visibility=Workspace.Visibility.MEMBERS)
    nadia = make_user("nadia@example.org", "Nadia")
    Membership.objects.create(workspace=other, user=nadia, role="animateur")
    call_command("practices_load", stdout=StringIO())  # the seed practices, public
    practice = Practice.objects.get(title__startswith="Expérimentation des conférences familiales")
    karim_page = new_page()
    _login(karim_page, "karim@example.org")
    karim_page.goto("/pratiques/groupes/")
    assert_accessible(karim_page, context="working groups")
    karim_page.get_by_label("Nom du groupe").fill("Conférences familiales entre territoires")
    karim_page.get_by_role("button", name="Ouvrir le groupe").click()
    karim_page.get_by_role("heading", name="Conférences familiales entre territoires").wait_for()
    karim_page.get_by_label("Adresse e-mail de la personne").fill("nadia@example.org")
    karim_page.get_by_role("button", name="Ajouter au groupe").click()
    karim_page.get_by_text("Nadia — Membre").wait_for()
    karim_page.get_by_label("Lier une pratique", exact=False).fill(practice.slug)
    karim_page.get_by_role("button", name="Lier la pratique").click()
    karim_page.get_by_role("link", name=practice.title).wait_for()
    assert_accessible(karim_page, context="group page")
    nadia_page = new_page()
    _login(nadia_page, "nadia@example.org")
    nadia_page.goto("/pratiques/groupes/")
    nadia_page.get_by_role("link", name="Conférences familiales entre territoires").click()
    nadia_page.get_by_label("Sujet").fill("Qui anime les conférences ?")
    nadia_page.get_by_label("Pratique discutée").select_option(practice.slug)
    nadia_page.get_by_label("Premier message").fill(
        "Chez nous, personne n'est formé. Comment avez-vous fait ?"
    )
    nadia_page.get_by_role("button", name="Ouvrir la discussion").click()
    nadia_page.get_by_role("heading", name="Qui anime les conférences ?").wait_for()
    assert_accessible(nadia_page, context="thread")
    karim_page.reload()
    karim_page.get_by_role("link", name="Qui anime les conférences ?").click()
    karim_page.get_by_label("Votre message").fill("Le département a formé deux coordinatrices.")
    karim_page.get_by_role("button", name="Envoyer").click()
    karim_page.get_by_text("Le département a formé deux coordinatrices.").wait_for()
    nadia_page.reload()
    nadia_page.get_by_text("Le département a formé deux coordinatrices.").wait_for()
    assert nadia_page.get_by_role("link", name=practice.title).is_visible()
