"""Charter, action plan, handover, remobilisation, attestations, minutes, notifications, coordination."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from maillage.collectives import selectors, selectors_work
from maillage.collectives.models import Attendance, Collective, Notification, Task
from maillage.collectives.services import (
    StaleEdit,
    attestation_issue,
    attestation_revoke,
    attestation_verify,
    charter_adopt,
    charter_edit,
    charter_sign,
    collective_create,
    collective_set_referent,
    coordination_set,
    decision_record,
    funding_line_save,
    member_leave,
    member_set_binome,
    minutes_save,
    notifications_mark_read,
    proposal_add,
    send_digests,
    send_task_reminders,
    session_create,
    session_record_attendance,
    task_create,
    task_update,
    tasks_to_remind,
)
from maillage.collectives.services.attestations import normalise_code, skills

ALL = Attendance.Status


def _decision(collective, karim, text="Nous adoptons la charte."):
    return decision_record(
        actor=karim, collective=collective, text=text, level="codecision", method="consensus"
    )


def _held(collective, karim, n, **absent):
    """n past sessions with attendance; members named in `absent` get that status, others present."""
    sessions = []
    for i in range(n):
        s = session_create(
            actor=karim, collective=collective, starts_at=timezone.now() - timedelta(days=7 * (n - i))
        )
        statuses = {}
        for m in collective.members.select_related("user"):
            statuses[m.pk] = absent.get(m.display_name, ALL.PRESENT)
        session_record_attendance(actor=None, session=s, statuses=statuses)
        sessions.append(s)
    return sessions


# --- Charter ------------------------------------------------------------------------------------------------


def test_charter_is_written_together_adopted_by_a_decision_and_signed(collective, karim, josiane, member):
    v1 = charter_edit(actor=josiane, collective=collective, text="On s'écoute.", base_version=0)
    v2 = charter_edit(
        actor=karim, collective=collective, text="On s'écoute.\nOn arrive à l'heure.", base_version=1
    )
    assert (v1.number, v1.author, v2.number, v2.author) == (1, josiane, 2, karim)
    with pytest.raises(ValidationError, match="adoptée"):
        charter_sign(actor=josiane, member=member("Josiane"))
    decision = _decision(collective, karim)
    charter = charter_adopt(actor=karim, collective=collective, decision=decision)
    assert charter.adopted_version == v2 and charter.adopting_decision == decision
    own = charter_sign(actor=josiane, member=member("Josiane"))
    assert not own.on_behalf and own.recorded_by == josiane
    paper = charter_sign(
        actor=karim, member=member("Fatou"), signed_on=timezone.localdate() - timedelta(days=1)
    )
    assert paper.on_behalf and paper.recorded_by == karim
    with pytest.raises(ValidationError, match="déjà signé"):
        charter_sign(actor=karim, member=member("Fatou"))
    with pytest.raises(PermissionDenied):  # a habitante cannot sign for someone else
        charter_sign(actor=josiane, member=member("Marc"))
    page = selectors_work.charter_page(collective)
    assert [m.display_name for m in page["unsigned"]] == ["Karim", "Marc"]


def test_a_stale_charter_edit_is_refused_with_the_current_text(collective, karim, josiane):
    charter_edit(actor=josiane, collective=collective, text="Version de Josiane", base_version=0)
    with pytest.raises(StaleEdit) as caught:
        charter_edit(actor=karim, collective=collective, text="Version de Karim", base_version=0)
    assert caught.value.current_text == "Version de Josiane" and caught.value.current_version == 1
    assert caught.value.current_author == "Josiane"


@pytest.mark.parametrize("persona", ["paul", "outsider"])
def test_readers_and_outsiders_cannot_write_the_charter(request, collective, persona):
    with pytest.raises(PermissionDenied):
        charter_edit(actor=request.getfixturevalue(persona), collective=collective, text="x", base_version=0)


def test_adoption_needs_a_decision_of_the_same_collective(collective, karim, workspace):
    other = collective_create(actor=karim, workspace=workspace, name="Autre", kind="groupe_projet")
    charter_edit(actor=karim, collective=collective, text="Texte", base_version=0)
    with pytest.raises(ValidationError, match="pas celle du collectif"):
        charter_adopt(actor=karim, collective=collective, decision=_decision(other, karim))


# --- Action plan ----------------------------------------------------------------------------------------------


def test_tasks_for_members_with_or_without_account_and_reminders(collective, karim, josiane, member):
    today = timezone.localdate()
    late = task_create(
        actor=karim,
        collective=collective,
        title="Demander la clé",
        owner=member("Fatou"),
        due_on=today - timedelta(days=2),
    )
    soon = task_create(
        actor=karim,
        collective=collective,
        title="Acheter les graines",
        owner=member("Josiane"),
        due_on=today + timedelta(days=3),
    )
    task_create(actor=karim, collective=collective, title="Plus tard", due_on=today + timedelta(days=60))
    reminders = tasks_to_remind()
    assert [(r.task.title, r.overdue) for r in reminders] == [
        ("Demander la clé", True),
        ("Acheter les graines", False),
    ]
    assert Notification.objects.filter(user=josiane, kind="tache").count() == 1  # assigned
    send_task_reminders()
    send_task_reminders()  # once a day only
    assert Notification.objects.filter(user=josiane, kind="tache").count() == 2
    assert late.pk and soon.pk
    # The owner with an account updates her own task; she may not reassign it.
    task_update(actor=josiane, task=soon, status=Task.Status.DONE)
    soon.refresh_from_db()
    assert soon.status == "faite" and soon.done_at is not None
    with pytest.raises(PermissionDenied):
        task_update(actor=josiane, task=soon, status="a_faire", owner=member("Marc"))
    with pytest.raises(PermissionDenied):
        task_update(actor=josiane, task=late, status="faite")


def test_reminders_command_lists_overdue_tasks(collective, karim, member, capsys):
    task_create(
        actor=karim,
        collective=collective,
        title="Relancer la mairie",
        owner=member("Marc"),
        due_on=timezone.localdate() - timedelta(days=1),
    )
    call_command("collectives_task_reminders")
    out = capsys.readouterr().out
    assert "EN RETARD" in out and "Relancer la mairie" in out and "1 tâche" in out


def test_task_owner_must_be_a_current_member(collective, karim, member, workspace):
    member_leave(actor=karim, member=member("Marc"))
    with pytest.raises(ValidationError):
        task_create(actor=karim, collective=collective, title="x", owner=member("Marc"))


def test_funding_lines_with_a_directory_funder(collective, karim, workspace):
    from maillage.directory.models import Structure

    caf = Structure.objects.create(workspace=workspace, name="CAF de la Charente-Maritime")
    line = funding_line_save(
        actor=karim,
        collective=collective,
        label="Outils de jardinage",
        funder=caf,
        amount_requested="1200",
        amount_obtained="800",
        status="accorde",
    )
    assert line.funder_label == "CAF de la Charente-Maritime" and line.amount_obtained == Decimal("800.00")
    with pytest.raises(ValidationError, match="positif"):
        funding_line_save(actor=karim, collective=collective, label="x", amount_requested="-5")
    page = selectors_work.plan_page(collective)
    assert page["requested_total"] == Decimal("1200") and page["obtained_total"] == Decimal("800")


# --- Binôme and handover ---------------------------------------------------------------------------------------


def test_a_professional_leaves_with_a_handover_note_to_the_binome(collective, karim, josiane, member):
    collective_set_referent(actor=karim, collective=collective, referent=member("Karim"))
    member_set_binome(actor=karim, member=member("Karim"), binome=member("Josiane"))
    with pytest.raises(ValidationError, match="note de passation"):
        member_leave(actor=karim, member=member("Karim"))
    member_leave(
        actor=karim, member=member("Karim"), handover_note="Clé chez la gardienne. Relancer la mairie."
    )
    karim_row = member("Karim")
    collective.refresh_from_db()
    assert karim_row.left_on == timezone.localdate() and karim_row.handover_to == member("Josiane")
    assert collective.referent == member("Josiane")  # the binôme takes over
    assert Notification.objects.filter(user=josiane, kind="passation").exists()
    page = selectors.collective_page(collective, can_manage=True, own_member=None)
    assert [m.display_name for m in page["handovers"]] == ["Karim"]


def test_binome_only_for_professionals(collective, karim, member):
    with pytest.raises(ValidationError):
        member_set_binome(actor=karim, member=member("Josiane"), binome=member("Karim"))


# --- Remobilisation --------------------------------------------------------------------------------------------


def test_a_session_well_below_the_group_average_is_flagged(collective, karim, member):
    sessions = _held(collective, karim, 4)
    for name in ("Josiane", "Fatou", "Marc"):
        Attendance.objects.filter(session=sessions[-1], member=member(name)).update(status=ALL.ABSENT)
    page = selectors.collective_page(collective, can_manage=True, own_member=None)
    drop = page["attendance_drop"]
    assert drop.session == sessions[-1] and drop.rate == 25 and drop.group_average == 100
    _trends, rates = selectors.attendance_trends(collective)
    assert [r.is_low for r in rates] == [True, False, False, False]


def test_no_drop_alert_when_attendance_is_steady(collective, karim):
    _held(collective, karim, 4, Fatou=ALL.ABSENT)
    assert selectors.collective_page(collective, can_manage=True, own_member=None)["attendance_drop"] is None


# --- Attestations ---------------------------------------------------------------------------------------------


def test_attestation_is_signed_by_the_referent_and_verifiable(collective, karim, member):
    _held(collective, karim, 3, Fatou=ALL.ABSENT)
    with pytest.raises(ValidationError, match="référent"):
        attestation_issue(actor=karim, member=member("Josiane"), skills_chosen=["prise_de_parole"])
    collective_set_referent(actor=karim, collective=collective, referent=member("Karim"))
    with pytest.raises(ValidationError, match="aucune séance"):
        attestation_issue(actor=karim, member=member("Fatou"), skills_chosen=["organisation"])
    with pytest.raises(ValidationError, match="inconnue"):
        attestation_issue(actor=karim, member=member("Josiane"), skills_chosen=["jonglage"])
    a = attestation_issue(
        actor=karim,
        member=member("Josiane"),
        skills_chosen=["prise_de_parole", "negociation"],
        extra_roles=["Secrétaire de séance"],
    )
    assert len(a.sessions) == 3 and a.signed_by_name == "Karim"
    assert a.skills == ["Prise de parole en public", "Négociation avec une institution"]
    assert "Secrétaire de séance" in a.roles and "Habitant ou habitante" in a.roles
    assert attestation_verify(a.code.lower().replace("-", " ")) == a
    assert attestation_verify("AAAA-BBBB-CCCC-DDDD") is None and attestation_verify("court") is None
    assert normalise_code(a.code) == a.code and len(a.code) == 19
    attestation_revoke(actor=karim, attestation=a)
    assert not attestation_verify(a.code).is_valid


def test_skills_list_is_shipped_data_with_its_source():
    import json

    from maillage.collectives.services.attestations import SKILLS_FILE

    data = json.loads(SKILLS_FILE.read_text())
    assert "hcts-guide-ds-annexe-actions-inspirantes.txt" in data["source"] and "2229-2230" in data["source"]
    assert skills()["animation_reunion"] == "Animation de réunion"


@pytest.mark.parametrize("persona", ["josiane", "paul"])
def test_only_animateurs_issue_attestations(request, collective, karim, member, persona):
    with pytest.raises(PermissionDenied):
        attestation_issue(
            actor=request.getfixturevalue(persona), member=member("Josiane"), skills_chosen=["organisation"]
        )


# --- Minutes --------------------------------------------------------------------------------------------------


def test_minutes_are_co_edited_and_a_stale_save_is_refused(past_session, karim, josiane):
    minutes_save(actor=josiane, session=past_session, text="Nous avons choisi la parcelle.", base_version=0)
    past_session.refresh_from_db()
    assert past_session.minutes_version == 1 and past_session.minutes_edited_by == josiane
    with pytest.raises(StaleEdit) as caught:
        minutes_save(actor=karim, session=past_session, text="Autre texte", base_version=0)
    assert caught.value.current_text == "Nous avons choisi la parcelle."
    minutes_save(
        actor=karim, session=past_session, text="Parcelle choisie ; clé chez la gardienne.", base_version=1
    )
    assert list(past_session.minutes_versions.values_list("number", flat=True)) == [2, 1]


# --- Notifications --------------------------------------------------------------------------------------------


def test_notifications_for_sessions_decisions_and_retours_then_digest(
    collective, karim, josiane, member, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    session_create(
        actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=3), place="Mairie"
    )
    proposal = proposal_add(actor=josiane, collective=collective, text="Un composteur")
    decision_record(
        actor=karim,
        collective=collective,
        text="Composteur en avril",
        level="codecision",
        method="vote",
        answers={proposal: "Retenue"},
    )
    kinds = sorted(Notification.objects.filter(user=josiane).values_list("kind", flat=True))
    assert kinds == ["decision", "retour", "seance"]
    assert not Notification.objects.filter(user__isnull=True).exists()
    assert send_digests(base_url="https://maillage.test") >= 1
    body = next(m.body for m in mail.outbox if m.to == [josiane.email])
    assert "Un composteur" in body and "https://maillage.test/collectifs/" in body
    assert send_digests() == 0  # nothing twice
    assert notifications_mark_read(actor=josiane) == 3
    assert selectors_work.unread_count(josiane) == 0


# --- Coordination ---------------------------------------------------------------------------------------------


def test_coordination_committee_sees_the_status_of_its_collectives(
    collective, karim, workspace, member, django_assert_max_num_queries
):
    committee = collective_create(
        actor=karim,
        workspace=workspace,
        name="Comité de coordination",
        kind=Collective.Kind.COMITE_COORDINATION,
    )
    with pytest.raises(ValidationError):
        coordination_set(actor=karim, committee=collective, collectives=[committee])
    coordination_set(actor=karim, committee=committee, collectives=[collective])
    _held(collective, karim, 1)
    task_create(
        actor=karim, collective=collective, title="En retard", due_on=timezone.localdate() - timedelta(days=1)
    )
    member_leave(actor=karim, member=member("Josiane"))
    member_leave(actor=karim, member=member("Fatou"))
    with django_assert_max_num_queries(3):
        rows = selectors_work.coordination_status(committee)
    assert rows[0].collective == collective and rows[0].overdue_tasks == 1
    assert rows[0].last_session_at is not None and rows[0].composition_warning


def test_personal_data_export_and_erase_cover_the_new_records(collective, karim, josiane, member):
    from maillage.collectives.personal_data import erase_collectives, export_collectives

    _held(collective, karim, 1)
    collective_set_referent(actor=karim, collective=collective, referent=member("Karim"))
    charter_edit(actor=josiane, collective=collective, text="Charte", base_version=0)
    task_create(actor=karim, collective=collective, title="Graines", owner=member("Josiane"))
    a = attestation_issue(actor=karim, member=member("Josiane"), skills_chosen=["organisation"])
    data = export_collectives(josiane)
    assert data["tasks"][0]["title"] == "Graines" and data["attestations"][0]["code"] == a.code
    assert data["charter_versions_written"] == 1 and data["notifications"]
    erase_collectives(josiane)
    a.refresh_from_db()
    assert a.holder_name == "Membre parti·e" and not a.is_valid
    assert not Notification.objects.filter(user=josiane).exists()
    assert collective.charter.versions.get().author is None


def test_group_trend_compares_the_newer_half_with_the_older(collective, karim, member):
    sessions = _held(collective, karim, 6)
    for s in sessions[-3:]:
        for name in ("Josiane", "Fatou"):
            Attendance.objects.filter(session=s, member=member(name)).update(status=ALL.ABSENT)
    _trends, rates = selectors.attendance_trends(collective)
    assert [r.rate for r in rates] == [50, 50, 50, 100, 100, 100]
    assert selectors.collective_trend(rates) == "baisse"
    assert selectors.collective_trend(rates[::-1]) == "hausse"
    assert selectors.collective_trend(rates[:3]) == ""


def test_an_animateur_changing_a_state_keeps_owner_and_due_date(collective, karim, member):
    due = timezone.localdate() + timedelta(days=4)
    task = task_create(actor=karim, collective=collective, title="Affiche", owner=member("Fatou"), due_on=due)
    task_update(actor=karim, task=task, status=Task.Status.DOING)
    task.refresh_from_db()
    assert (task.status, task.owner, task.due_on) == ("en_cours", member("Fatou"), due)
    task_update(actor=karim, task=task, status=Task.Status.DOING, owner=None, due_on=None)
    task.refresh_from_db()
    assert task.owner is None and task.due_on is None


def test_digest_command_sends_one_mail_per_person(collective, karim, josiane, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    session_create(actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=3))
    session_create(actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=10))
    call_command("collectives_notification_digest", "--base-url", "https://maillage.test/")
    assert "3 e-mail(s)" in capsys.readouterr().out  # Karim, Josiane, Marc; Fatou has no account
    josiane_mail = next(m for m in mail.outbox if m.to == [josiane.email])
    assert josiane_mail.body.count("Prochaine séance") == 2


def test_celery_tasks_run_inline(collective, karim, member):
    from maillage.collectives.tasks import task_reminders_task

    task_create(
        actor=karim,
        collective=collective,
        title="En retard",
        owner=member("Josiane"),
        due_on=timezone.localdate() - timedelta(days=1),
    )
    assert task_reminders_task.delay().get() == 1


def test_animateurs_are_notified_when_someone_falls_away_or_attendance_drops(
    collective, karim, josiane, member
):
    _held(collective, karim, 3, Marc=ALL.ABSENT)
    alerts = list(Notification.objects.filter(kind="alerte").values_list("user__display_name", "text"))
    assert alerts == [("Karim", "Marc a manqué les 3 dernières séances : prenez de ses nouvelles.")]
    s = session_create(actor=karim, collective=collective, starts_at=timezone.now() - timedelta(hours=1))
    statuses = {m.pk: ALL.ABSENT for m in collective.members.all()}
    statuses[member("Karim").pk] = ALL.PRESENT
    session_record_attendance(actor=karim, session=s, statuses=statuses)
    session_record_attendance(actor=karim, session=s, statuses=statuses)  # recorded twice: told once
    texts = list(Notification.objects.filter(kind="alerte", user=karim).values_list("text", flat=True))
    assert len(texts) == 2 and any(
        t.startswith("Présence en baisse") and "25 % contre 75 %" in t for t in texts
    )
    assert not Notification.objects.filter(kind="alerte", user=josiane).exists()
