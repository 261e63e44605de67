from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.collectives.models import Attendance, Collective, Decision, Member, Proposal, Session
from maillage.collectives.services import (
    MemberSpec,
    collective_create,
    member_add,
    proposal_add,
    session_create,
    session_record_attendance,
)
from maillage.workspaces.models import Workspace

HTMX = {"HX-Request": "true"}
CONTACT = "06 12 34 56 78"


def url(name, collective, *args):
    return reverse(f"collectives:{name}", args=[collective.workspace.slug, collective.slug, *args])


def html_of(response) -> str:
    return response.content.decode()


# --- Who sees what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "karim", "josiane", "marc", "sophie", "paul"])
def test_workspace_members_see_collectives(request, client, collective, persona):
    client.force_login(request.getfixturevalue(persona))
    listing = client.get(reverse("collectives:list", args=[collective.workspace.slug]))
    assert listing.status_code == 200 and "Jardins partagés" in html_of(listing)
    page = client.get(collective.get_absolute_url())
    assert page.status_code == 200
    assert "Fatou" in html_of(page)  # members are listed to workspace members


def test_anonymous_and_outsiders_get_404_on_a_members_only_workspace(
    client, collective, outsider, past_session
):
    pages = [
        reverse("collectives:list", args=[collective.workspace.slug]),
        collective.get_absolute_url(),
        url("timeline", collective),
        url("sessions", collective),
        url("decisions", collective),
        past_session.get_absolute_url(),
    ]
    for page in pages:
        assert client.get(page).status_code == 404, page
    client.force_login(outsider)
    for page in pages:
        assert client.get(page).status_code == 404, page


def test_anonymous_sees_a_public_workspace_but_never_members_nor_contacts(client, collective, past_session):
    Workspace.objects.filter(pk=collective.workspace.pk).update(visibility=Workspace.Visibility.PUBLIC)
    html = html_of(client.get(collective.get_absolute_url()))
    assert "Jardins partagés" in html and "Où on en est / ce qui vient" in html
    assert "Fatou" not in html and CONTACT not in html
    assert "réservée aux membres de l'espace" in html
    assert client.get(url("timeline", collective)).status_code == 200
    assert client.get(past_session.get_absolute_url()).status_code == 200
    assert client.get(url("trends", collective)).status_code == 302  # login first
    assert client.get(url("member_add", collective)).status_code == 302


@pytest.mark.parametrize("persona", ["josiane", "marc", "sophie", "paul"])
def test_contacts_and_alerts_are_for_animateurs_only(request, client, collective, persona):
    client.force_login(request.getfixturevalue(persona))
    html = html_of(client.get(collective.get_absolute_url()))
    assert CONTACT not in html and "Ajouter un membre" not in html
    assert client.get(url("trends", collective)).status_code == 404
    assert client.get(url("members", collective)).status_code == 404


def test_animateur_sees_contacts_on_the_members_page(client, collective, karim, member):
    client.force_login(karim)
    html = html_of(client.get(url("members", collective)))
    assert CONTACT in html and "Fatou" in html
    response = client.post(url("member_leave", collective, member("Marc").pk))
    assert response["Location"] == url("members", collective)
    assert member("Marc").left_on == timezone.localdate()


@pytest.mark.parametrize("persona", ["josiane", "marc", "sophie", "paul", "outsider"])
def test_management_pages_are_404_for_non_animateurs(request, client, collective, past_session, persona):
    client.force_login(request.getfixturevalue(persona))
    for page in [
        reverse("collectives:create", args=[collective.workspace.slug]),
        url("member_add", collective),
        url("session_create", collective),
        url("attendance", collective, past_session.pk),
        url("sheet", collective, past_session.pk),
        url("close", collective, past_session.pk),
        url("decision_create", collective),
        url("settings", collective),
    ]:
        assert client.get(page).status_code == 404, page
    assert client.post(url("stage", collective), {"stage": "autonomie"}).status_code == 404


# --- Creating and running a collective ----------------------------------------------------------------------


