"""Periodic jobs of the collectives (Celery; inline in embedded mode). Also run as management commands:
`collectives_task_reminders` and `collectives_notification_digest`."""

from celery import shared_task


@shared_task
def task_reminders_task() -> int:
    """Notify owners of overdue and soon-due tasks; returns how many tasks were listed."""
    from maillage.collectives.services import send_task_reminders

    return len(send_task_reminders())


@shared_task
def notification_digest_task(*, base_url: str = "") -> int:
    """E-mail each person the notifications they have not read yet; returns e-mails sent."""
    from maillage.collectives.services import send_digests

    return send_digests(base_url=base_url)
