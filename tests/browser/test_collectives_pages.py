"""The other pages of a collective, with data in them: remobilisation alert and trends, session and decision
lists, settings, retour, and the public "Où on en est" seen anonymously. 0 axe-core violations on each."""

import re
from datetime import timedelta

from django.utils import timezone

from maillage.collectives.models import Collective, Member, Proposal
from maillage.collectives.services import (
    MemberSpec,
    collective_create,
    decision_record,
    proposal_add,
    session_close,
    session_create,
    session_record_attendance,
)
from maillage.workspaces.models import Workspace
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login


def _collective_with_history(workspace, karim, josiane):
    since = timezone.localdate() - timedelta(days=60)
    collective = collective_create(
        actor=karim,
        workspace=workspace,
        name="Parents solidaires",
        kind=Collective.Kind.GROUPE_PARITAIRE,
        members=[
            MemberSpec(user=karim, category=Member.Category.PROFESSIONNEL, joined_on=since),
            MemberSpec(user=josiane, category=Member.Category.PERSONNE_ACCOMPAGNEE, joined_on=since),
            MemberSpec(
                pseudonym="Nadia",
                consent_given_at=timezone.now(),
                contact="06 00 00 00 00",
                joined_on=since,
                category=Member.Category.HABITANT,
            ),
        ],
    )
    nadia = collective.members.get(pseudonym="Nadia")
    for days in (28, 21, 14, 7):
        session = session_create(
            actor=karim, collective=collective, starts_at=timezone.now() - timedelta(days=days), place="École"
        )
        statuses = {m.pk: "present" for m in collective.members.all()}
        statuses[nadia.pk] = "absent" if days < 28 else "present"
        session_record_attendance(actor=karim, session=session, statuses=statuses)
        session_close(actor=karim, session=session, next_objectives=f"Objectifs après J-{days}")
    proposal = proposal_add(actor=josiane, collective=collective, text="Un café des parents le samedi")
    Proposal.objects.filter(pk=proposal.pk).update(created_at=timezone.now() - timedelta(days=40))
    decision_record(
        actor=karim,
        collective=collective,
        text="Le groupe écrit au Département sur l'accueil des familles.",
        level="co_construction",
        method="consentement",
        session=session,
    )
    return collective


def test_remobilisation_and_other_pages(new_page, workspace, karim, josiane):
    collective = _collective_with_history(workspace, karim, josiane)
    page = new_page()
    _login(page, "karim@example.org")
    page.goto(collective.get_absolute_url())
    page.get_by_text("Nadia a manqué les 3 dernières séances.").wait_for()
    page.get_by_text("1 proposition sans retour depuis plus de 30 jours").wait_for()
    assert_accessible(page, context="collective page with alerts")

    page.get_by_role("link", name="Membres", exact=True).click()
    page.get_by_role("cell", name="06 00 00 00 00").wait_for()
    assert_accessible(page, context="members and contacts")

    page.get_by_role("link", name="Présences", exact=True).click()
    page.get_by_role("heading", name="Qui vient, qui s'éloigne").wait_for()
    assert "3 — à recontacter" in page.content()
    assert_accessible(page, context="attendance trends")

    page.get_by_role("link", name="Séances", exact=True).click()
    page.get_by_text("4 séances").wait_for()
    assert_accessible(page, context="session list")
    page.get_by_role("link", name="Décisions", exact=True).click()
    page.get_by_text("Co-construction").first.wait_for()
    assert_accessible(page, context="decision list")
    page.get_by_role("link", name="Réglages", exact=True).click()
    assert_accessible(page, context="settings")
    page.get_by_label(re.compile("^Part minimale")).fill("70")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Les réglages du collectif sont enregistrés.").wait_for()
    page.get_by_text("ne sont que 67 % du groupe, sous l'objectif de 70 %").wait_for()

    page.get_by_role("link", name=re.compile("^faire un retour")).first.click()
    assert_accessible(page, context="retour form")
    page.get_by_label(re.compile("^Ce qu'est devenue")).fill("Le centre social prête sa salle le samedi.")
    page.get_by_role("button", name="Enregistrer le retour").click()
    page.get_by_text("Le retour est enregistré").wait_for()
    assert "sans retour depuis plus de" not in page.content()

    # Anyone can follow "où on en est" when the workspace is public, without names or contacts.
    Workspace.objects.filter(pk=workspace.pk).update(visibility=Workspace.Visibility.PUBLIC)
    visitor = new_page(mobile=True)
    visitor.goto(collective.get_absolute_url() + "ou-on-en-est/")
    visitor.get_by_role("heading", name="Où on en est / ce qui vient").wait_for()
    visitor.get_by_text("Objectifs après J-7").wait_for()
    assert_accessible(visitor, context="public timeline on a phone")
    visitor.goto(collective.get_absolute_url())
    assert "Nadia" not in visitor.content() and "06 00 00 00 00" not in visitor.content()
    assert_accessible(visitor, context="public collective page")