def test_create_collective_form(client, workspace, karim):
    client.force_login(karim)
    create = reverse("collectives:create", args=[workspace.slug])
    assert client.get(create).status_code == 200
    bad = client.post(create, {"name": "", "kind": "groupe_projet", "origin": "spontane"})
    assert bad.status_code == 400 and "Le formulaire contient des erreurs" in html_of(bad)
    response = client.post(
        create,
        {
            "name": "Parents solidaires",
            "kind": "groupe_paritaire",
            "origin": "spontane",
            "themes": "parentalité, école",
            "work_model": "groupe_solidarite",
            "join": "on",
        },
    )
    collective = Collective.objects.get(name="Parents solidaires")
    assert response.status_code == 302 and response["Location"] == collective.get_absolute_url()
    assert collective.themes == ["parentalité", "école"]
    assert collective.members.get().user == karim


def test_add_members_with_and_without_account(client, collective, karim, sophie):
    client.force_login(karim)
    page = url("member_add", collective)
    no_consent = client.post(page, {"pseudonym": "Léa", "category": "habitant", "joined_on": "2027-01-10"})
    assert no_consent.status_code == 400 and "Sans son accord" in html_of(no_consent)
    assert 'value="Léa"' in html_of(no_consent)
    client.post(
        page,
        {
            "pseudonym": "Léa",
            "consent": "on",
            "category": "habitant",
            "joined_on": "2027-01-10",
            "contact": "lea@example.org",
        },
    )
    client.post(
        page, {"user": sophie.pk, "category": "partenaire", "joined_on": "2027-01-10", "is_relay": "on"}
    )
    lea = Member.objects.get(pseudonym="Léa")
    assert lea.contact == "lea@example.org" and lea.user is None
    assert Member.objects.get(user=sophie).is_relay


def test_composition_warning_is_visible(client, collective, karim, sophie, alice):
    client.force_login(karim)
    assert "sous l'objectif" not in html_of(client.get(collective.get_absolute_url()))
    member_add(actor=karim, collective=collective, spec=MemberSpec(user=sophie, category="partenaire"))
    html = html_of(client.get(collective.get_absolute_url()))
    assert "ne sont que 40 % du groupe, sous l'objectif de 50 %" in html


def test_session_cycle_through_the_pages(client, collective, karim, member):
    client.force_login(karim)
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url("session_create", collective), {"starts_at": yesterday, "place": "Centre social"}
    )
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    attendance = url("attendance", collective, session.pk)
    form = client.get(attendance)
    assert "Fatou" in html_of(form) and "sans compte" in html_of(form)
    missing = client.post(attendance, {f"m{member('Josiane').pk}": "present"})
    assert missing.status_code == 400
    statuses = {f"m{m.pk}": "present" for m in collective.members.all()}
    statuses[f"m{member('Fatou').pk}"] = "excuse"
    assert client.post(attendance, statuses).status_code == 302
    assert Attendance.objects.filter(session=session, status="present").count() == 3
    sheet = client.get(url("sheet", collective, session.pk))
    assert "Feuille de présence" in html_of(sheet) and "Excusé·e" in html_of(sheet)
    close = url("close", collective, session.pk)
    refused = client.post(close, {"minutes": "On a bien avancé"})
    assert refused.status_code == 400
    assert "Fixez les objectifs de la prochaine séance" in html_of(refused)
    assert "On a bien avancé" in html_of(refused)  # what was typed is kept
    done = client.post(
        close,
        {
            "minutes": "On a bien avancé",
            "next_objectives": "Choisir les plants",
            "next_starts_at": "2099-04-01T18:30",
        },
    )
    following = Session.objects.exclude(pk=session.pk).get()
    assert done["Location"] == following.get_absolute_url()
    html = html_of(client.get(collective.get_absolute_url()))
    assert "Choisir les plants" in html and "1 avril 2099" in html


def test_decision_page_answers_proposals(client, collective, past_session, karim, josiane):
    proposal = proposal_add(actor=josiane, collective=collective, text="Un composteur")
    client.force_login(karim)
    page = url("decision_create", collective)
    data = {
        "text": "Composteur adopté",
        "level": "codecision",
        "method": "consensus",
        "session": past_session.pk,
    }
    data[f"answers_{proposal.pk}"] = "on"
    missing_retour = client.post(page, data)
    assert missing_retour.status_code == 400 and "Dites à la personne" in html_of(missing_retour)
    data[f"retour_{proposal.pk}"] = "Adopté, installation en avril"
    assert client.post(page, data).status_code == 302
    decision = Decision.objects.get()
    assert decision.level == "codecision" and decision.session == past_session
    proposal.refresh_from_db()
    assert proposal.decision == decision


