"""The workshops' share of "Où on en est / ce qui vient": open and upcoming workshops, recently closed ones."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.registry import TimelineItem, register_timeline_provider
from maillage.workshops.models import Workshop


def workshops_timeline(workspace, user) -> list[TimelineItem]:
    """One query."""
    if not user.has_perm("workspaces.view_workspace", workspace):
        return []
    now = timezone.now()
    items = []
    recent = now - timedelta(days=90)
    for w in Workshop.objects.filter(workspace=workspace).exclude(
        status=Workshop.Status.CLOSED, closed_at__lt=recent
    )[:20]:
        url = reverse("workshops:record", args=[w.pk])
        if w.status == Workshop.Status.OPEN:
            title = _("Atelier en cours : « %(t)s » — code %(code)s") % {"t": w.title, "code": w.join_code}
            items.append(
                TimelineItem(when=w.starts_at or now, title=title, kind="next", url=url, module="ateliers")
            )
        elif w.status == Workshop.Status.DRAFT and w.starts_at and w.starts_at >= now - timedelta(hours=12):
            title = _("Atelier « %(t)s »") % {"t": w.title} + (f" — {w.place}" if w.place else "")
            items.append(TimelineItem(when=w.starts_at, title=title, kind="next", url=url, module="ateliers"))
        elif w.status == Workshop.Status.CLOSED:
            title = _("Atelier « %(t)s » tenu : son compte rendu est disponible") % {"t": w.title}
            items.append(
                TimelineItem(when=w.closed_at or now, title=title, kind="past", url=url, module="ateliers")
            )
        if w.next_meeting_at and w.next_meeting_at >= now:
            title = _("Prochain rendez-vous après l'atelier « %(t)s »") % {"t": w.title}
            items.append(
                TimelineItem(when=w.next_meeting_at, title=title, kind="next", url=url, module="ateliers")
            )
    return items


def register() -> None:
    register_timeline_provider("workshops", workshops_timeline)
