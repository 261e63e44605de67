"""Load client for the live workshops bench (issue #5, docs/WORKSHOPS_LIVE.md).

Drives, from one asyncio process, N simulated phones and one projector board per app process over
WebSocket, against a workshop created through the HTTP API. Each phone posts `posts` contributions and
places `votes` dots at random times within `seconds`, each write with a fresh client_id (uuid4), keeping
the writes not yet acknowledged; when its connection drops it reconnects (jittered exponential backoff,
trying the servers in turn), receives a snapshot and resends every un-acked write with the same client_id.

Measured: for each contribution, the time from the phone's send to its arrival as a live event on each
board, split by "same process" (the board is on the process that handled the write) and "cross-process"
(the event went through Redis), before and after the kill; ack latency; reconnections; client CPU and
event-loop lag (so a saturated client does not pass for a slow server).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field

import httpx
import websockets
from websockets.exceptions import WebSocketException

TEXTS = [
    "Le bus ne passe pas assez souvent",
    "pas assez de bancs",
    "manque de bancs publics",
    "Loyers trop chers",
    "Rien pour les jeunes le soir",
    "poubelles qui débordent",
    "trop de voitures devant l'école",
    "Un jardin partagé au pied des immeubles",
    "Plus de médecin généraliste",
    "éclairage en panne rue des Lilas",
    "une fête des voisins chaque été",
    "un local pour les ados",
]

FAST_SKIP = ('{"type": "contribution"', '{"type": "votes"', '{"type": "cluster"')


@dataclass
class Shared:
    t0: float = 0.0
    kill_at: float | None = None  # perf_counter of the kill, once done
    first_send: dict[str, float] = field(default_factory=dict)  # post client_id → first send time
    vote_ids: set[str] = field(default_factory=set)  # every vote client_id sent
    handled_by: dict[str, int] = field(default_factory=dict)  # post client_id → server of the last send
    replayed: set[str] = field(default_factory=set)  # writes resent or queued while disconnected
    known_ids: list[int] = field(default_factory=list)  # contribution ids to vote on
    post_ids: dict[str, int] = field(default_factory=dict)  # post client_id → contribution id (acks)
    acks: dict[str, bool] = field(default_factory=dict)  # client_id → created
    ack_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reconnections: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # why connections ended or failed to open
    drops_before_kill: int = 0  # connections lost while both servers were up (overload, timeouts)
    reconnect_ms: list[float] = field(default_factory=list)
    resent: int = 0
    replay_not_created: int = 0
    snapshots: int = 0
    stop: bool = False


def _ws_url(http: str, path: str, query: str) -> str:
    return http.replace("http://", "ws://") + path + "?" + query


class Client:
    """One WebSocket connection that survives its server: reconnect, snapshot, resend un-acked writes."""

    def __init__(self, shared: Shared, servers: list[str], home: int, path: str, query: str):
        self.shared = shared
        self.servers = servers
        self.server = home
        self.path = path
        self.query = query
        self.ws = None
        self.unacked: dict[str, dict] = {}  # insertion-ordered
        self.ready = asyncio.Event()
        self.disconnected_at: float | None = None

    async def run(self):
        attempt = 0
        while not self.shared.stop:
            url = _ws_url(self.servers[self.server], self.path, self.query)
            try:
                async with websockets.connect(
                    url,
                    origin=self.servers[self.server],
                    open_timeout=60,
                    ping_interval=None,
                    close_timeout=2,
                    max_size=None,
                    compression=None,
                ) as ws:
                    first = json.loads(await asyncio.wait_for(ws.recv(), 60))
                    if first.get("type") != "snapshot":
                        raise RuntimeError(f"expected a snapshot, got {first.get('type')}")
                    self.shared.snapshots += 1
                    self.on_snapshot(first["state"])
                    self.ws = ws
                    if self.disconnected_at is not None:
                        self.shared.reconnections += 1
                        self.shared.reconnect_ms.append((time.perf_counter() - self.disconnected_at) * 1000)
                        self.disconnected_at = None
                    attempt = 0
                    self.ready.set()
                    for cid, message in list(self.unacked.items()):
                        self.shared.resent += 1
                        self.shared.replayed.add(cid)
                        self.mark_sent(cid, message)
                        await ws.send(json.dumps(message))
                    async for raw in ws:
                        self.on_message(raw)
                    reason = f"closed {ws.close_code}"
                    self.shared.failures[reason] = self.shared.failures.get(reason, 0) + 1
            except (TimeoutError, OSError, WebSocketException, RuntimeError) as error:
                reason = type(error).__name__
                received = getattr(error, "rcvd", None)
                if received is not None:
                    reason += f" {received.code} {received.reason}".rstrip()
                self.shared.failures[reason] = self.shared.failures.get(reason, 0) + 1
            self.ws = None
            self.ready.clear()
            if self.shared.stop:
                break
            if self.disconnected_at is None:
                self.disconnected_at = time.perf_counter()
                if self.shared.kill_at is None and self.shared.t0:
                    self.shared.drops_before_kill += 1
            attempt += 1
            self.server = (self.server + (attempt > 1)) % len(self.servers)  # same server once, then the next
            await asyncio.sleep(min(4.0, 0.2 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0))

    def mark_sent(self, cid: str, message: dict) -> None:
        if message["type"] == "post":
            self.shared.handled_by[cid] = self.server

    async def write(self, message: dict) -> None:
        cid = message["client_id"]
        self.unacked[cid] = message
        if message["type"] == "post":
            self.shared.first_send[cid] = time.perf_counter()
        else:
            self.shared.vote_ids.add(cid)
        ws = self.ws
        if ws is None:
            self.shared.replayed.add(cid)  # queued: sent on reconnection
            return
        self.mark_sent(cid, message)
        try:
            await ws.send(json.dumps(message))
        except WebSocketException:
            self.shared.replayed.add(cid)

    def on_snapshot(self, state: dict) -> None:
        pass

    def on_message(self, raw: str) -> None:
        if raw.startswith(FAST_SKIP):
            return  # phones do not look at the others' post-its (saves client CPU)
        data = json.loads(raw)
        kind = data.get("type")
        cid = data.get("client_id")
        if kind == "ack" and cid in self.unacked:
            message = self.unacked.pop(cid)
            self.shared.acks[cid] = data.get("created", True)
            if cid in self.shared.replayed and not data.get("created", True):
                self.shared.replay_not_created += 1
            if message["type"] == "post":
                self.shared.ack_ms.append((time.perf_counter() - self.shared.first_send[cid]) * 1000)
                self.shared.post_ids[cid] = data["id"]
                self.shared.known_ids.append(data["id"])
        elif kind == "error":
            self.unacked.pop(cid, None)
            self.shared.errors.append(f"{data.get('code')}: {data.get('message')}")


class Board(Client):
    """A projector: records when each post-it arrives as a live event."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen: set[str] = set()
        self.via_snapshot = 0
        # (ms, before|after the kill, same|cross process, replayed, seconds from the kill to the send)
        self.samples: list[tuple[float, str, str, bool, float | None]] = []

    def on_snapshot(self, state: dict) -> None:
        for c in state.get("contributions", []):
            if c["client_id"] not in self.seen:
                self.seen.add(c["client_id"])
                self.via_snapshot += 1

    def on_message(self, raw: str) -> None:
        now = time.perf_counter()
        data = json.loads(raw)
        if data.get("type") != "contribution":
            return
        c = data["contribution"]
        cid = c["client_id"]
        if cid in self.seen:
            return
        self.seen.add(cid)
        self.shared.known_ids.append(c["id"])
        sent = self.shared.first_send.get(cid)
        if sent is None:
            return
        kill = self.shared.kill_at
        when = "before" if kill is None or sent < kill else "after"
        path = "same" if self.shared.handled_by.get(cid) == self.server else "cross"
        since_kill = sent - kill if kill is not None else None
        self.samples.append(((now - sent) * 1000, when, path, cid in self.shared.replayed, since_kill))


