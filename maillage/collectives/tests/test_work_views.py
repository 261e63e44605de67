"""Pages of the charter, plan, attestations, minutes, PDFs, iCal, notifications, coordination, local DS."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from maillage.collectives.models import Charter, Collective, LocalDSApplication, Task
from maillage.collectives.services import (
    charter_edit,
    collective_create,
    collective_set_referent,
    minutes_save,
    session_create,
    session_record_attendance,
    task_create,
)

from .test_views import html_of, url


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def _attended(collective, karim, member):
    s = session_create(actor=karim, collective=collective, starts_at=timezone.now() - timedelta(days=3))
    session_record_attendance(
        actor=None, session=s, statuses={m.pk: "present" for m in collective.members.all()}
    )
    return s


@pytest.mark.parametrize("name", ["charter", "plan"])
def test_pages_404_for_anonymous_and_outsiders(client, collective, outsider, name):
    assert client.get(url(name, collective)).status_code == 404
    client.force_login(outsider)
    assert client.get(url(name, collective)).status_code == 404


def test_charter_write_conflict_keeps_the_typed_text(client, collective, josiane, karim):
    client.force_login(josiane)
    r = client.post(url("charter", collective), {"text": "On s'écoute.", "base_version": 0})
    assert r.status_code == 302
    charter_edit(actor=karim, collective=collective, text="On s'écoute. On arrive à l'heure.", base_version=1)
    r = client.post(url("charter", collective), {"text": "Mon ajout précieux", "base_version": 1})
    html = html_of(r)
    assert r.status_code == 400 and "Mon ajout précieux" in html and "On arrive à l&#x27;heure." in html
    assert 'name="base_version" value="2"' in html  # saving again now overrides knowingly
    r = client.post(url("charter", collective), {"text": "Mon ajout précieux", "base_version": 2})
    assert r.status_code == 302 and Charter.objects.get(collective=collective).versions.count() == 3


def test_reader_sees_the_charter_but_cannot_write(client, collective, paul):
    client.force_login(paul)
    assert client.get(url("charter", collective)).status_code == 200
    assert client.post(url("charter", collective), {"text": "x", "base_version": 0}).status_code == 403


def test_plan_page_query_count_is_fixed(client, collective, karim, member, django_assert_max_num_queries):
    client.force_login(karim)
    for i in range(15):
        task_create(
            actor=karim,
            collective=collective,
            title=f"Tâche {i}",
            owner=member("Fatou"),
            due_on=timezone.localdate(),
        )
    with django_assert_max_num_queries(14):
        r = client.get(url("plan", collective))
    assert "Tâche 14" in html_of(r) and "Fatou" in html_of(r)


def test_task_owner_updates_state_from_the_plan(client, collective, karim, josiane, member):
    task = task_create(actor=karim, collective=collective, title="Graines", owner=member("Josiane"))
    client.force_login(josiane)
    r = client.post(url("task_status", collective, task.pk), {"status": "faite"})
    assert r.status_code == 302 and Task.objects.get(pk=task.pk).status == "faite"


def test_professional_leave_form_requires_a_handover_note(client, collective, karim, josiane, member):
    client.force_login(karim)
    page = url("member_leave", collective, member("Karim").pk)
    r = client.post(page, {"left_on": "", "handover_note": ""})
    assert r.status_code == 400 and "note de passation" in html_of(r)
    r = client.post(page, {"handover_note": "Tout est dans le classeur bleu."})
    assert r.status_code == 302
    client.force_login(josiane)  # the group sees the handover note
    assert "classeur bleu" in html_of(client.get(collective.get_absolute_url()))


def test_attestation_download_and_public_verification(client, collective, karim, josiane, marc, member):
    _attended(collective, karim, member)
    collective_set_referent(actor=karim, collective=collective, referent=member("Karim"))
    client.force_login(karim)
    r = client.post(
        url("attestations", collective),
        {"member": member("Josiane").pk, "skills": ["prise_de_parole", "organisation"]},
    )
    assert r.status_code == 302
    a = collective.attestations.get()
    client.force_login(josiane)
    assert "Télécharger" in html_of(client.get(url("attestations", collective)))
    text = _pdf_text(client.get(url("attestation_pdf", collective, a.pk)))
    assert "Josiane" in text and "Prise de parole en public" in text and a.code in text and "Karim" in text
    client.force_login(marc)  # another member cannot download Josiane's attestation
    assert client.get(url("attestation_pdf", collective, a.pk)).status_code == 404
    client.logout()
    verify = reverse("collectives:verify")
    html = html_of(client.get(verify, {"code": a.code.lower()}))
    assert "Attestation valide" in html and "Josiane" in html and "Jardins partagés" in html
    assert "06 12" not in html and josiane.email not in html
    assert "Aucune attestation" in html_of(client.get(verify, {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}))


def test_minutes_page_refuses_a_stale_save_and_shows_both(client, past_session, collective, karim, josiane):
    client.force_login(josiane)
    page = url("minutes", collective, past_session.pk)
    assert client.post(page, {"text": "Premier jet", "base_version": 0}).status_code == 302
    minutes_save(actor=karim, session=past_session, text="Version de Karim", base_version=1)
    r = client.post(page, {"text": "Mon texte tapé", "base_version": 1})
    assert r.status_code == 400
    assert "Mon texte tapé" in html_of(r) and "Version de Karim" in html_of(r)


def test_session_pdfs(client, past_session, collective, karim, member, paul):
    session_record_attendance(
        actor=None, session=past_session, statuses={m.pk: "present" for m in collective.members.all()}
    )
    minutes_save(actor=karim, session=past_session, text="Parcelle choisie", base_version=0)
    client.force_login(karim)
    sheet = _pdf_text(client.get(url("session_pdf", collective, past_session.pk, "feuille")))
    assert "Feuille de présence" in sheet and "Fatou" in sheet
    minutes = _pdf_text(client.get(url("session_pdf", collective, past_session.pk, "compte-rendu")))
    assert "Parcelle choisie" in minutes
    assert client.get(url("session_pdf", collective, past_session.pk, "autre")).status_code == 404
    client.force_login(paul)  # readers get the minutes, not the signature sheet
    assert client.get(url("session_pdf", collective, past_session.pk, "feuille")).status_code == 404


def test_ical_feed_behind_an_unguessable_url(client, collective, karim, josiane):
    session_create(
        actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=2), place="Mairie"
    )
    client.force_login(josiane)
    assert collective.ical_token in html_of(client.get(url("sessions", collective)))
    client.logout()
    r = client.get(reverse("collectives:ical", args=[collective.ical_token]))
    cal = Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert r.status_code == 200 and len(events) == 1 and str(events[0]["location"]) == "Mairie"
    assert client.get(reverse("collectives:ical", args=["x" * 32])).status_code == 404


def test_notifications_page(client, collective, karim, josiane):
    session_create(actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=2))
    client.force_login(josiane)
    html = html_of(client.get(collective.get_absolute_url()))
    assert "1 non lue" in html
    assert "Prochaine séance" in html_of(client.get(reverse("collectives:notifications")))
    client.post(reverse("collectives:notifications_read"))
    assert "0 non lue" in html_of(client.get(reverse("collectives:notifications")))


def test_coordination_page(client, collective, karim, workspace):
    committee = collective_create(
        actor=karim,
        workspace=workspace,
        name="Comité de coordination",
        kind=Collective.Kind.COMITE_COORDINATION,
    )
    client.force_login(karim)
    r = client.post(url("coordination", committee), {"collectives": [collective.pk]})
    assert r.status_code == 302
    html = html_of(client.get(url("coordination", committee)))
    assert "Jardins partagés" in html and "Mise en œuvre" not in html


def test_local_ds_journey_pages(client, workspace, karim, josiane):
    ws = workspace.slug
    client.force_login(karim)
    r = client.post(
        reverse("collectives:local_ds", args=[ws]),
        {"departement_code": "17", "year": 2027, "quota": 3, "budget_cap": "50000"},
    )
    assert r.status_code == 302
    client.force_login(josiane)
    r = client.post(
        reverse("collectives:local_ds_create", args=[ws]),
        {
            "name": "Collectif",
            "project": "Un lieu",
            "departement_code": "17",
            "year": 2027,
            "amount_requested": "5000",
        },
    )
    application = LocalDSApplication.objects.get()
    assert r.status_code == 302
    html = html_of(client.get(application.get_absolute_url()))
    assert "ne répond pas encore" in html
    client.force_login(karim)
    client.post(
        reverse("collectives:local_ds_decide", args=[ws, application.pk]),
        {"verdict": "approve", "reasons": ""},
    )
    application.refresh_from_db()
    assert application.status == "deposee"
    client.post(
        reverse("collectives:local_ds_decide", args=[ws, application.pk]),
        {"verdict": "reject", "reasons": "Composition incomplète"},
    )
    application.refresh_from_db()
    assert application.status == "rejetee"
    assert client.get(reverse("collectives:local_ds_pool", args=[ws, "17"])).status_code == 200
    client.logout()
    assert client.get(reverse("collectives:local_ds", args=[ws])).status_code == 404


def test_public_minutes_pdf_names_nobody(client, past_session, collective, karim, workspace):
    from maillage.workspaces.models import Workspace

    workspace.visibility = Workspace.Visibility.PUBLIC
    workspace.save(update_fields=["visibility"])
    session_record_attendance(
        actor=None, session=past_session, statuses={m.pk: "present" for m in collective.members.all()}
    )
    minutes_save(actor=karim, session=past_session, text="Parcelle choisie", base_version=0)
    text = _pdf_text(client.get(url("session_pdf", collective, past_session.pk, "compte-rendu")))
    assert "Parcelle choisie" in text and "Fatou" not in text and "Josiane" not in text


def test_funding_line_is_updated_when_the_money_comes(client, collective, karim):
    from maillage.collectives.services import funding_line_save

    line = funding_line_save(
        actor=karim, collective=collective, label="Graines", amount_requested="300", status="demande"
    )
    client.force_login(karim)
    page = url("funding_edit", collective, line.pk)
    assert 'value="Graines"' in html_of(client.get(page))
    r = client.post(
        page, {"label": "Graines", "amount_requested": "300", "amount_obtained": "250", "status": "accorde"}
    )
    line.refresh_from_db()
    assert r.status_code == 302 and line.amount_obtained == 250 and line.status == "accorde"
    assert collective.funding_lines.count() == 1
