"""The WebSocket path, with the in-memory channel layer."""

import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from maillage.config.asgi import application
from maillage.workshops import services
from maillage.workshops.models import Contribution

pytestmark = pytest.mark.django_db(transaction=True)
LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
HEADERS = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


async def connect(path):
    comm = WebsocketCommunicator(application, path, headers=HEADERS)
    connected, _code = await comm.connect(timeout=10)
    return comm, connected


@pytest.fixture
def setup(running, nadia):
    return running, services.participant_token(nadia)


@override_settings(CHANNEL_LAYERS=LAYERS, ALLOWED_HOSTS=["localhost"])
def test_post_is_acked_broadcast_and_idempotent(setup):
    async_to_sync(_test_post_is_acked_broadcast_and_idempotent)(setup)


async def _test_post_is_acked_broadcast_and_idempotent(setup):
    workshop, token = setup
    phone, ok = await connect(f"/ws/ateliers/{workshop.pk}/?token={token}")
    assert ok
    first = await phone.receive_json_from(timeout=10)
    assert first["type"] == "snapshot" and first["state"]["phase"]["order"] == 2
    board, ok = await connect(f"/ws/ateliers/{workshop.pk}/?board_key={workshop.board_key}")
    assert ok and (await board.receive_json_from(timeout=10))["type"] == "snapshot"

    cid = str(uuid.uuid4())
    await phone.send_json_to({"type": "post", "client_id": cid, "text": "Plus de bancs <b>!</b>"})
    messages = [await phone.receive_json_from(timeout=10), await phone.receive_json_from(timeout=10)]
    ack = next(m for m in messages if m["type"] == "ack")
    assert ack["client_id"] == cid and ack["created"] is True
    event = await board.receive_json_from(timeout=10)
    assert event["type"] == "contribution" and event["contribution"]["text"] == "Plus de bancs <b>!</b>"

    # the phone reconnects and resends the same write: no duplicate, and the snapshot has it
    await phone.disconnect()
    phone, ok = await connect(f"/ws/ateliers/{workshop.pk}/?token={token}")
    snapshot = await phone.receive_json_from(timeout=10)
    assert [c["client_id"] for c in snapshot["state"]["contributions"]] == [cid]
    await phone.send_json_to({"type": "post", "client_id": cid, "text": "Plus de bancs <b>!</b>"})
    ack = await phone.receive_json_from(timeout=10)
    assert ack == {"type": "ack", "client_id": cid, "id": ack["id"], "created": False}
    assert await database_sync_to_async(Contribution.objects.count)() == 1

    await phone.send_json_to({"type": "ping"})
    assert await phone.receive_json_from(timeout=10) == {"type": "pong", "live": True}
    await phone.send_json_to({"type": "resync"})
    assert (await phone.receive_json_from(timeout=10))["type"] == "snapshot"
    await phone.disconnect()
    await board.disconnect()


@override_settings(CHANNEL_LAYERS=LAYERS, ALLOWED_HOSTS=["localhost"])
def test_votes_go_to_the_pilot_only_until_revealed_and_errors_to_the_sender(setup, karim):
    async_to_sync(_test_votes_go_to_the_pilot_only_until_revealed_and_errors_to_the_sender)(setup, karim)


async def _test_votes_go_to_the_pilot_only_until_revealed_and_errors_to_the_sender(setup, karim):
    workshop, token = setup
    c, _ = await database_sync_to_async(services.contribution_post)(
        workshop=workshop, client_id=uuid.uuid4(), text="Jardins", participant=None, actor=karim
    )
    phone, _ok = await connect(f"/ws/ateliers/{workshop.pk}/?token={token}")
    await phone.receive_json_from(timeout=10)
    board, _ok = await connect(f"/ws/ateliers/{workshop.pk}/?board_key={workshop.board_key}")
    await board.receive_json_from(timeout=10)
    await phone.send_json_to(
        {"type": "vote", "client_id": str(uuid.uuid4()), "target_kind": "contribution", "target_id": c.pk}
    )
    ack = await phone.receive_json_from(timeout=10)
    assert ack["type"] == "ack" and ack["dots_left"] == 4
    assert await board.receive_nothing(timeout=0.3)
    await phone.send_json_to(
        {"type": "vote", "client_id": "x", "target_kind": "contribution", "target_id": c.pk}
    )
    error = await phone.receive_json_from(timeout=10)
    assert error["type"] == "error" and error["code"] == "invalid"
    await board.send_json_to({"type": "post", "client_id": str(uuid.uuid4()), "text": "x"})
    assert (await board.receive_json_from(timeout=10))["code"] == "forbidden"
    await database_sync_to_async(services.votes_reveal)(actor=karim, workshop=workshop)
    events = [await board.receive_json_from(timeout=10), await board.receive_json_from(timeout=10)]
    votes = next(e for e in events if e["type"] == "votes")
    assert votes["totals"] == {f"contribution:{c.pk}": 1}
    await phone.disconnect()
    await board.disconnect()


