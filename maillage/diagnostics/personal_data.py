"""What the observatoire holds about a person: the imports they made (no statistic is about a person)."""

from django.utils.translation import gettext as _

from maillage.core.registry import TimelineItem, register_personal_data, register_timeline_provider
from maillage.diagnostics.models import DotVote, ImportBatch, Item, TeamMember


def export_imports(user) -> dict:
    return {
        "imports": [
            {
                "file": batch.original_name,
                "workspace": batch.workspace.name if batch.workspace else None,
                "date": batch.created_at.isoformat(),
                "status": batch.status,
                "values_written": batch.observations_written,
            }
            for batch in ImportBatch.objects.filter(created_by=user).select_related("workspace")
        ]
    }


def erase_imports(user) -> None:
    """The imported statistics stay (public data); the batches no longer say who imported them."""
    ImportBatch.objects.filter(created_by=user).update(created_by=None)


def import_timeline(workspace, user) -> list[TimelineItem]:
    done = (ImportBatch.Status.DONE, ImportBatch.Status.PARTIAL)
    batches = ImportBatch.objects.filter(workspace=workspace, status__in=done).order_by("-finished_at")[:5]
    return [
        TimelineItem(
            when=batch.finished_at,
            title=_("Données importées dans l'observatoire : %(name)s") % {"name": batch.original_name},
            kind="past",
            module="observatoire",
        )
        for batch in batches
        if batch.finished_at
    ]


def export_diagnostics(user) -> dict:
    return {
        "items_typed": [
            {
                "diagnostic": item.diagnostic.title,
                "section": item.section,
                "title": item.title,
                "text": item.body,
                "for": item.speaker,
                "date": item.created_at.isoformat(),
            }
            for item in Item.objects.filter(created_by=user).select_related("diagnostic")
        ],
        "dot_votes": [
            {"diagnostic": v.item.diagnostic.title, "enjeu": v.item.title, "dots": v.dots, "role": v.role}
            for v in DotVote.objects.filter(user=user).select_related("item__diagnostic")
        ],
        "teams": [
            {"diagnostic": m.diagnostic.title, "role": m.role}
            for m in TeamMember.objects.filter(user=user).select_related("diagnostic")
        ],
    }


def erase_diagnostics(user) -> None:
    """What the person typed stays in the shared diagnostic, without their name; their votes and their
    place in the teams go."""
    Item.objects.filter(created_by=user).update(created_by=None)
    DotVote.objects.filter(user=user).delete()
    DotVote.objects.filter(recorded_by=user).update(recorded_by=None)
    TeamMember.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data("observatoire", export=export_imports, erase=erase_imports)
    register_personal_data("diagnostics", export=export_diagnostics, erase=erase_diagnostics)
    register_timeline_provider("observatoire", import_timeline)
