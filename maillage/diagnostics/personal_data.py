"""What the observatoire holds about a person: the imports they made (no statistic is about a person)."""

from django.utils.translation import gettext as _

from maillage.core.registry import TimelineItem, register_personal_data, register_timeline_provider
from maillage.diagnostics.models import ImportBatch


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


def register() -> None:
    register_personal_data("observatoire", export=export_imports, erase=erase_imports)
    register_timeline_provider("observatoire", import_timeline)