@override_settings(CHANNEL_LAYERS=LAYERS, ALLOWED_HOSTS=["localhost"])
def test_hidden_posts_reach_the_pilot_only(setup, karim):
    async_to_sync(_test_hidden_posts_reach_the_pilot_only)(setup, karim)


async def _test_hidden_posts_reach_the_pilot_only(setup, karim):
    workshop, token = setup
    c, _ = await database_sync_to_async(services.contribution_post)(
        workshop=workshop, client_id=uuid.uuid4(), text="Insulte", participant=None, actor=karim
    )
    phone, _ok = await connect(f"/ws/ateliers/{workshop.pk}/?token={token}")
    await phone.receive_json_from(timeout=10)
    await database_sync_to_async(services.contribution_hide)(actor=karim, contribution=c, reason="Injure")
    event = await phone.receive_json_from(timeout=10)
    assert event["contribution"]["hidden"] is True and event["contribution"]["text"] == ""
    assert "hidden_reason" not in event["contribution"] or event["contribution"]["hidden_reason"] == ""
    await phone.send_json_to({"type": "resync"})
    assert (await phone.receive_json_from(timeout=10))["state"]["contributions"] == []
    await phone.disconnect()


@override_settings(CHANNEL_LAYERS=LAYERS, ALLOWED_HOSTS=["localhost"])
def test_refused_without_credentials(setup):
    async_to_sync(_test_refused_without_credentials)(setup)


async def _test_refused_without_credentials(setup):
    workshop, _token = setup
    _comm, ok = await connect(f"/ws/ateliers/{workshop.pk}/")
    assert not ok
    _comm, ok = await connect(f"/ws/ateliers/{workshop.pk}/?board_key=wrong")
    assert not ok
    _comm, ok = await connect(f"/ws/ateliers/{workshop.pk}/?token=forged")
    assert not ok


class BrokenGroupsLayer(InMemoryChannelLayer):
    """Redis gone: every group operation fails."""

    async def group_add(self, group, channel):
        raise ConnectionError("redis down")

    async def group_send(self, group, message):
        raise ConnectionError("redis down")


BROKEN = {"default": {"BACKEND": "maillage.workshops.tests.test_consumers.BrokenGroupsLayer"}}


@override_settings(CHANNEL_LAYERS=BROKEN, ALLOWED_HOSTS=["localhost"])
def test_without_redis_the_phone_is_told_to_poll_and_nothing_is_lost(setup):
    async_to_sync(_test_without_redis)(setup)


async def _test_without_redis(setup):
    workshop, token = setup
    phone, ok = await connect(f"/ws/ateliers/{workshop.pk}/?token={token}")
    assert ok
    assert (await phone.receive_json_from(timeout=10))["type"] == "snapshot"
    assert (await phone.receive_json_from(timeout=10))["type"] == "degraded"
    cid = str(uuid.uuid4())
    await phone.send_json_to({"type": "post", "client_id": cid, "text": "Toujours enregistré"})
    ack = await phone.receive_json_from(timeout=10)
    assert ack["type"] == "ack" and ack["created"] is True
    assert await database_sync_to_async(Contribution.objects.filter(client_id=cid).exists)()
    await phone.send_json_to({"type": "ping"})
    assert await phone.receive_json_from(timeout=10) == {"type": "pong", "live": False}
    assert (await phone.receive_json_from(timeout=10))["type"] == "degraded"
    await phone.disconnect()
