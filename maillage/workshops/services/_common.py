"""Shared by the workshops services: permissions, participant tokens, and the broadcast on commit."""

import asyncio
import hmac
import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillage.workshops.models import Participant, Phase, Workshop

logger = logging.getLogger(__name__)
ANIMATE = "workspaces.animate"
TOKEN_SALT = "maillage.workshops.participant"


def pilot_group_name(workshop_id: int) -> str:
    return f"workshop.{workshop_id}.pilot"


def group_name(workshop_id: int) -> str:
    return f"workshop.{workshop_id}"


def is_pilot(user, workshop: Workshop) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.has_perm(ANIMATE, workshop.workspace)
    )


def require_pilot(actor, workshop: Workshop) -> None:
    """actor=None is a trusted system call (commands, demo)."""
    if actor is not None and not is_pilot(actor, workshop):
        raise PermissionDenied(ANIMATE)


def require_open(workshop: Workshop) -> None:
    if workshop.status == Workshop.Status.CLOSED:
        raise ValidationError(_("L'atelier est terminé."))
    if workshop.status != Workshop.Status.OPEN or workshop.current_phase is None:
        raise ValidationError(_("L'atelier n'a pas encore commencé."))


def phase_now(workshop: Workshop) -> Phase:
    require_open(workshop)
    phase = workshop.phases.filter(order=workshop.current_phase).first()
    if phase is None:
        raise ValidationError(_("Aucune phase en cours."))
    return phase


def keys_match(given: str, expected: str) -> bool:
    """Constant-time comparison of a secret key (any text, never an exception)."""
    return hmac.compare_digest(str(given).encode(), str(expected).encode())


def participant_token(participant: Participant) -> str:
    return signing.dumps({"w": participant.workshop_id, "p": participant.pk}, salt=TOKEN_SALT)


def participant_from_token(token: str, workshop_id: int | None = None) -> Participant | None:
    """The participant a signed token names (None if forged, or for another workshop)."""
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or (workshop_id is not None and data.get("w") != workshop_id):
        return None
    return (
        Participant.objects.select_related("user").filter(pk=data.get("p"), workshop_id=data.get("w")).first()
    )


# When the channel layer fails, broadcasts are skipped for a few seconds instead of each write waiting on
# a dead Redis (sync views share one thread under ASGI: one stuck broadcast would stall every page).
LAYER_TIMEOUT_SECONDS = 1.0
LAYER_RETRY_AFTER_SECONDS = 5.0
_layer_down_until = 0.0


def _send(workshop_id: int, message: dict) -> None:
    global _layer_down_until
    if time.monotonic() < _layer_down_until:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    # Facilitator-only events (vote totals before the reveal) go to the facilitators' own group:
    # phones never receive, decode and drop them (300 phones × 10 dots each).
    group = pilot_group_name(workshop_id) if message["audience"] == "pilot" else group_name(workshop_id)

    async def send() -> None:
        async with asyncio.timeout(LAYER_TIMEOUT_SECONDS):
            await layer.group_send(group, message)

    try:
        async_to_sync(send)()
    except Exception:  # noqa: BLE001 - the database is the truth; clients resync or poll
        _layer_down_until = time.monotonic() + LAYER_RETRY_AFTER_SECONDS
        logger.warning(
            "workshops: broadcast to workshop %s failed (live events paused)", workshop_id, exc_info=True
        )


def broadcast(workshop_id: int, event: dict, *, audience: str = "all", author_id: int | None = None) -> None:
    """Send `event` to every connection of the workshop once the transaction commits.

    audience: "all"; "pilot" (facilitators only); "private" (facilitators and the author `author_id`);
    "revealed" (facilitators, and everyone once votes are revealed — decided by the consumer's state).
    A channel-layer failure is logged and never fails the write.
    """
    message = {"type": "workshop.event", "event": event, "audience": audience, "author_id": author_id}
    transaction.on_commit(lambda: _send(workshop_id, message))
