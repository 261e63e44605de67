from typing import Any

from django.db import models

from maillage.core.models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    workspace=None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one line to the audit log. Called by the services that perform sensitive actions."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=actor_obj.display_label if actor_obj else "anonyme",
        action=action,
        workspace=workspace,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details or {},
    )