async def _loop_lag(shared: Shared, out: list[float]) -> None:
    while not shared.stop:
        t = time.perf_counter()
        await asyncio.sleep(0.05)
        out.append((time.perf_counter() - t - 0.05) * 1000)


async def _phone_script(
    phone: Client, shared: Shared, rnd: random.Random, seconds: float, posts: int, votes: int
):
    actions = sorted([(rnd.uniform(0, seconds), "post") for _ in range(posts)])
    actions += [(rnd.uniform(0, seconds), "vote") for _ in range(votes)]
    actions.sort()
    for at, kind in actions:
        delay = shared.t0 + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if kind == "post":
            text = f"{rnd.choice(TEXTS)} ({rnd.randrange(1000)})"
            await phone.write({"type": "post", "client_id": str(uuid.uuid4()), "text": text})
        else:
            while not shared.known_ids:
                await asyncio.sleep(0.2)
            target = rnd.choice(shared.known_ids)
            await phone.write(
                {
                    "type": "vote",
                    "client_id": str(uuid.uuid4()),
                    "target_kind": "contribution",
                    "target_id": target,
                }
            )


async def _gather_limited(coros, limit: int):
    sem = asyncio.Semaphore(limit)

    async def one(coro):
        async with sem:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros))


async def drive(
    *,
    servers: list[str],
    api_token: str,
    workspace: str,
    n: int,
    seconds: float,
    posts: int = 5,
    votes: int = 10,
    kill=None,
    kill_after: float | None = None,
    seed: int = 5,
) -> dict:
    """Run the whole scenario; `kill()` is called `kill_after` seconds into the run (SIGKILL of servers[0])."""
    rnd = random.Random(seed)
    shared = Shared()
    auth = {"Authorization": f"Bearer {api_token}"}
    setup_start = time.perf_counter()
    async with httpx.AsyncClient(timeout=30) as http:
        r = await http.post(
            f"{servers[0]}/api/v1/workshops/templates",
            headers=auth,
            json={
                "workspace": workspace,
                "name": "Bench : une phase",
                "phases": [
                    {
                        "title": "Ce qui ne va pas",
                        "prompt": "Écrivez",
                        "duration_minutes": 30,
                        "can_post": True,
                        "can_vote": True,
                    }
                ],
            },
        )
        r.raise_for_status()
        template = r.json()["id"]
        r = await http.post(
            f"{servers[0]}/api/v1/workshops",
            headers=auth,
            json={
                "workspace": workspace,
                "template": template,
                "title": "Atelier de charge",
                "dots_per_participant": votes,
            },
        )
        r.raise_for_status()
        workshop = r.json()
        wid, code, board_key = workshop["id"], workshop["join_code"], workshop["board_key"]
        r = await http.post(
            f"{servers[0]}/api/v1/workshops/{wid}/phase", headers=auth, json={"action": "start"}
        )
        r.raise_for_status()

        async def join(i):
            r = await http.post(
                f"{servers[i % len(servers)]}/api/v1/workshops/join",
                json={
                    "code": code,
                    "display_name": f"Phone {i}",
                    "role_as": "habitant",
                    "first_time": i % 3 == 0,
                    "consent": True,
                },
            )
            r.raise_for_status()
            return r.json()["token"]

        join_start = time.perf_counter()
        tokens = await _gather_limited([join(i) for i in range(n)], 16)
        join_s = time.perf_counter() - join_start

    path = f"/ws/ateliers/{wid}/"
    boards = [Board(shared, servers, s, path, f"board_key={board_key}") for s in range(len(servers))]
    phones = [Client(shared, servers, i % len(servers), path, f"token={tokens[i]}") for i in range(n)]
    tasks = [asyncio.create_task(c.run()) for c in boards]
    await asyncio.gather(*(b.ready.wait() for b in boards))
    connect_start = time.perf_counter()
    for i in range(0, n, 20):  # connect in waves of 20
        batch = phones[i : i + 20]
        tasks += [asyncio.create_task(p.run()) for p in batch]
        await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in batch)), 60)
    connect_s = time.perf_counter() - connect_start

    lag: list[float] = []
    lag_task = asyncio.create_task(_loop_lag(shared, lag))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    shared.t0 = time.perf_counter()
    scripts = [
        asyncio.create_task(_phone_script(p, shared, random.Random(rnd.random()), seconds, posts, votes))
        for p in phones
    ]
    if kill is not None and kill_after is not None:
        await asyncio.sleep(kill_after)
        shared.kill_at = time.perf_counter()
        kill()
    await asyncio.gather(*scripts)
    writes_done = time.perf_counter() - shared.t0
    # drain: every write acknowledged (or refused), every post-it on every board
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline and any(p.unacked for p in phones):
        await asyncio.sleep(0.2)
    expected = set(shared.first_send)
    while time.perf_counter() < deadline and any(expected - b.seen for b in boards):
        await asyncio.sleep(0.2)
    drained = time.perf_counter() - shared.t0
    client_cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    shared.stop = True
    for c in [*boards, *phones]:
        if c.ws is not None:
            await c.ws.close()
    for t in tasks:
        t.cancel()
    lag_task.cancel()
    await asyncio.gather(*tasks, lag_task, return_exceptions=True)

    async with httpx.AsyncClient(timeout=60) as http:
        alive = servers[1] if kill is not None else servers[0]
        r = await http.get(f"{alive}/api/v1/workshops/{wid}/state", params={"board_key": board_key})
        r.raise_for_status()
        state = r.json()

    return {
        "workshop_id": wid,
        "n": n,
        "seconds": seconds,
        "setup_s": join_start - setup_start,
        "join_s": join_s,
        "connect_s": connect_s,
        "writes_done_s": writes_done,
        "drained_s": drained,
        "client_cpu_share": client_cpu / wall if wall else 0,
        "loop_lag_ms": lag,
        "post_client_ids": sorted(expected),
        "vote_client_ids": sorted(shared.vote_ids),
        "acked": len(shared.acks),
        "acked_ids": sorted(shared.acks),
        "unacked": sum(len(p.unacked) for p in phones),
        "errors": shared.errors,
        "reconnections": shared.reconnections,
        "drops_before_kill": shared.drops_before_kill,
        "failures": shared.failures,
        "reconnect_ms": shared.reconnect_ms,
        "resent": shared.resent,
        "replay_not_created": shared.replay_not_created,
        "ack_ms": shared.ack_ms,
        "samples": [s for b in boards for s in b.samples],
        "board_missing": [len(expected - b.seen) for b in boards],
        "board_via_snapshot": [b.via_snapshot for b in boards],
        "state_contributions": [c["client_id"] for c in state["contributions"]],
    }


