"""Sessions (séances): planning, attendance, closing with the next objectives, feedback."""

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives.models import Attendance, Collective, Feedback, Member, Session
from maillage.collectives.rules import member_of
from maillage.collectives.services._common import require as _require
from maillage.core.registry import timeline_changed


def _last_closed_session(collective: Collective) -> Session | None:
    return collective.sessions.filter(closed_at__isnull=False).order_by("-starts_at").first()


@transaction.atomic
def session_create(
    *,
    actor,
    collective: Collective,
    starts_at: datetime,
    place: str = "",
    agenda: str = "",
    objectives: str | None = None,
) -> Session:
    """Plan a session. Its objectives default to those fixed at the end of the previous session."""
    _require(actor, "collectives.manage_collective", collective.workspace)
    timeline_changed(collective.workspace_id)
    if objectives is None:
        previous = _last_closed_session(collective)
        objectives = previous.next_objectives if previous else ""
    return Session.objects.create(
        collective=collective,
        starts_at=starts_at,
        place=place.strip()[:200],
        agenda=agenda.strip(),
        objectives=objectives.strip(),
        created_by=actor,
    )


def expected_members(session: Session) -> list[Member]:
    """Everyone who belonged to the collective on the session's day, plus anyone already recorded."""
    day = timezone.localdate(session.starts_at)
    recorded = set(session.attendances.values_list("member_id", flat=True))
    members = session.collective.members.select_related("user").order_by("pk")
    return [m for m in members if m.is_active_on(day) or m.pk in recorded]


@transaction.atomic
def session_record_attendance(*, actor, session: Session, statuses: Mapping[int, str]) -> list[Attendance]:
    """Record present / excused / absent for every expected member, with or without account."""
    _require(actor, "collectives.manage_collective", session.collective.workspace)
    expected = {m.pk: m for m in expected_members(session)}
    unknown = set(statuses) - set(expected)
    if unknown:
        raise ValidationError(_("Ces personnes ne sont pas membres du collectif à cette date."))
    invalid = [pk for pk, status in statuses.items() if status not in Attendance.Status.values]
    missing = [m.display_name for pk, m in expected.items() if pk not in statuses or pk in invalid]
    if missing:
        raise ValidationError(
            _("Indiquez si ces personnes étaient présentes, excusées ou absentes : %(names)s.")
            % {"names": ", ".join(missing)}
        )
    existing = {a.member_id: a for a in session.attendances.all()}
    to_create, to_update = [], []
    for pk, status in statuses.items():
        if pk in existing:
            existing[pk].status = status
            to_update.append(existing[pk])
        else:
            to_create.append(Attendance(session=session, member_id=pk, status=status))
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status"])
    session.attendance_recorded_at = timezone.now()
    session.save(update_fields=["attendance_recorded_at"])
    return to_create + to_update


@transaction.atomic
def session_close(
    *,
    actor,
    session: Session,
    next_objectives: str,
    minutes: str | None = None,
    next_starts_at: datetime | None = None,
    next_place: str = "",
) -> Session | None:
    """Close a session. The next session's objectives are required: everyone leaves knowing what comes next.

    If a date is given, the next session is planned with these objectives; an already planned next session
    without objectives receives them. Returns the next session, if any.
    """
    collective = session.collective
    _require(actor, "collectives.manage_collective", collective.workspace)
    timeline_changed(collective.workspace_id)
    if session.is_closed:
        raise ValidationError(_("Cette séance est déjà close."))
    next_objectives = next_objectives.strip()
    if not next_objectives:
        raise ValidationError(
            _(
                "Fixez les objectifs de la prochaine séance avant de clore celle-ci : chacun doit savoir ce qui vient."
            )
        )
    if next_starts_at is not None and next_starts_at <= session.starts_at:
        raise ValidationError(_("La prochaine séance doit avoir lieu après celle-ci."))
    session.next_objectives = next_objectives
    if minutes is not None:
        session.minutes = minutes.strip()
    session.closed_at = timezone.now()
    session.closed_by = actor
    session.save(update_fields=["next_objectives", "minutes", "closed_at", "closed_by"])
    following = (
        collective.sessions.filter(closed_at__isnull=True, starts_at__gt=session.starts_at)
        .order_by("starts_at")
        .first()
    )
    if next_starts_at is not None:
        return Session.objects.create(
            collective=collective,
            starts_at=next_starts_at,
            place=next_place.strip()[:200],
            objectives=next_objectives,
            created_by=actor,
        )
    if following is not None and not following.objectives:
        following.objectives = next_objectives
        following.save(update_fields=["objectives"])
    return following


@transaction.atomic
def feedback_give(
    *, actor, session: Session, score: int, comment: str = "", on_paper: bool = False
) -> Feedback:
    """A member's quick feedback after a session (one per member, can be changed). An animateur may type
    anonymous feedback collected on paper (`on_paper=True`)."""
    collective = session.collective
    _require(actor, "collectives.give_feedback", collective)
    if score not in Feedback.Score.values:
        raise ValidationError(_("Choisissez une réponse entre 1 et 5."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Vous pourrez donner votre avis une fois la séance passée."))
    comment = comment.strip()[:300]
    if on_paper:
        _require(actor, "collectives.manage_collective", collective.workspace)
        return Feedback.objects.create(session=session, member=None, score=score, comment=comment)
    member = member_of(actor, collective)
    if member is None:
        raise ValidationError(_("Seuls les membres du collectif donnent leur avis sur une séance."))
    feedback, _created = Feedback.objects.update_or_create(
        session=session, member=member, defaults={"score": score, "comment": comment}
    )
    return feedback
