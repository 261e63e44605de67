"""The collectives' share of the workspace's "Où on en est / ce qui vient": next sessions, latest decisions."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from maillage.collectives import selectors
from maillage.core.registry import TimelineItem, register_timeline_provider


def collectives_timeline(workspace, user) -> list[TimelineItem]:
    """Three queries, whatever the number of collectives: next sessions, tasks due, latest decisions."""
    if not user.has_perm("collectives.view_collective", workspace):
        return []
    items = []
    for session in selectors.workspace_upcoming_sessions(workspace):
        collective = session.collective
        title = _("Séance de « %(name)s »") % {"name": collective.name}
        if session.place:
            title += " — " + session.place
        url = reverse("collectives:session", args=[workspace.slug, collective.slug, session.pk])
        items.append(
            TimelineItem(when=session.starts_at, title=title, kind="next", url=url, module="collectifs")
        )
    for task in selectors.workspace_tasks_due(workspace):
        collective = task.collective
        title = _("« %(name)s » : tâche à faire — %(task)s") % {"name": collective.name, "task": task.title}
        when = timezone.make_aware(datetime.combine(task.due_on, time(18, 0)))
        url = reverse("collectives:plan", args=[workspace.slug, collective.slug])
        items.append(TimelineItem(when=when, title=title, kind="next", url=url, module="collectifs"))
    for decision in selectors.workspace_recent_decisions(workspace):
        collective = decision.collective
        title = _("« %(name)s » a décidé (%(level)s) : %(text)s") % {
            "name": collective.name,
            "level": decision.get_level_display().lower(),
            "text": Truncator(decision.text).chars(90),
        }
        when = timezone.make_aware(datetime.combine(decision.decided_on, time(12, 0)))
        url = reverse("collectives:detail", args=[workspace.slug, collective.slug]) + "#decisions"
        items.append(TimelineItem(when=when, title=title, kind="past", url=url, module="collectifs"))
    return items


def register() -> None:
    register_timeline_provider("collectives", collectives_timeline)
