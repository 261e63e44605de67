"""The diagnostics' share of the workspace's "Où on en est / ce qui vient": dated steps and validated versions."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.registry import TimelineItem, register_timeline_provider
from maillage.diagnostics.models_diagnostic import Step, Version


def _at_noon(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def diagnostics_timeline(workspace, user) -> list[TimelineItem]:
    """Two queries, whatever the number of diagnostics. Only the diagnostics the user may read."""
    items = []
    today = timezone.localdate()
    steps = (
        Step.objects.filter(diagnostic__workspace=workspace, date__isnull=False)
        .select_related("diagnostic", "diagnostic__workspace")
        .order_by("date")
    )
    for step in steps:
        diagnostic = step.diagnostic
        if not user.has_perm("diagnostics.view_diagnostic", diagnostic):
            continue
        past = step.done or step.date < today
        title = _("Diagnostic « %(title)s » : %(step)s") % {
            "title": diagnostic.title,
            "step": step.get_kind_display().lower(),
        }
        items.append(
            TimelineItem(
                when=_at_noon(step.date),
                title=title,
                kind="past" if past else "next",
                url=diagnostic.get_absolute_url(),
                module="diagnostic",
            )
        )
    versions = Version.objects.filter(diagnostic__workspace=workspace).select_related(
        "diagnostic", "diagnostic__workspace"
    )[:5]
    for version in versions:
        if user.has_perm("diagnostics.view_diagnostic", version.diagnostic):
            items.append(
                TimelineItem(
                    when=version.validated_at,
                    title=_("Diagnostic « %(title)s » : version %(n)s validée")
                    % {"title": version.diagnostic.title, "n": version.number},
                    kind="past",
                    url=version.diagnostic.get_absolute_url(),
                    module="diagnostic",
                )
            )
    return items


def register() -> None:
    register_timeline_provider("diagnostics", diagnostics_timeline)
