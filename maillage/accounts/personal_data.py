"""What the accounts app holds about a person: how to export it and how to erase it."""

from maillage.accounts.models import ApiToken, ConsentRecord
from maillage.core.models import AuditEvent
from maillage.core.registry import register_personal_data


def export_account(user) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "date_joined": user.date_joined.isoformat(),
        "preferred_language": user.preferred_language,
        "consents": [
            {
                "purpose": c.purpose,
                "version": c.version,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in ConsentRecord.objects.filter(user=user)
        ],
        "api_tokens": [
            {"name": t.name, "created_at": t.created_at.isoformat(), "revoked": t.revoked_at is not None}
            for t in ApiToken.objects.filter(user=user)
        ],
        "sensitive_actions": [
            {"date": e.created_at.isoformat(), "action": e.action, "target": f"{e.target_type}:{e.target_id}"}
            for e in AuditEvent.objects.filter(actor=user)
        ],
    }


def erase_account(user) -> None:
    ConsentRecord.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    # The audit trail is kept for accountability, without the person's name.
    AuditEvent.objects.filter(actor=user).update(actor_label=f"compte supprimé n°{user.pk}")


def register() -> None:
    register_personal_data("account", export=export_account, erase=erase_account)
