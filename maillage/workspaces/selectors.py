from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from maillage.core.registry import TimelineItem, timeline_providers
from maillage.workspaces.models import Membership, Workspace


def workspaces_visible_to(user):
    """Workspaces this person may see listed: non-private ones, and their own."""
    qs = Workspace.objects.select_related("territory").annotate(member_count=Count("memberships"))
    if getattr(user, "is_superuser", False):
        return qs
    visible = ~Q(visibility=Workspace.Visibility.PRIVATE)
    if getattr(user, "is_authenticated", False):
        visible |= Q(memberships__user=user)
    return qs.filter(visible).distinct()


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")


def workspace_members(workspace):
    return workspace.memberships.select_related("user").order_by("role", "user__display_name")


def members_by_role(workspace) -> list[tuple[str, str, int]]:
    """(role code, role label, count) for every role with at least one member."""
    counts = dict(workspace.memberships.values_list("role").annotate(n=Count("id")).values_list("role", "n"))
    return [
        (role, label, counts[role])
        for role, label in Membership._meta.get_field("role").choices
        if role in counts
    ]


TIMELINE_CACHE_SECONDS = 300


def workspace_timeline(
    workspace, user, *, past_days: int = 90, limit: int = 6
) -> dict[str, list[TimelineItem]]:
    """ "Où on en est / ce qui vient": every module's provider, merged and sorted.

    Cached per workspace, per kind of viewer (role, or public) and per language, until a service reports a
    change (`core.registry.timeline_changed`, after commit), or 5 minutes at most (dates roll over).
    """
    from django.core.cache import cache
    from django.utils.translation import get_language

    from maillage.core.registry import timeline_version
    from maillage.workspaces.rules import role_in

    viewer = "superuser" if getattr(user, "is_superuser", False) else (role_in(user, workspace) or "public")
    key = f"timeline:{workspace.pk}:{timeline_version(workspace.pk)}:{viewer}:{get_language()}:{past_days}:{limit}"
    cached = cache.get(key)
    if cached is None:
        cached = _build_timeline(workspace, user, past_days=past_days, limit=limit)
        # The member counts ride along: membership services report their changes the same way.
        cached["members_by_role"] = members_by_role(workspace)
        cache.set(key, cached, TIMELINE_CACHE_SECONDS)
    return cached


def _build_timeline(workspace, user, *, past_days: int, limit: int) -> dict[str, list[TimelineItem]]:
    items: list[TimelineItem] = []
    for provider in timeline_providers().values():
        items.extend(provider(workspace, user))
    now = timezone.now()
    horizon = now - timedelta(days=past_days)
    past = sorted(
        (i for i in items if i.kind == "past" and i.when >= horizon), key=lambda i: i.when, reverse=True
    )
    upcoming = sorted((i for i in items if i.kind == "next"), key=lambda i: i.when)
    return {"past": past[:limit], "next": upcoming[:limit]}


def possible_network_heads(workspace, user):
    """Workspaces this one may publish to: listed ones (or the user's own), not itself nor already chosen."""
    return (
        workspaces_visible_to(user)
        .exclude(pk=workspace.pk)
        .exclude(pk__in=workspace.publishes_to.values("pk"))
        .order_by("name")
    )
