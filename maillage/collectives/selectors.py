"""Reads shared by the views, the API and the timeline provider. Query counts do not grow with the number
of members, sessions or decisions (the collective page is measured in benchmarks/bench_collectives.py)."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillage.collectives.models import (
    Attendance,
    Charter,
    Collective,
    Decision,
    Feedback,
    Member,
    Proposal,
    Session,
    Task,
)

# How many of the latest sessions with attendance the remobilisation figures look at.
TREND_WINDOW = 10
# A session is flagged when its presence rate falls below this share of the group's average (the other
# sessions of the window), with at least MIN_SESSIONS_FOR_AVERAGE sessions to compare with.
LOW_ATTENDANCE_RATIO = 0.7
MIN_SESSIONS_FOR_AVERAGE = 3
MISSED = (Attendance.Status.ABSENT, Attendance.Status.EXCUSED)


def start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def _active_q(prefix: str = "") -> Q:
    """Current members: those who have not left (see Member.is_active)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": today})


def collectives_of(workspace):
    """The workspace's collectives with their active member count and next session date (one query)."""
    upcoming = (
        Session.objects.filter(
            collective=OuterRef("pk"), closed_at__isnull=True, starts_at__gte=start_of_today()
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        Collective.objects.filter(workspace=workspace)
        .annotate(
            member_count=Count("members", filter=_active_q("members__")),
            next_session_at=Subquery(upcoming),
        )
        .order_by("name")
    )


@dataclass
class Composition:
    """Who is in the group, by category, against the share of habitants and personnes accompagnées the
    group has set itself."""

    total: int
    rows: list[tuple[str, str, int, int]]  # (category, label, count, percent)
    people_count: int
    people_percent: int
    target: int | None

    @property
    def below_target(self) -> bool:
        return self.target is not None and self.total > 0 and self.people_percent < self.target


def composition(members: list[Member], target: int | None) -> Composition:
    total = len(members)
    counts: dict[str, int] = {}
    for m in members:
        counts[m.category] = counts.get(m.category, 0) + 1

    def pct(n: int) -> int:
        return round(100 * n / total) if total else 0

    rows = [(c, str(label), counts.get(c, 0), pct(counts.get(c, 0))) for c, label in Member.Category.choices]
    people = sum(counts.get(c, 0) for c in Member.PEOPLE_CATEGORIES)
    return Composition(total=total, rows=rows, people_count=people, people_percent=pct(people), target=target)


def composition_of(collective: Collective) -> Composition:
    members = list(collective.members.filter(_active_q()).only("category"))
    return composition(members, collective.composition_target)


def consecutive_misses(statuses: list[str | None]) -> int:
    """Sessions missed in a row, counted back from the latest (absent or excused; a presence or a session
    the person was not expected at ends the streak)."""
    n = 0
    for status in statuses:
        if status not in MISSED:
            break
        n += 1
    return n


def recent_attendance(collective: Collective, *, window: int = TREND_WINDOW):
    """The latest `window` sessions with attendance (most recent first) and, per member id, their status at
    each of them (None where not expected). Two queries."""
    sessions = list(
        collective.sessions.filter(attendance_recorded_at__isnull=False)
        .order_by("-starts_at", "-pk")
        .only("pk", "starts_at", "collective_id")[:window]
    )
    position = {s.pk: i for i, s in enumerate(sessions)}
    statuses: dict[int, list[str | None]] = {}
    rows = Attendance.objects.filter(session_id__in=list(position)).values_list(
        "session_id", "member_id", "status"
    )
    for session_id, member_id, status in rows:
        statuses.setdefault(member_id, [None] * len(sessions))[position[session_id]] = status
    return sessions, statuses


def absence_alerts(collective: Collective, members: list[Member], statuses=None) -> list[tuple[Member, int]]:
    """Active members who missed at least `absence_alert_after` sessions in a row: to be called back."""
    if statuses is None:
        _sessions, statuses = recent_attendance(collective)
    alerts = []
    for m in members:
        misses = consecutive_misses(statuses.get(m.pk, []))
        if m.is_active and misses >= collective.absence_alert_after:
            alerts.append((m, misses))
    return alerts


@dataclass
class SessionRate:
    session: Session
    present: int
    recorded: int
    group_average: int | None = None  # percent, over the other sessions of the window

    @property
    def rate(self) -> int | None:
        return round(100 * self.present / self.recorded) if self.recorded else None

    @property
    def is_low(self) -> bool:
        return (
            self.rate is not None
            and self.group_average is not None
            and self.rate < LOW_ATTENDANCE_RATIO * self.group_average
        )


def session_rates(sessions: list[Session], statuses: dict[int, list[str | None]]) -> list[SessionRate]:
    """Presence rate of each session of the window (most recent first), compared with the average of the
    other sessions: computed from `recent_attendance`, no query."""
    rows = []
    for i, s in enumerate(sessions):
        column = [v[i] for v in statuses.values() if v[i] is not None]
        rows.append(SessionRate(s, sum(x == Attendance.Status.PRESENT for x in column), len(column)))
    rated = [r for r in rows if r.recorded]
    for r in rated:
        others = [o.rate for o in rated if o is not r]
        if len(others) >= MIN_SESSIONS_FOR_AVERAGE - 1:
            r.group_average = round(sum(others) / len(others))
    return rows


def collective_trend(rates: list[SessionRate]) -> str:
    """The group's attendance trend: newer half of the window against the older half."""
    values = [r.rate for r in rates if r.rate is not None]
    half = len(values) // 2
    if half < 2:
        return ""
    newer, older = sum(values[:half]) / half, sum(values[half:]) / (len(values) - half)
    if newer - older >= 20:
        return "hausse"
    if older - newer >= 20:
        return "baisse"
    return "stable"


@dataclass
class MemberTrend:
    member: Member
    recent: list[str | None]  # most recent first
    present_total: int
    recorded_total: int
    misses_in_a_row: int
    trend: str = field(default="")  # "hausse", "baisse", "stable" or "" (not enough sessions)

    @property
    def rate(self) -> int | None:
        return round(100 * self.present_total / self.recorded_total) if self.recorded_total else None


def _trend(recent: list[str | None]) -> str:
    """Compare presence over the latest half of the window with the older half (only sessions expected)."""
    half = len(recent) // 2
    newer = [s for s in recent[:half] if s is not None]
    older = [s for s in recent[half:] if s is not None]
    if len(newer) < 2 or len(older) < 2:
        return ""
    new_rate = sum(s == Attendance.Status.PRESENT for s in newer) / len(newer)
    old_rate = sum(s == Attendance.Status.PRESENT for s in older) / len(older)
    if new_rate - old_rate >= 0.2:
        return "hausse"
    if old_rate - new_rate >= 0.2:
        return "baisse"
    return "stable"


def attendance_trends(collective: Collective):
    """Per member: the latest sessions, overall presence rate, misses in a row, trend. Four queries."""
    sessions, statuses = recent_attendance(collective)
    totals = {
        row["member_id"]: row
        for row in Attendance.objects.filter(session__collective=collective)
        .values("member_id")
        .annotate(total=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)))
    }
    members = list(collective.members.select_related("user").order_by("left_on", "pk"))
    trends = []
    for m in members:
        recent = statuses.get(m.pk, [None] * len(sessions))
        row = totals.get(m.pk, {"total": 0, "present": 0})
        trends.append(
            MemberTrend(
                member=m,
                recent=recent,
                present_total=row["present"],
                recorded_total=row["total"],
                misses_in_a_row=consecutive_misses(recent),
                trend=_trend(recent),
            )
        )
    return trends, session_rates(sessions, statuses)