def test_retour_is_visible_to_the_proposals_author(client, collective, josiane, karim):
    client.force_login(josiane)
    response = client.post(
        url("proposal_add", collective), {"text": "Des bancs près du jardin"}, headers=HTMX
    )
    assert response.status_code == 200 and "Votre proposition est enregistrée" in html_of(response)
    assert "En attente d'un retour du groupe" in html_of(response)
    proposal = Proposal.objects.get()
    client.force_login(karim)
    client.post(url("retour", collective, proposal.pk), {"retour": "Deux bancs commandés à la mairie"})
    client.force_login(josiane)
    html = html_of(client.get(collective.get_absolute_url()))
    mine = html[html.index("Vos propositions et ce qu") :]
    assert "Des bancs près du jardin" in mine and "Deux bancs commandés à la mairie" in mine


def test_proposal_form_errors_without_and_with_htmx(client, collective, josiane):
    client.force_login(josiane)
    assert client.post(url("proposal_add", collective), {"text": " "}).status_code == 400
    partial = client.post(url("proposal_add", collective), {"text": ""}, headers=HTMX)
    assert "Écrivez la proposition" in html_of(partial) and "<html" not in html_of(partial)
    assert "HX-Request" in partial["Vary"]


def test_sans_retour_list_for_animateurs(client, collective, josiane, karim, marc):
    p = proposal_add(actor=josiane, collective=collective, text="Idée oubliée")
    Proposal.objects.filter(pk=p.pk).update(created_at=timezone.now() - timedelta(days=31))
    client.force_login(karim)
    assert "1 proposition sans retour depuis plus de 30 jours" in html_of(
        client.get(collective.get_absolute_url())
    )
    client.force_login(marc)
    assert "sans retour depuis plus de" not in html_of(client.get(collective.get_absolute_url()))


def test_feedback_with_htmx(client, collective, past_session, josiane, paul):
    client.force_login(josiane)
    page = html_of(client.get(past_session.get_absolute_url()))
    assert "Très satisfait·e" in page and 'type="radio"' in page
    response = client.post(
        url("feedback", collective, past_session.pk), {"score": "5", "comment": "Super"}, headers=HTMX
    )
    assert "Merci pour votre avis" in html_of(response) and "1 avis, moyenne 5" in html_of(response)
    client.force_login(paul)
    assert client.post(url("feedback", collective, past_session.pk), {"score": "1"}).status_code == 404


def test_absence_alert_on_the_collective_page(client, collective, karim, member):
    for days in (21, 14, 7):
        s = session_create(
            actor=karim, collective=collective, starts_at=timezone.now() - timedelta(days=days)
        )
        statuses = {m.pk: "present" for m in collective.members.all()}
        statuses[member("Marc").pk] = "absent"
        session_record_attendance(actor=karim, session=s, statuses=statuses)
    client.force_login(karim)
    html = html_of(client.get(collective.get_absolute_url()))
    assert "À recontacter" in html and "Marc a manqué les 3 dernières séances" in html
    trends = html_of(client.get(url("trends", collective)))
    assert "3 — à recontacter" in trends


def test_stage_change_view(client, collective, karim):
    client.force_login(karim)
    client.post(url("stage", collective), {"stage": "constitution", "note": "On se structure"})
    collective.refresh_from_db()
    assert collective.stage == "constitution"
    assert "On se structure" in html_of(client.get(collective.get_absolute_url()))


# --- The workspace home is fed by the collectives ---------------------------------------------------------------


def test_timeline_provider_feeds_the_workspace_home(client, collective, karim, josiane, past_session):
    from maillage.collectives.services import decision_record, session_close

    session_close(
        actor=karim,
        session=past_session,
        next_objectives="Visiter la parcelle",
        next_starts_at=timezone.now() + timedelta(days=10),
        next_place="Salle Jean Moulin",
    )
    decision_record(
        actor=karim, collective=collective, text="On lance le jardin", level="codecision", method="vote"
    )
    client.force_login(josiane)
    html = html_of(client.get(collective.workspace.get_absolute_url()))
    upcoming = html[html.index("<h3>Ce qui vient</h3>") :]
    assert "Séance de « Jardins partagés » — Salle Jean Moulin" in upcoming
    past = html[html.index("<h3>Où on en est</h3>") : html.index("<h3>Ce qui vient</h3>")]
    assert "« Jardins partagés » a décidé (codécision) : On lance le jardin" in past