def __getattr__(name: str):
    """`ws_load:instrumented_application` — the platform's ASGI app, observed from outside (the workshops app
    is not edited): when MAILLAGE_BENCH_WS_TIMINGS=<prefix> is set, each server process appends to
    `<prefix>.<pid>` the time spent in the consumer's database work (`write`: the service call, commit and
    broadcast included; `write_total`: from the message's arrival to the ack, so including the wait for the
    process's single sync thread; `snapshot`) and its event-loop lag every 100 ms (`lag`).

    MAILLAGE_BENCH_WS_PATCH (comma-separated) tries server-side changes without editing the app, to measure
    them before proposing them:
    - `dispatch`: live events skip channels' `aclose_old_connections()`, the hop to the process's single
      sync thread that `AsyncConsumer.dispatch` makes for every message of every consumer;
    - `threads`: the consumer's database work runs in a thread pool instead of the single sync thread;
    - `pilotgroup`: events for facilitators only (vote totals before the reveal) go to a separate group
      that only pilot connections join, instead of reaching every connection to be dropped there;
    - `encode`: the event's JSON text is encoded once by the writer and sent as is by every connection.
    """
    if name != "instrumented_application":
        raise AttributeError(name)
    import os

    from maillage.config.asgi import application
    from maillage.workshops import consumers
    from maillage.workshops.consumers import WorkshopConsumer

    patches = set(filter(None, os.environ.get("MAILLAGE_BENCH_WS_PATCH", "").split(",")))
    prefix = os.environ.get("MAILLAGE_BENCH_WS_TIMINGS")
    log = open(f"{prefix}.{os.getpid()}", "a", buffering=1) if prefix else None  # noqa: SIM115

    def timed(fn, label):
        def inner(self, *args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(self, *args, **kwargs)
            finally:
                log.write(f"{label} {(time.perf_counter() - t) * 1000:.2f}\n")

        return inner

    if log is not None:
        WorkshopConsumer._do_write = timed(WorkshopConsumer._do_write, "write")
        WorkshopConsumer._snapshot = timed(WorkshopConsumer._snapshot, "snapshot")
        original_write = WorkshopConsumer._write

        async def _write(self, kind, content):
            t = time.perf_counter()
            await original_write(self, kind, content)
            log.write(f"write_total {(time.perf_counter() - t) * 1000:.2f}\n")

        WorkshopConsumer._write = _write

    if "dispatch" in patches:
        original_dispatch = WorkshopConsumer.dispatch

        async def dispatch(self, message):
            if message.get("type") == "workshop.event":
                await self.workshop_event(message)
            else:
                await original_dispatch(self, message)

        WorkshopConsumer.dispatch = dispatch
    if "pilotgroup" in patches or "encode" in patches:
        import json as _json

        from maillage.workshops.selectors import PARTICIPANT, PILOT
        from maillage.workshops.services import _common

        original_send = _common._send

        def _send(workshop_id, message):
            if "encode" in patches:
                message = {**message, "text": _json.dumps(message["event"])}
            if "pilotgroup" in patches and message.get("audience") == "pilot":
                from asgiref.sync import async_to_sync
                from channels.layers import get_channel_layer

                try:
                    group = _common.group_name(workshop_id) + ".pilot"
                    async_to_sync(get_channel_layer().group_send)(group, message)
                except Exception:  # noqa: BLE001 - same contract as _send: never fail the write
                    _common.logger.exception("bench patch: pilot broadcast failed")
                return
            original_send(workshop_id, message)

        _common._send = _send
        original_connect = WorkshopConsumer.connect
        original_disconnect = WorkshopConsumer.disconnect
        original_event = WorkshopConsumer.workshop_event

        async def connect(self):
            await original_connect(self)
            if "pilotgroup" in patches and getattr(self, "kind", None) == PILOT:
                await self.channel_layer.group_add(self.group + ".pilot", self.channel_name)

        async def disconnect(self, code):
            if "pilotgroup" in patches and getattr(self, "kind", None) == PILOT:
                await self.channel_layer.group_discard(self.group + ".pilot", self.channel_name)
            await original_disconnect(self, code)

        async def workshop_event(self, message):
            if "text" not in message:
                return await original_event(self, message)
            audience = message.get("audience", "all")  # the consumer's own filter, then the pre-encoded text
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
                await self.send(text_data=message["text"])
            return None

        WorkshopConsumer.connect = connect
        WorkshopConsumer.disconnect = disconnect
        WorkshopConsumer.workshop_event = workshop_event
    if "threads" in patches:
        from channels.db import DatabaseSyncToAsync

        consumers.database_sync_to_async = lambda fn: DatabaseSyncToAsync(fn, thread_sensitive=False)

    monitor = []

    async def lag_monitor():
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.1)
            log.write(f"lag {(time.perf_counter() - t - 0.1) * 1000:.2f}\n")

    async def app(scope, receive, send):
        if log is not None and not monitor:
            monitor.append(asyncio.ensure_future(lag_monitor()))
        await application(scope, receive, send)

    return app
