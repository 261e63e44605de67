from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maillage.collectives import selectors
from maillage.collectives.models import (
    ERASED_MEMBER_LABEL,
    Attendance,
    Collective,
    Decision,
    Feedback,
    Member,
    Proposal,
    StageChange,
)
from maillage.collectives.services import (
    MemberSpec,
    collective_change_stage,
    collective_create,
    decision_record,
    expected_members,
    feedback_give,
    member_add,
    member_leave,
    proposal_add,
    proposal_give_retour,
    session_close,
    session_create,
    session_record_attendance,
)
from maillage.core.models import AuditEvent

from .conftest import SINCE

ALL = Attendance.Status


def _create(actor, workspace, **kwargs):
    return collective_create(
        actor=actor, workspace=workspace, name="Groupe", kind=Collective.Kind.GROUPE_PROJET, **kwargs
    )


# --- Creation: the one entry point (workshops and diagnostics call it) -------------------------------------


def test_create_from_a_workshop_with_members_with_and_without_account(collective, karim, josiane):
    assert collective.slug == "jardins-partages"
    assert collective.origin == Collective.Origin.WORKSHOP
    assert collective.origin_url == "/ateliers/avenir-12-mars/"
    assert collective.themes == ["jardins", "convivialité"]
    assert collective.stage == Collective.Stage.EMERGENCE
    assert collective.composition_target == 50  # groups aim at parity by default
    names = sorted(m.display_name for m in collective.members.select_related("user"))
    assert names == ["Fatou", "Josiane", "Karim", "Marc"]
    fatou = collective.members.get(pseudonym="Fatou")
    assert fatou.user is None and fatou.consent_given_at is not None and fatou.contact == "06 12 34 56 78"
    history = list(collective.stage_changes.all())
    assert [(h.from_stage, h.to_stage, h.changed_by) for h in history] == [("", "emergence", karim)]
    assert AuditEvent.objects.filter(action="collective.create", details__members=4).exists()