def next_session(collective: Collective) -> Session | None:
    return (
        collective.sessions.filter(closed_at__isnull=True, starts_at__gte=start_of_today())
        .order_by("starts_at")
        .first()
    )


def last_closed_session(collective: Collective) -> Session | None:
    return collective.sessions.filter(closed_at__isnull=False).order_by("-starts_at").first()


def next_objectives(upcoming: Session | None, last_closed: Session | None) -> str:
    """What the next session is about: its own objectives, else those fixed when the last one closed."""
    if upcoming is not None and upcoming.objectives:
        return upcoming.objectives
    return last_closed.next_objectives if last_closed else ""


def _count_of(queryset, outer: str):
    """A correlated COUNT(*) subquery: evaluated only for the rows a page returns (LIMIT applies first),
    unlike a JOIN + GROUP BY over every session's attendance."""
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def decisions_of(collective: Collective):
    participants = Decision.participants.through.objects.all()
    return (
        collective.decisions.annotate(participant_count=_count_of(participants, "decision"))
        .prefetch_related(
            Prefetch(
                "answered_proposals",
                queryset=Proposal.objects.select_related("author__user").order_by("created_at"),
            )
        )
        .order_by("-decided_on", "-pk")
    )


def sessions_of(collective: Collective):
    present = Attendance.objects.filter(status=Attendance.Status.PRESENT)
    return collective.sessions.annotate(
        present_count=_count_of(present, "session"),
        recorded_count=_count_of(Attendance.objects.all(), "session"),
    ).order_by("-starts_at", "-pk")


def proposals_without_retour_since(collective: Collective):
    """Proposals still waiting for a retour after the collective's delay: flagged to animateurs."""
    limit = timezone.now() - timedelta(days=collective.retour_delay_days)
    return (
        collective.proposals.filter(retour_at__isnull=True, created_at__lt=limit)
        .select_related("author__user")
        .order_by("created_at")
    )


