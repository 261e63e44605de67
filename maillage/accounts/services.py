"""Every write about accounts goes through here."""

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import ApiToken, ConsentRecord, User, hash_token
from maillage.core.registry import personal_data_erasers, personal_data_exporters
from maillage.core.services import audit_record

DELETED_LABEL = "Compte supprimé"


@transaction.atomic
def user_create(
    *, email: str, display_name: str, password: str | None, accepted_privacy_notice: bool
) -> User:
    """Create an account. The privacy notice must have been accepted; that consent is recorded."""
    if not accepted_privacy_notice:
        raise ValueError("The privacy notice must be accepted to create an account")
    user = User(email=User.objects.normalize_email(email).lower(), display_name=display_name.strip())
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    consent_record(user=user, purpose=ConsentRecord.Purpose.PRIVACY_NOTICE)
    return user


@transaction.atomic
def consent_record(*, user: User, purpose: str, version: str | None = None) -> ConsentRecord:
    return ConsentRecord.objects.create(
        user=user, purpose=purpose, version=version or settings.MAILLAGE_PRIVACY_NOTICE_VERSION
    )


@transaction.atomic
def consent_withdraw(*, user: User, purpose: str) -> int:
    return ConsentRecord.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything Maillage holds about this person, as JSON-ready data. Logged in the audit trail."""
    data: dict[str, Any] = {
        "format": "maillage-export/1",
        "exported_at": timezone.now().isoformat(),
    }
    for section, exporter in sorted(personal_data_exporters().items()):
        data[section] = exporter(user)
    audit_record(actor=user, action="personal_data.export", target=user)
    return data


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Erase an account: personal data goes, contributions stay, attributed to "Compte supprimé".

    The row is kept (scrubbed) so that every module's foreign keys keep pointing at one anonymous author.
    """
    audit_record(actor=user, action="account.delete", target=user)
    for _section, eraser in sorted(personal_data_erasers().items()):
        eraser(user)
    user.email = f"supprime-{user.pk}@invalid.maillage"
    user.display_name = DELETED_LABEL
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save(update_fields=["email", "display_name", "is_active", "is_staff", "is_superuser", "password"])


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API", prefix=raw[4:10], key_hash=hash_token(raw)
    )
    audit_record(actor=user, action="api_token.create", target=token)
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> None:
    token = ApiToken.objects.get(pk=token_id, user=user)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=user, action="api_token.revoke", target=token)


def api_token_authenticate(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
