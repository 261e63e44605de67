"""Reads for the charter, action plan, attestations, coordination, notifications and collectifs locaux
de développement social. Fixed query counts (no N+1)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from maillage.collectives.models import (
    Charter,
    CharterSignature,
    Collective,
    LocalDSApplication,
    Member,
    Notification,
    Session,
    Task,
)
from maillage.collectives.selectors import _active_q, composition, start_of_today
from maillage.workspaces.models import Membership, Workspace


def charter_page(collective: Collective) -> dict:
    """The charter, its versions (latest first), the adopted one and its signatures. Four queries."""
    charter = (
        Charter.objects.filter(collective=collective)
        .select_related("adopted_version__author", "adopting_decision")
        .first()
    )
    versions = list(charter.versions.select_related("author")[:50]) if charter else []
    signatures = (
        list(
            CharterSignature.objects.filter(version_id=charter.adopted_version_id)
            .select_related("member__user", "recorded_by")
            .order_by("signed_on", "pk")
        )
        if charter and charter.is_adopted
        else []
    )
    signed = {s.member_id for s in signatures}
    members = list(collective.members.filter(_active_q()).select_related("user"))
    return {
        "charter": charter,
        "versions": versions,
        "latest": versions[0] if versions else None,
        "signatures": signatures,
        "unsigned": [m for m in members if m.pk not in signed],
    }


def plan_page(collective: Collective) -> dict:
    """Tasks (open first, by due date) and funding lines with their totals. Two queries."""
    tasks = list(
        collective.tasks.select_related("owner__user", "decision").order_by("status", "due_on", "pk")
    )
    lines = list(collective.funding_lines.select_related("funder"))
    requested = sum((line.amount_requested for line in lines), Decimal("0"))
    obtained = sum((line.amount_obtained or Decimal("0") for line in lines), Decimal("0"))
    return {
        "open_tasks": [t for t in tasks if t.is_open],
        "closed_tasks": [t for t in tasks if not t.is_open],
        "funding_lines": lines,
        "requested_total": requested,
        "obtained_total": obtained,
    }


def attestations_of(collective: Collective, member: Member | None = None):
    qs = collective.attestations.select_related("member__user").order_by("-issued_at")
    return qs.filter(member=member) if member is not None else qs


@dataclass
class CoordinatedStatus:
    collective: Collective
    last_session_at: datetime | None
    next_session_at: datetime | None
    overdue_tasks: int
    composition_warning: bool


def coordination_status(committee: Collective) -> list[CoordinatedStatus]:
    """What a comité de coordination sees of each collective it coordinates. Two queries."""
    today = timezone.localdate()
    past = Session.objects.filter(collective=OuterRef("pk"), starts_at__lt=start_of_today()).order_by(
        "-starts_at"
    )
    upcoming = Session.objects.filter(
        collective=OuterRef("pk"), closed_at__isnull=True, starts_at__gte=start_of_today()
    ).order_by("starts_at")
    overdue = (
        Task.objects.filter(collective=OuterRef("pk"), status__in=Task.OPEN, due_on__lt=today)
        .order_by()
        .values("collective")
        .annotate(n=Count("pk"))
        .values("n")
    )
    collectives = list(
        committee.coordinates.annotate(
            last_session_at=Subquery(past.values("starts_at")[:1]),
            next_session_at=Subquery(upcoming.values("starts_at")[:1]),
            overdue_tasks=Subquery(overdue[:1]),
        )
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.filter(_active_q()).only("category", "collective_id"))
        )
        .order_by("name")
    )
    return [
        CoordinatedStatus(
            collective=c,
            last_session_at=c.last_session_at,
            next_session_at=c.next_session_at,
            overdue_tasks=c.overdue_tasks or 0,
            composition_warning=composition(list(c.members.all()), c.composition_target).below_target,
        )
        for c in collectives
    ]


def notifications_of(user, *, limit: int = 100):
    return Notification.objects.filter(user=user).select_related("collective__workspace")[:limit]


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def local_ds_applications(workspace):
    return (
        LocalDSApplication.objects.filter(workspace=workspace)
        .annotate(
            heads=Count("participants", filter=Q(participants__kind__in=["responsable", "elu"])),
            professionals=Count("participants", filter=Q(participants__kind="professionnel")),
            associations=Count("participants", filter=Q(participants__kind="association")),
        )
        .order_by("-year", "-created_at")
    )


def departement_pool(departement_code: str, workspaces):
    """Approved local collectives of a département (in the workspaces the reader may see), with their
    results and the funding of their three years. Two queries."""
    return (
        LocalDSApplication.objects.filter(
            departement_code=departement_code.upper(),
            status=LocalDSApplication.Status.APPROVED,
            workspace__in=workspaces,
        )
        .select_related("workspace")
        .prefetch_related("fundings")
        .annotate(paid=Sum("fundings__amount_paid"))
        .order_by("-year", "name")
    )


def readable_workspaces(user):
    """Workspaces whose collectives this person may read (public ones and their own): a subquery."""
    if getattr(user, "is_superuser", False):
        return Workspace.objects.values("pk")
    readable = Q(visibility=Workspace.Visibility.PUBLIC)
    if getattr(user, "is_authenticated", False):
        readable |= Q(pk__in=Membership.objects.filter(user=user).values("workspace_id"))
    return Workspace.objects.filter(readable).values("pk")