PAGE_DECISIONS = 10
PAGE_TASKS = 10
PAGE_PROPOSALS = 30


def members_with_labels(collective: Collective) -> list[Member]:
    """All members (current and former), each with `category_label` and `active` computed once."""
    labels = {code: str(label) for code, label in Member.Category.choices}
    members = list(collective.members.select_related("user").order_by("pk"))
    for m in members:
        m.category_label = labels.get(m.category, m.category)
        m.active = m.is_active
    return members


def collective_page(collective: Collective, *, can_manage: bool, own_member: Member | None) -> dict:
    """Everything the collective page shows, in a fixed number of queries."""
    members = members_with_labels(collective)
    active = [m for m in members if m.active]
    upcoming = next_session(collective)
    last_closed = last_closed_session(collective)
    proposals = list(
        collective.proposals.select_related("author__user", "decision").order_by("-created_at", "-pk")[
            :PAGE_PROPOSALS
        ]
    )
    context = {
        "members": active,
        "former_members": [m for m in members if not m.active],
        "composition": composition(active, collective.composition_target),
        "next_session": upcoming,
        "next_objectives": next_objectives(upcoming, last_closed),
        "last_closed": last_closed,
        "recent_sessions": list(sessions_of(collective)[:5]),
        "decisions": list(decisions_of(collective)[:PAGE_DECISIONS]),
        "open_proposals": [p for p in proposals if not p.has_retour],
        "answered_proposals": [p for p in proposals if p.has_retour],
        "stage_changes": list(collective.stage_changes.select_related("changed_by")[:20]),
        "my_proposals": list(
            collective.proposals.filter(author=own_member).select_related("decision").order_by("-created_at")
        )
        if own_member
        else [],
    }
    context.update(
        tasks=list(
            collective.tasks.filter(status__in=Task.OPEN)
            .select_related("owner__user")
            .order_by(F("due_on").asc(nulls_last=True), "pk")[:PAGE_TASKS]
        ),
        charter=Charter.objects.filter(collective=collective).select_related("adopted_version").first(),
        handovers=[m for m in members if not m.active and m.handover_note],
        referent=next((m for m in members if m.pk == collective.referent_id), None),
    )
    if can_manage:
        context["unanswered_late"] = list(proposals_without_retour_since(collective)[:50])
        sessions, statuses = recent_attendance(collective)
        context["absence_alerts"] = absence_alerts(collective, active, statuses)
        rates = session_rates(sessions, statuses)
        context["attendance_drop"] = rates[0] if rates and rates[0].is_low else None
        context["sessions_to_close"] = list(
            collective.sessions.filter(closed_at__isnull=True, starts_at__lt=start_of_today()).order_by(
                "starts_at"
            )[:10]
        )
    return context


def workspace_upcoming_sessions(workspace, *, limit: int = 10):
    return (
        Session.objects.filter(
            collective__workspace=workspace, closed_at__isnull=True, starts_at__gte=start_of_today()
        )
        .select_related("collective")
        .order_by("starts_at")[:limit]
    )


def workspace_tasks_due(workspace, *, days: int = 14, limit: int = 10):
    """Open tasks due within `days` (or overdue) in the workspace's living collectives."""
    return (
        Task.objects.filter(
            collective__workspace=workspace,
            status__in=Task.OPEN,
            due_on__lte=timezone.localdate() + timedelta(days=days),
        )
        .exclude(collective__stage__in=[Collective.Stage.CAPITALISED, Collective.Stage.CLOSED])
        .select_related("collective")
        .order_by("due_on", "pk")[:limit]
    )


def workspace_recent_decisions(workspace, *, days: int = 90, limit: int = 10):
    return (
        Decision.objects.filter(
            collective__workspace=workspace, decided_on__gte=timezone.localdate() - timedelta(days=days)
        )
        .select_related("collective")
        .order_by("-decided_on", "-pk")[:limit]
    )


@dataclass
class FeedbackSummary:
    count: int
    average: float | None
    rows: list[tuple[int, str, int]]  # (score, label, count)
    comments: list[str]


def feedback_summary(session: Session) -> FeedbackSummary:
    counts: dict[int, int] = {}
    comments = []
    for score, comment in session.feedbacks.values_list("score", "comment"):
        counts[score] = counts.get(score, 0) + 1
        if comment:
            comments.append(comment)
    total = sum(counts.values())
    average = round(sum(s * n for s, n in counts.items()) / total, 1) if total else None
    rows = [(s, str(label), counts.get(s, 0)) for s, label in Feedback.Score.choices]
    return FeedbackSummary(count=total, average=average, rows=rows, comments=comments)


def own_feedback(session: Session, member: Member | None) -> Feedback | None:
    return session.feedbacks.filter(member=member).first() if member is not None else None
