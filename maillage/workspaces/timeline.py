"""The workspace's own contributions to "Où on en est / ce qui vient": its milestones."""

from datetime import datetime, time

from django.utils import timezone

from maillage.core.registry import TimelineItem, register_timeline_provider


def milestones(workspace, user) -> list[TimelineItem]:
    today = timezone.localdate()
    items = []
    for m in workspace.milestones.all():
        when = timezone.make_aware(datetime.combine(m.date, time(12, 0)))
        items.append(
            TimelineItem(
                when=when, title=m.title, kind="next" if m.date >= today else "past", module="espace"
            )
        )
    return items


def register() -> None:
    register_timeline_provider("workspaces", milestones)