def test_timeline_provider_respects_visibility(collective, karim, outsider):
    from django.contrib.auth.models import AnonymousUser

    from maillage.collectives.timeline import collectives_timeline

    session_create(actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=3))
    assert len(collectives_timeline(collective.workspace, karim)) == 1
    assert collectives_timeline(collective.workspace, outsider) == []
    assert collectives_timeline(collective.workspace, AnonymousUser()) == []


# --- Query counts do not grow with members and sessions --------------------------------------------------------


def _grow(collective, n_members, n_sessions):
    members = Member.objects.bulk_create(
        Member(
            collective=collective,
            pseudonym=f"P{i}",
            consent_given_at=timezone.now(),
            category="habitant",
            joined_on=timezone.localdate() - timedelta(days=400),
        )
        for i in range(n_members)
    )
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        Session(
            collective=collective,
            starts_at=now - timedelta(days=i + 1),
            attendance_recorded_at=now,
            closed_at=now,
            next_objectives=f"Objectifs {i}",
        )
        for i in range(n_sessions)
    )
    Attendance.objects.bulk_create(
        Attendance(session=s, member=m, status="absent" if i % 3 else "present")
        for s in sessions
        for i, m in enumerate(members)
    )
    for i in range(n_sessions // 2):
        d = Decision.objects.create(
            collective=collective, session=sessions[i], text=f"D{i}", level="consultation", method="vote"
        )
        d.participants.set(members[:5])
        Proposal.objects.create(
            collective=collective,
            author=members[i % len(members)],
            text=f"P{i}",
            decision=d,
            retour="ok",
            retour_at=now,
        )
        Proposal.objects.create(
            collective=collective,
            author=members[i % len(members)],
            text=f"Q{i}",
            created_at=now - timedelta(days=60),
        )


def _count(client, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(page).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["karim", "josiane"])
def test_collective_page_query_count_is_fixed(request, client, collective, persona):
    client.force_login(request.getfixturevalue(persona))
    _grow(collective, 3, 4)
    small = _count(client, collective.get_absolute_url())
    _grow(collective, 40, 30)
    large = _count(client, collective.get_absolute_url())
    assert small == large
    assert large <= 23  # + open tasks, the charter, and the unread notifications in the header


def test_list_and_other_pages_query_counts_are_fixed(
    client, workspace, collective, karim, django_assert_max_num_queries
):
    client.force_login(karim)
    for i in range(12):
        collective_create(actor=karim, workspace=workspace, name=f"Groupe {i}", kind="groupe_projet")
    _grow(collective, 30, 25)
    with django_assert_max_num_queries(8):
        client.get(reverse("collectives:list", args=[workspace.slug]))
    for page in [url("sessions", collective), url("decisions", collective), url("trends", collective)]:
        with django_assert_max_num_queries(12):
            assert client.get(page).status_code == 200


def test_animateur_types_a_proposal_for_a_member_without_account(client, collective, karim, member):
    client.force_login(karim)
    page = client.get(url("proposal_add", collective))
    assert page.status_code == 200 and "De la part de" in html_of(page)
    fatou = member("Fatou")
    response = client.post(url("proposal_add", collective), {"text": "Un banc à l'ombre", "author": fatou.pk})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.author == fatou and proposal.created_by == karim


def test_members_do_not_get_the_author_choice(client, collective, josiane):
    client.force_login(josiane)
    assert "De la part de" not in html_of(client.get(url("proposal_add", collective)))


def test_settings_change_the_target_and_the_delay(client, collective, karim):
    client.force_login(karim)
    bad = client.post(url("settings", collective), {"composition_target": "150", "retour_delay_days": "30"})
    assert bad.status_code == 400
    client.post(url("settings", collective), {"composition_target": "", "retour_delay_days": "15"})
    collective.refresh_from_db()
    assert collective.composition_target is None and collective.retour_delay_days == 15


def test_public_timeline_page_shows_next_objectives(client, collective, past_session, karim):
    from maillage.collectives.services import session_close

    session_close(actor=karim, session=past_session, next_objectives="Trouver des graines")
    Workspace.objects.filter(pk=collective.workspace.pk).update(visibility=Workspace.Visibility.PUBLIC)
    html = html_of(client.get(url("timeline", collective)))
    assert "Trouver des graines" in html and "Pas encore de prochaine séance programmée" in html
