"""The live connection of a workshop (docs/WORKSHOPS_LIVE.md): snapshot on connect, post/vote/resync/ping,
ack or error to the sender, events from the workshop's group filtered by who is connected."""

import asyncio
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from maillage.workshops import selectors, services
from maillage.workshops.models import Participant, Workshop
from maillage.workshops.selectors import BOARD, PARTICIPANT, PILOT, Viewer

logger = logging.getLogger(__name__)


def identify(workshop_id: int, user, token: str, board_key: str) -> tuple[str, int | None] | None:
    """(kind, participant id) for this connection, or None to refuse it."""
    workshop = Workshop.objects.select_related("workspace").filter(pk=workshop_id).first()
    if workshop is None:
        return None
    if board_key:
        return (BOARD, None) if services.keys_match(board_key, workshop.board_key) else None
    if token:
        participant = services.participant_from_token(token, workshop_id)
        return (PARTICIPANT, participant.pk) if participant else None
    if user is not None and getattr(user, "is_authenticated", False):
        own = Participant.objects.filter(workshop=workshop, user=user).values_list("pk", flat=True).first()
        if services.is_pilot(user, workshop):
            return PILOT, own
        if own is not None or user.has_perm("workspaces.view_workspace", workshop.workspace):
            return PARTICIPANT, own
    return None


def error_message(error: Exception) -> tuple[str, str]:
    if isinstance(error, ValidationError):
        return "invalid", " ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return "forbidden", "Vous n'avez pas le droit de faire cela."
    return "not_found", "Introuvable."


class WorkshopConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.workshop_id = int(self.scope["url_route"]["kwargs"]["workshop_id"])
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.user = self.scope.get("user")
        found = await database_sync_to_async(identify, thread_sensitive=False)(
            self.workshop_id, self.user, query.get("token", [""])[0], query.get("board_key", [""])[0]
        )
        if found is None:
            await self.close(code=4403)
            return
        self.kind, self.participant_id = found
        self.group = services.group_name(self.workshop_id)
        self.groups_joined = [self.group]
        if self.kind == PILOT:
            self.groups_joined.append(services.pilot_group_name(self.workshop_id))
        self.pending_writes: set[asyncio.Task] = set()
        degraded = not await self._layer_ok()
        await self.accept()
        await self.send_snapshot()
        if degraded:
            await self.send_json({"type": "degraded"})

    async def disconnect(self, code):
        # Writes already received still commit (the client will see them in its next snapshot).
        for group in getattr(self, "groups_joined", []):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # noqa: BLE001
                logger.warning("workshops: group_discard failed")

    def _snapshot(self) -> dict:
        workshop = Workshop.objects.get(pk=self.workshop_id)
        return selectors.snapshot(workshop, Viewer(self.kind, self.participant_id))

    async def send_snapshot(self):
        state = await database_sync_to_async(self._snapshot, thread_sensitive=False)()
        await self.send_json({"type": "snapshot", "state": state, "server_time": timezone.now().isoformat()})

    async def dispatch(self, message):
        """Live events go straight to their handler: channels' default dispatch first hops to the sync
        thread to close stale database connections, for every message of every connection, and
        `workshop_event` never touches the database (measured by benchmarks/ws_load.py)."""
        if message.get("type") == "workshop.event":
            await self.workshop_event(message)
        else:
            await super().dispatch(message)

    async def _layer_ok(self) -> bool:
        """(Re-)join the workshop's groups and publish a probe to ourselves: False when the channel layer
        (Redis) is down. Joining alone proves nothing: the pub/sub layer skips groups already joined."""
        try:
            async with asyncio.timeout(2):
                for group in self.groups_joined:
                    await self.channel_layer.group_add(group, self.channel_name)
                await self.channel_layer.send(self.channel_name, {"type": "layer.probe"})
        except Exception:  # noqa: BLE001 - includes the timeout
            logger.warning("workshops: channel layer unavailable")
            return False
        return True

    async def layer_probe(self, message):
        """The probe sent by `_layer_ok` coming back: nothing to do."""

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            live = await self._layer_ok()
            await self.send_json({"type": "pong", "live": live})
            if not live:
                await self.send_json({"type": "degraded"})
        elif kind == "resync":
            await self.send_snapshot()
        elif kind in ("post", "vote"):
            # A write waits on the database: run it aside so this connection keeps reading (pings,
            # the next messages) and receiving events meanwhile. Acks carry the client_id, so their
            # order does not matter.
            task = asyncio.ensure_future(self._write(kind, content))
            self.pending_writes.add(task)
            task.add_done_callback(self.pending_writes.discard)
        else:
            await self.send_json(
                {"type": "error", "client_id": None, "code": "unknown", "message": "Type inconnu."}
            )

    def _do_write(self, kind: str, content: dict) -> dict:
        workshop = Workshop.objects.select_related("workspace").get(pk=self.workshop_id)
        participant = (
            Participant.objects.filter(pk=self.participant_id).first() if self.participant_id else None
        )
        if kind == "post":
            behalf = content.get("on_behalf_of")
            obj, created = services.contribution_post(
                workshop=workshop,
                client_id=content.get("client_id"),
                text=str(content.get("text", "")),
                participant=participant,
                actor=self.user if self.kind == PILOT else None,
                on_behalf_of=int(behalf) if behalf not in (None, "") else None,
            )
            if participant is None and self.kind == PILOT and obj.typed_by_id is None:
                self.participant_id = obj.author_id
            return {"id": obj.pk, "created": created}
        vote, created, left = services.vote_cast(
            workshop=workshop,
            client_id=content.get("client_id"),
            participant=participant,
            target_kind=str(content.get("target_kind", "")),
            target_id=int(content.get("target_id") or 0),
            actor=self.user if self.kind == PILOT else None,
        )
        if participant is None and self.kind == PILOT:
            self.participant_id = vote.participant_id
        return {"id": vote.pk, "created": created, "dots_left": left}

    async def _write(self, kind: str, content: dict):
        client_id = content.get("client_id")
        if self.kind == BOARD:
            await self.send_json(
                {
                    "type": "error",
                    "client_id": client_id,
                    "code": "forbidden",
                    "message": "Le tableau est en lecture seule.",
                }
            )
            return
        try:
            # Not thread-sensitive: writes of different connections run in parallel threads, each with
            # a pooled connection, instead of queueing on the process's single sync thread.
            result = await database_sync_to_async(self._do_write, thread_sensitive=False)(kind, content)
        except (ValidationError, PermissionDenied, Http404, ValueError, TypeError) as error:
            code, message = (
                error_message(error)
                if not isinstance(error, ValueError | TypeError)
                else ("invalid", "Données invalides.")
            )
            await self.send_json({"type": "error", "client_id": client_id, "code": code, "message": message})
            return
        await self.send_json({"type": "ack", "client_id": client_id, **result})

    async def workshop_event(self, message):
        audience = message.get("audience", "all")
        if (
            audience == "all"
            or (audience == "pilot" and self.kind == PILOT)
            or (audience == "nonpilot" and self.kind != PILOT)
            or (
                audience == "private"
                and self.kind == PARTICIPANT
                and message.get("author_id") == self.participant_id
            )
        ):
            await self.send_json(message["event"])
