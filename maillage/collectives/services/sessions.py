"""Sessions (séances): planning, attendance, closing with the next objectives, feedback."""

from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives.models import (
    Attendance,
    Collective,
    Feedback,
    Member,
    MinutesVersion,
    Notification,
    Session,
)
from maillage.collectives.rules import member_of
from maillage.collectives.services._common import require as _require
from maillage.collectives.services.charter import StaleEdit
from maillage.collectives.services.notifications import active_members, notify
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
    session = Session.objects.create(
        collective=collective,
        starts_at=starts_at,
        place=place.strip()[:200],
        agenda=agenda.strip(),
        objectives=objectives.strip(),
        created_by=actor,
    )
    _announce(session)
    return session


def _announce(session: Session) -> None:
    when = timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M")
    notify(
        collective=session.collective,
        kind=Notification.Kind.SESSION,
        text=_("Prochaine séance le %(when)s%(place)s.")
        % {"when": when, "place": f" — {session.place}" if session.place else ""},
        url=session.get_absolute_url(),
        members=active_members(session.collective),
    )


def _save_minutes(session: Session, text: str, actor) -> None:
    session.minutes_version += 1
    session.minutes = text
    session.minutes_edited_by = actor
    session.minutes_edited_at = timezone.now()
    MinutesVersion.objects.create(session=session, number=session.minutes_version, text=text, author=actor)


@transaction.atomic
def minutes_save(*, actor, session: Session, text: str, base_version: int) -> Session:
    """Save the co-edited minutes. `base_version` is the version the writer opened: if someone saved in
    between, StaleEdit (with the current text) is raised and nothing is overwritten."""
    _require(actor, "collectives.write_together", session.collective)
    current = Session.objects.select_for_update().get(pk=session.pk)
    if base_version != current.minutes_version:
        editor = current.minutes_edited_by
        raise StaleEdit(
            _("Quelqu'un a enregistré le compte rendu pendant que vous écriviez."),
            current_text=current.minutes,
            current_version=current.minutes_version,
            current_author=editor.display_label if editor else "",
        )
    text = text.strip()
    if text == current.minutes:
        return current
    _save_minutes(current, text, actor)
    current.save(update_fields=["minutes", "minutes_version", "minutes_edited_by", "minutes_edited_at"])
    session.__dict__.update(
        {
            k: getattr(current, k)
            for k in ("minutes", "minutes_version", "minutes_edited_by_id", "minutes_edited_at")
        }
    )
    return current


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
    _remobilisation_alerts(session)
    return to_create + to_update


def _animateurs(collective: Collective) -> list:
    """Who hears about attendance: the collective's members who animate the workspace, else every
    animateur and administrator of the workspace."""
    from django.contrib.auth import get_user_model

    from maillage.workspaces.models import Role

    roles = {
        "memberships__workspace": collective.workspace_id,
        "memberships__role__in": [Role.ANIMATEUR, Role.ADMINISTRATEUR],
    }
    users = get_user_model().objects.filter(**roles)
    in_group = users.filter(collective_memberships__collective=collective).exclude(
        collective_memberships__left_on__lte=timezone.localdate()
    )
    return list(in_group.distinct()) or list(users.distinct())


def _remobilisation_alerts(session: Session) -> None:
    """When the latest session's attendance is recorded: tell animateurs who has just reached the streak
    of missed sessions, and whether attendance fell well below the group's average."""
    from maillage.collectives.selectors import absence_alerts, recent_attendance, session_rates

    collective = session.collective
    sessions, statuses = recent_attendance(collective)
    if not sessions or sessions[0].pk != session.pk:
        return
    active = [m for m in collective.members.select_related("user") if m.is_active]
    texts = [
        _("%(name)s a manqué les %(n)d dernières séances : prenez de ses nouvelles.")
        % {"name": m.display_name, "n": n}
        for m, n in absence_alerts(collective, active, statuses)
        if n == collective.absence_alert_after
    ]
    latest = session_rates(sessions, statuses)[0]
    if latest.is_low:
        texts.append(
            _("Présence en baisse le %(date)s : %(rate)d %% contre %(avg)d %% en moyenne.")
            % {
                "date": timezone.localtime(session.starts_at).strftime("%d/%m/%Y"),
                "rate": latest.rate,
                "avg": latest.group_average,
            }
        )
    already = set(
        Notification.objects.filter(
            collective=collective, kind=Notification.Kind.ALERT, text__in=texts
        ).values_list("text", flat=True)
    )
    recipients = _animateurs(collective) if texts else []
    for text in texts:
        if text not in already:
            notify(
                collective=collective,
                kind=Notification.Kind.ALERT,
                text=text,
                url=collective.get_absolute_url().rstrip("/") + "/presences/",
                users=recipients,
            )


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
    if minutes is not None and minutes.strip() != session.minutes:
        _save_minutes(session, minutes.strip(), actor)
    session.closed_at = timezone.now()
    session.closed_by = actor
    session.save(
        update_fields=[
            "next_objectives",
            "minutes",
            "minutes_version",
            "minutes_edited_by",
            "minutes_edited_at",
            "closed_at",
            "closed_by",
        ]
    )
    following = (
        collective.sessions.filter(closed_at__isnull=True, starts_at__gt=session.starts_at)
        .order_by("starts_at")
        .first()
    )
    if next_starts_at is not None:
        created = Session.objects.create(
            collective=collective,
            starts_at=next_starts_at,
            place=next_place.strip()[:200],
            objectives=next_objectives,
            created_by=actor,
        )
        _announce(created)
        return created
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