def test_create_from_a_diagnostic_preconisation(workspace, alice):
    collective = collective_create(
        actor=alice,
        workspace=workspace,
        name="Mobilité des aînés",
        kind=Collective.Kind.ACTION_COLLECTIVE,
        origin=Collective.Origin.DIAGNOSTIC,
        origin_label="Préconisation 3 — transport solidaire",
        origin_url="https://exemple.org/diagnostics/3",
        themes=["mobilité", "Mobilité", "  aînés "],
        work_model=Collective.WorkModel.COMMUNITY,
    )
    assert collective.themes == ["mobilité", "aînés"]
    assert collective.members.count() == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"origin_url": "javascript:alert(1)"}, "doit commencer"),
        ({"themes": ["x" * 41]}, "trop long"),
        ({"members": [MemberSpec(pseudonym="Sans accord")]}, "accord"),
        ({"members": [MemberSpec(pseudonym="  ")]}, "pseudonyme"),
        ({"composition_target": 120}, "entre 0 et 100"),
    ],
)
def test_create_rejects_bad_input_and_writes_nothing(workspace, karim, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        _create(karim, workspace, **kwargs)
    assert not Collective.objects.exists()


def test_member_with_account_must_belong_to_the_workspace(workspace, karim, outsider):
    with pytest.raises(ValidationError, match="pas membre de l'espace"):
        _create(karim, workspace, members=[MemberSpec(user=outsider)])


def test_slugs_are_unique_per_workspace_and_avoid_url_words(workspace, karim):
    assert _create(karim, workspace).slug == "groupe"
    assert _create(karim, workspace).slug == "groupe-2"
    nouveau = collective_create(actor=karim, workspace=workspace, name="Nouveau", kind="instance")
    assert nouveau.slug == "nouveau-2"
    assert nouveau.composition_target is None  # steering bodies are not expected to be half inhabitants


@pytest.mark.parametrize("persona", ["josiane", "marc", "sophie", "paul", "outsider"])
def test_only_animateurs_and_admins_create_collectives(request, workspace, persona):
    with pytest.raises(PermissionDenied):
        _create(request.getfixturevalue(persona), workspace)


@pytest.mark.parametrize("persona", ["alice", "karim"])
def test_animateurs_and_admins_create_collectives(request, workspace, persona):
    assert _create(request.getfixturevalue(persona), workspace).pk


# --- Stage ----------------------------------------------------------------------------------------------


def test_stage_history_keeps_who_when_why(collective, karim, josiane):
    collective_change_stage(actor=karim, collective=collective, stage="constitution", note="Le groupe est là")
    collective_change_stage(actor=karim, collective=collective, stage="mise_en_oeuvre")
    assert collective.stage == "mise_en_oeuvre"
    changes = list(StageChange.objects.filter(collective=collective).order_by("changed_at", "pk"))
    assert [(c.from_stage, c.to_stage) for c in changes] == [
        ("", "emergence"),
        ("emergence", "constitution"),
        ("constitution", "mise_en_oeuvre"),
    ]
    assert changes[1].note == "Le groupe est là" and changes[1].changed_by == karim
    with pytest.raises(ValidationError, match="déjà"):
        collective_change_stage(actor=karim, collective=collective, stage="mise_en_oeuvre")
    with pytest.raises(PermissionDenied):
        collective_change_stage(actor=josiane, collective=collective, stage="autonomie")


# --- Members and composition -----------------------------------------------------------------------------


def test_composition_warning_when_below_the_target(collective, karim, sophie):
    comp = selectors.composition_of(collective)
    assert (comp.total, comp.people_count, comp.people_percent) == (4, 2, 50)
    assert not comp.below_target
    member_add(actor=karim, collective=collective, spec=MemberSpec(user=sophie, category="partenaire"))
    comp = selectors.composition_of(collective)
    assert comp.people_percent == 40 and comp.below_target
    assert ("partenaire", "Partenaire", 1, 20) in comp.rows
    member_add(
        actor=karim,
        collective=collective,
        spec=MemberSpec(pseudonym="Rachid", consent_given_at=timezone.now(), category="personne_accompagnee"),
    )
    assert not selectors.composition_of(collective).below_target  # 3 of 6


def test_left_members_leave_the_composition_and_can_come_back(collective, karim, member, marc):
    member_leave(actor=karim, member=member("Marc"))
    assert selectors.composition_of(collective).total == 3
    with pytest.raises(ValidationError, match="déjà partie"):
        member_add(actor=karim, collective=collective, spec=MemberSpec(user=member("Josiane").user))
    back = member_add(actor=karim, collective=collective, spec=MemberSpec(user=marc, category="elu"))
    assert back.pk == member("Marc").pk and back.left_on is None


@pytest.mark.parametrize("persona", ["josiane", "marc", "paul", "outsider"])
def test_only_animateurs_add_members(request, collective, persona):
    spec = MemberSpec(pseudonym="Léa", consent_given_at=timezone.now())
    with pytest.raises(PermissionDenied):
        member_add(actor=request.getfixturevalue(persona), collective=collective, spec=spec)


# --- Sessions, attendance, closing --------------------------------------------------------------------------


def _all_present(collective, session, actor, **overrides):
    statuses = {
        m.pk: overrides.get(m.display_name, ALL.PRESENT) for m in collective.members.select_related("user")
    }
    session_record_attendance(actor=actor, session=session, statuses=statuses)


def test_attendance_covers_every_member_with_or_without_account(collective, past_session, karim, member):
    with pytest.raises(ValidationError, match="Fatou"):
        session_record_attendance(
            actor=karim, session=past_session, statuses={member("Josiane").pk: ALL.PRESENT}
        )
    _all_present(collective, past_session, karim, Fatou=ALL.EXCUSED)
    assert past_session.attendances.count() == 4
    assert past_session.attendances.get(member=member("Fatou")).status == ALL.EXCUSED
    _all_present(collective, past_session, karim)  # correcting is allowed
    assert past_session.attendances.filter(status=ALL.PRESENT).count() == 4


def test_session_cannot_close_without_next_objectives(past_session, karim):
    with pytest.raises(ValidationError, match="objectifs de la prochaine séance"):
        session_close(actor=karim, session=past_session, next_objectives="   ")
    past_session.refresh_from_db()
    assert past_session.closed_at is None


def test_closing_plans_the_next_session_with_its_objectives(collective, past_session, karim):
    nxt = session_close(
        actor=karim,
        session=past_session,
        next_objectives="Visiter la parcelle",
        minutes="On a choisi la parcelle du bas.",
        next_starts_at=timezone.now() + timedelta(days=14),
        next_place="Mairie annexe",
    )
    assert past_session.is_closed and past_session.minutes.startswith("On a choisi")
    assert nxt.objectives == "Visiter la parcelle" and nxt.place == "Mairie annexe"
    assert selectors.next_session(collective) == nxt
    with pytest.raises(ValidationError, match="déjà close"):
        session_close(actor=karim, session=past_session, next_objectives="x")
    # A session planned later starts from the last objectives fixed.
    later = session_create(actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=30))
    assert later.objectives == "Visiter la parcelle"


