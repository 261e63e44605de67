"""Jobs of the observatoire (Celery; inline in embedded mode)."""

from celery import shared_task
from django.contrib.auth import get_user_model

from maillage.diagnostics.models import ImportBatch


@shared_task
def import_batch_run_task(*, batch_id: int, actor_id: int | None) -> str:
    from maillage.diagnostics.services import import_batch_run

    batch = ImportBatch.objects.select_related("workspace").get(pk=batch_id)
    actor = get_user_model().objects.get(pk=actor_id) if actor_id else None
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    return import_batch_run(actor=actor, batch=batch).status