def test_closing_gives_its_objectives_to_an_already_planned_session(collective, past_session, karim):
    planned = session_create(
        actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=7), objectives=""
    )
    assert session_close(actor=karim, session=past_session, next_objectives="Budget") == planned
    planned.refresh_from_db()
    assert planned.objectives == "Budget"


@pytest.mark.parametrize("persona", ["josiane", "marc", "sophie", "paul", "outsider"])
def test_only_animateurs_run_sessions(request, collective, past_session, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        session_create(actor=actor, collective=collective, starts_at=timezone.now())
    with pytest.raises(PermissionDenied):
        session_close(actor=actor, session=past_session, next_objectives="x")
    with pytest.raises(PermissionDenied):
        session_record_attendance(actor=actor, session=past_session, statuses={})


# --- Feedback --------------------------------------------------------------------------------------------


def test_members_give_feedback_once_and_animateurs_type_paper_feedback(
    collective, past_session, josiane, karim
):
    feedback_give(actor=josiane, session=past_session, score=4, comment="Bien")
    feedback_give(actor=josiane, session=past_session, score=5)  # changes her answer
    feedback_give(actor=karim, session=past_session, score=2, on_paper=True)
    summary = selectors.feedback_summary(past_session)
    assert summary.count == 2 and summary.average == 3.5
    assert Feedback.objects.get(member__user=josiane).score == 5
    with pytest.raises(ValidationError, match="entre 1 et 5"):
        feedback_give(actor=josiane, session=past_session, score=6)


def test_feedback_waits_for_the_session_and_is_for_members(collective, karim, josiane, paul, sophie):
    future = session_create(actor=karim, collective=collective, starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError, match="une fois la séance passée"):
        feedback_give(actor=josiane, session=future, score=3)
    past = session_create(actor=karim, collective=collective, starts_at=timezone.now() - timedelta(hours=1))
    for outsider_of_the_group in (paul, sophie):
        with pytest.raises(PermissionDenied):
            feedback_give(actor=outsider_of_the_group, session=past, score=3)
    with pytest.raises(PermissionDenied):
        feedback_give(actor=josiane, session=past, score=3, on_paper=True)


# --- Proposals, decisions, retours ------------------------------------------------------------------------


def test_decision_answers_proposals_and_their_authors_get_a_retour(
    collective, past_session, karim, josiane, member
):
    _all_present(collective, past_session, karim, Marc=ALL.ABSENT)
    mine = proposal_add(actor=josiane, collective=collective, text="Un composteur collectif")
    typed = proposal_add(actor=karim, collective=collective, text="Des bancs", author=member("Fatou"))
    assert mine.author == member("Josiane") and typed.author == member("Fatou") and typed.created_by == karim
    decision = decision_record(
        actor=karim,
        collective=collective,
        text="On installe un composteur et deux bancs au printemps.",
        level=Decision.Level.CODECISION,
        method=Decision.Method.CONSENT,
        result="adoptée sans objection",
        session=past_session,
        answers={mine: "Retenue : installation en avril.", typed: "Retenue pour deux bancs."},
    )
    assert sorted(m.display_name for m in decision.participants.all()) == ["Fatou", "Josiane", "Karim"]
    mine.refresh_from_db()
    assert mine.decision == decision and mine.retour == "Retenue : installation en avril." and mine.has_retour
    assert decision.decided_on == timezone.localdate(past_session.starts_at)


def test_retour_is_required_for_each_answered_proposal(collective, karim, josiane):
    p = proposal_add(actor=josiane, collective=collective, text="Une fête")
    with pytest.raises(ValidationError, match="devenue"):
        decision_record(
            actor=karim, collective=collective, text="x", level="information", method="vote", answers={p: " "}
        )
    assert not Decision.objects.exists()


def test_retour_without_decision(collective, karim, josiane):
    p = proposal_add(actor=josiane, collective=collective, text="Un abri")
    proposal_give_retour(actor=karim, proposal=p, retour="Transmise à la mairie, réponse en juin.")
    p.refresh_from_db()
    assert p.has_retour and p.decision is None and p.retour_by == karim
    with pytest.raises(PermissionDenied):
        proposal_give_retour(actor=josiane, proposal=p, retour="x")


@pytest.mark.parametrize("persona", ["sophie", "paul", "outsider"])
def test_only_members_of_the_collective_propose(request, collective, persona):
    with pytest.raises(PermissionDenied):
        proposal_add(actor=request.getfixturevalue(persona), collective=collective, text="Idée")


def test_a_lecteur_member_of_the_collective_stays_read_only(collective, karim, paul):
    member_add(actor=karim, collective=collective, spec=MemberSpec(user=paul, category="habitant"))
    with pytest.raises(PermissionDenied):
        proposal_add(actor=paul, collective=collective, text="Idée")


def test_members_cannot_propose_in_someone_elses_name(collective, josiane, member):
    with pytest.raises(PermissionDenied):
        proposal_add(actor=josiane, collective=collective, text="x", author=member("Fatou"))


def test_proposals_without_retour_after_the_delay_are_flagged(collective, josiane, karim):
    old = proposal_add(actor=josiane, collective=collective, text="Ancienne idée")
    Proposal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    proposal_add(actor=josiane, collective=collective, text="Idée récente")
    answered = proposal_add(actor=josiane, collective=collective, text="Idée traitée")
    Proposal.objects.filter(pk=answered.pk).update(created_at=timezone.now() - timedelta(days=40))
    proposal_give_retour(actor=karim, proposal=answered, retour="Faite")
    assert [p.text for p in selectors.proposals_without_retour_since(collective)] == ["Ancienne idée"]
    collective.retour_delay_days = 45
    assert not selectors.proposals_without_retour_since(collective).exists()


# --- Remobilisation ---------------------------------------------------------------------------------------


def _held_sessions(collective, karim, n, **overrides):
    sessions = []
    for i in range(n, 0, -1):
        s = session_create(
            actor=karim, collective=collective, starts_at=timezone.now() - timedelta(days=7 * i)
        )
        _all_present(collective, s, karim, **overrides)
        sessions.append(s)
    return sessions


def test_absence_alert_after_three_missed_sessions_in_a_row(collective, karim, member):
    _held_sessions(collective, karim, 2, Fatou=ALL.ABSENT)
    active = list(collective.members.select_related("user"))
    assert selectors.absence_alerts(collective, active) == []
    _held_sessions(collective, karim, 1, Fatou=ALL.EXCUSED, Marc=ALL.ABSENT)
    alerts = selectors.absence_alerts(collective, active)
    assert [(m.display_name, n) for m, n in alerts] == [("Fatou", 3)]


def test_a_presence_resets_the_streak_and_left_members_are_not_alerted(collective, karim, member):
    sessions = _held_sessions(collective, karim, 4, Fatou=ALL.ABSENT, Marc=ALL.ABSENT)
    Attendance.objects.filter(session=sessions[-1], member=member("Fatou")).update(status=ALL.PRESENT)
    member_leave(actor=karim, member=member("Marc"))
    active = [m for m in collective.members.select_related("user") if m.is_active]
    assert selectors.absence_alerts(collective, active) == []


def test_attendance_trend_per_member(collective, karim, member):
    sessions = _held_sessions(collective, karim, 6)
    for s in sessions[-3:]:
        Attendance.objects.filter(session=s, member=member("Marc")).update(status=ALL.ABSENT)
    trends, session_rows = selectors.attendance_trends(collective)
    by_name = {t.member.display_name: t for t in trends}
    assert by_name["Marc"].trend == "baisse" and by_name["Marc"].rate == 50
    assert by_name["Marc"].misses_in_a_row == 3
    assert by_name["Josiane"].trend == "stable" and by_name["Josiane"].rate == 100
    assert by_name["Marc"].recent[:3] == [ALL.ABSENT] * 3
    assert [row.present for row in session_rows][:3] == [3, 3, 3]


def test_members_joining_later_are_not_expected_at_earlier_sessions(collective, karim):
    s = session_create(actor=karim, collective=collective, starts_at=timezone.now() - timedelta(days=200))
    assert expected_members(s) == []
    assert timezone.localdate(s.starts_at) < SINCE


# --- Personal data ------------------------------------------------------------------------------------------


def test_export_and_erase_keep_attendance_counts(collective, past_session, karim, josiane, member):
    from maillage.accounts.services import user_delete, user_export_data

    _all_present(collective, past_session, karim)
    proposal_add(actor=josiane, collective=collective, text="Un composteur")
    data = user_export_data(user=josiane)["collectives"]
    assert data["memberships"][0]["collective"] == "Jardins partagés"
    assert data["memberships"][0]["attendance"][0]["status"] == "present"
    assert data["proposals"][0]["text"] == "Un composteur"
    josiane_member = member("Josiane").pk
    user_delete(user=josiane)
    erased = Member.objects.get(pk=josiane_member)
    assert erased.user is None and erased.pseudonym == ERASED_MEMBER_LABEL and erased.left_on is not None
    assert erased.attendances.count() == 1
    assert Proposal.objects.get(text="Un composteur").author.display_name == ERASED_MEMBER_LABEL
