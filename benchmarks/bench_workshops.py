"""Live workshops (issue #5): N phones over WebSocket against 2 app processes + Redis, one process killed
mid-run. Goal: p95 post → board ≤ 300 ms, 0 contributions lost or duplicated.

1. a fresh PostgreSQL database (its own name, so other benches running meanwhile do not drop it), migrated,
   with a workspace, an animateur and their API token;
2. two uvicorn processes sharing it and Redis (pub/sub channel layer);
3. the load client (`benchmarks/ws_load.py`): template, workshop and N joins through the HTTP API, one
   board per process and N phones (half on each), 5 post-its and 10 dots per phone at random times;
4. SIGKILL of the first process half-way: its clients reconnect to the other one and resend;
5. the database and `GET …/state` are checked: every post-it and dot exactly once.

`MAILLAGE_BENCH_WS_N` (300) and `MAILLAGE_BENCH_WS_SECONDS` (120) make a smaller run;
`MAILLAGE_BENCH_WS_PROFILE=<dir>` runs both servers under cProfile (event-loop thread) and the surviving
one's profile is written there when it stops; `MAILLAGE_BENCH_WS_PATCH` tries server-side changes (see
`ws_load.__getattr__`); `MAILLAGE_BENCH_WS_UVICORN` adds uvicorn options (e.g. `--ws websockets`).
"""

import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from run import PG_URL, PY, ROOT, django_env, free_port, manage, percentile, pg_available

sys.path.insert(0, str(Path(__file__).parent))
import ws_load  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
WS_DB_URL = PG_URL.rsplit("/", 1)[0] + "/maillage_bench_ws"
SETTLE_S = 15  # seconds after the kill from which the surviving process is expected to have recovered

SETUP = r"""
import json, django
django.setup()
from maillage.accounts.services import api_token_create, user_create
from maillage.workspaces.models import Membership, Workspace
from maillage.workspaces.services import workspace_create
admin = user_create(email="admin@bench.org", display_name="Admin", password="bench-password-123", accepted_privacy_notice=True)
anim = user_create(email="anim@bench.org", display_name="Animatrice", password="bench-password-123", accepted_privacy_notice=True)
workspace = workspace_create(name="Atelier bench", creator=admin, visibility=Workspace.Visibility.MEMBERS)
Membership.objects.create(workspace=workspace, user=anim, role="animateur")
_token, raw = api_token_create(user=anim, name="bench")
print(json.dumps({"token": raw, "workspace": workspace.slug}))
"""


def _recreate_db() -> None:
    import psycopg

    name = WS_DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(WS_DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _redis_available() -> bool:
    return subprocess.run([PY, "scripts/service_check.py", "redis", REDIS_URL], cwd=ROOT).returncode == 0


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start_server(env: dict, port: int, profile_dir: str | None) -> subprocess.Popen:
    """uvicorn, 1 process, serving the platform's ASGI app through ws_load's timing wrapper."""
    command = [PY, "-m", "uvicorn", "ws_load:instrumented_application", "--port", str(port)]
    command += ["--log-level", "warning", "--app-dir", str(Path(__file__).parent)]
    command += os.environ.get("MAILLAGE_BENCH_WS_UVICORN", "").split()  # e.g. "--ws websockets"
    if profile_dir:
        command = [PY, "-m", "cProfile", "-o", f"{profile_dir}/server-{port}.prof", *command[1:]]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def _timings(prefix: str, pids: list[int]) -> list[dict[str, list[float]]]:
    out = []
    for pid in pids:
        found: dict[str, list[float]] = {}
        path = Path(f"{prefix}.{pid}")
        if path.exists():
            for line in path.read_text().splitlines():
                label, _, value = line.partition(" ")
                try:
                    found.setdefault(label, []).append(float(value))
                except ValueError:
                    continue
        out.append(found)
    return out


def _wait_ready(port: int) -> None:
    import httpx

    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


def _db_check(workshop_id: int, posts: list[str], votes: list[str], acked: set[str]) -> dict:
    import psycopg
    from psycopg import sql

    with psycopg.connect(WS_DB_URL) as conn:
        rows = {}
        for table in ("workshops_contribution", "workshops_vote"):
            ids = [
                str(r[0])
                for r in conn.execute(
                    sql.SQL("SELECT client_id FROM {} WHERE workshop_id = %s").format(sql.Identifier(table)),
                    [workshop_id],
                )
            ]
            total, distinct, ids = len(ids), len(set(ids)), set(ids)
            rows[table] = (total, distinct, ids)
    c_total, c_distinct, c_ids = rows["workshops_contribution"]
    v_total, v_distinct, v_ids = rows["workshops_vote"]
    return {
        "contributions": c_total,
        "contributions_duplicated": c_total - c_distinct,
        "contributions_lost": len(set(posts) - c_ids),
        # acknowledged to the phone but not in the database: lost for good
        "acked_missing": len(acked - c_ids - v_ids),
        "contributions_unknown": len(c_ids - set(posts)),
        "votes": v_total,
        "votes_duplicated": v_total - v_distinct,
        "votes_lost": len(set(votes) - v_ids),
        "votes_unknown": len(v_ids - set(votes)),
    }


def _stats(values: list[float]) -> str:
    if not values:
        return "—"
    return (
        f"p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms, max {max(values):.0f} ms"
    )


def measure(n: int, seconds: float, *, kill: bool = True) -> dict:
    profile_dir = os.environ.get("MAILLAGE_BENCH_WS_PROFILE")
    _recreate_db()
    with tempfile.TemporaryDirectory() as var:
        env = django_env(WS_DB_URL, MAILLAGE_VAR_DIR=var, MAILLAGE_DEMO="0")
        manage(env, "migrate", "--no-input")
        out = subprocess.run(
            [PY, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
        setup = json.loads(out.strip().splitlines()[-1])
        timings = f"{var}/timings"
        server_env = {**env, "REDIS_URL": REDIS_URL, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        server_env["MAILLAGE_BENCH_WS_TIMINGS"] = timings
        server_env.pop("MAILLAGE_ENV", None)
        ports = [free_port(), free_port()]
        procs = [_start_server(server_env, p, profile_dir) for p in ports]
        cpu = {}
        try:
            for p in ports:
                _wait_ready(p)
            servers = [f"http://127.0.0.1:{p}" for p in ports]
            cpu_start = [_cpu_seconds(p.pid) for p in procs]
            load_start = os.getloadavg()[0]
            wall_start = time.perf_counter()

            def do_kill():
                cpu["killed"] = _cpu_seconds(procs[0].pid) - cpu_start[0]
                cpu["killed_wall"] = time.perf_counter() - wall_start
                procs[0].send_signal(signal.SIGKILL)

            result = asyncio.run(
                ws_load.drive(
                    servers=servers,
                    api_token=setup["token"],
                    workspace=setup["workspace"],
                    n=n,
                    seconds=seconds,
                    kill=do_kill if kill else None,
                    kill_after=seconds / 2 if kill else None,
                )
            )
            cpu["survivor"] = _cpu_seconds(procs[1].pid) - cpu_start[1]
            cpu["survivor_wall"] = time.perf_counter() - wall_start
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT if profile_dir else signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        result["db"] = _db_check(
            result["workshop_id"],
            result["post_client_ids"],
            result["vote_client_ids"],
            set(result["acked_ids"]),
        )
        result["server_cpu"] = cpu
        result["load"] = (load_start, os.getloadavg()[0])
        result["server_timings"] = _timings(timings, [p.pid for p in procs])
        result["patches"] = os.environ.get("MAILLAGE_BENCH_WS_PATCH", "")
        return result


def report(r: dict) -> list[str]:
    samples = r["samples"]

    def pick(when=None, path=None, replayed=False, settled=False):
        return [
            ms
            for ms, w, p, rep, since_kill, *_ in samples
            if (when is None or w == when)
            and (path is None or p == path)
            and rep == replayed
            and (not settled or (since_kill is not None and since_kill >= SETTLE_S))
        ]

    db = r["db"]
    n = r["n"]
    before_all = pick("before")
    after_all = pick("after")
    lag = r["loop_lag_ms"]
    cpu = r["server_cpu"]
    expected_posts, expected_votes = n * 5, n * 10
    posts_ok = db["contributions"] == expected_posts and not db["contributions_lost"]
    posts_ok = posts_ok and not db["contributions_duplicated"] and not db["contributions_unknown"]
    votes_ok = db["votes"] == expected_votes and not db["votes_lost"]
    votes_ok = votes_ok and not db["votes_duplicated"] and not db["votes_unknown"]
    state_dupes = len(r["state_contributions"]) - len(set(r["state_contributions"]))
    ok = lambda good: "✅" if good else "❌"  # noqa: E731
    p95_before = percentile(before_all, 95) if before_all else float("inf")
    p95_after = percentile(after_all, 95) if after_all else float("inf")
    lines = [
        "| figure | measured | goal |",
        "|---|---|---|",
        f"| phones (N), writes | {n} phones × (5 post-its + 10 dots) in {r['seconds']:.0f} s, 2 app processes "
        f"+ Redis pub/sub, PostgreSQL | N = 300, 2 min |",
        f"| **post → board, before the kill, all boards** | **{_stats(before_all)}** ({len(before_all)} arrivals) "
        f"| p95 ≤ 300 ms {ok(p95_before <= 300)} |",
        f"| — same process as the writer | {_stats(pick('before', 'same'))} | — |",
        f"| — the other process (through Redis) | {_stats(pick('before', 'cross'))} | — |",
        f"| **post → board, after the kill (one process left)** | **{_stats(after_all)}** ({len(after_all)} arrivals) "
        f"| p95 ≤ 300 ms {ok(p95_after <= 300)} |",
        f"| — sent {SETTLE_S} s or more after the kill (reconnections over) | {_stats(pick('after', settled=True))} "
        f"({len(pick('after', settled=True))} arrivals) | — |",
        f"| post → board for writes queued or resent during the reconnection | {_stats(pick(replayed=True))} "
        f"({len(pick(replayed=True))} arrivals) | — |",
        f"| post → ack to the phone (write committed) | {_stats(r['ack_ms'])} | — |",
        f"| **contributions in the database** | **{db['contributions']}** / {expected_posts}: "
        f"missing {db['contributions_lost']}, duplicated {db['contributions_duplicated']} "
        f"| 0 lost, 0 duplicated {ok(posts_ok)} |",
        f"| **dots in the database** | **{db['votes']}** / {expected_votes}: missing {db['votes_lost']}, "
        f"duplicated {db['votes_duplicated']} | 0 lost, 0 duplicated {ok(votes_ok)} |",
        f"| writes acknowledged to a phone but absent from the database (lost for good) | {db['acked_missing']} | 0 |",
        f"| writes still not acknowledged when the client gave up ({r['drained_s'] - r['writes_done_s']:.0f} s "
        f"after the last one) | {r['unacked']} | 0 |",
        f"| `GET …/state` (board) after the run | {len(r['state_contributions'])} post-its, {state_dupes} duplicated | — |",
        f"| post-its missing on a board at the end (live or snapshot) | {r['board_missing']} "
        f"(received through a snapshot: {r['board_via_snapshot']}) | 0 |",
        f"| reconnections after the SIGKILL at {r['seconds'] / 2:.0f} s | {r['reconnections']} "
        f"(time to snapshot: {_stats(r['reconnect_ms'])}); {r['resent']} un-acked writes resent, "
        f"{r['replay_not_created']} of them already committed (server answered created=false) | — |",
        f"| connections dropped while both processes were up | {r['drops_before_kill']} | 0 |",
        f"| connection ends and failed attempts, by cause | "
        f"{', '.join(f'{k}: {v}' for k, v in sorted(r.get('failures', {}).items())) or '—'} | — |",
        f"| machine load average (1 min) at the start / end of the run | {r['load'][0]:.1f} / {r['load'][1]:.1f} "
        f"on {os.cpu_count()} CPUs | — |",
        f"| writes refused by the server | {len(r['errors'])}"
        + (f" (first: {r['errors'][0]})" if r["errors"] else "")
        + " | 0 |",
        f"| setup: {n} joins through the API / WebSocket connections | {r['join_s']:.1f} s / {r['connect_s']:.1f} s | — |",
        f"| writes done / everything acknowledged and on the boards | {r['writes_done_s']:.1f} s / {r['drained_s']:.1f} s | — |",
        f"| CPU: load client (one process) / killed server until the kill / surviving server | "
        f"{r['client_cpu_share']:.0%} of a core / "
        f"{cpu.get('killed', 0) / max(cpu.get('killed_wall', 1), 1e-9):.0%} / "
        f"{cpu.get('survivor', 0) / max(cpu.get('survivor_wall', 1), 1e-9):.0%} | — |",
        f"| load client event-loop lag (so the client does not inflate latencies) | "
        f"p95 {percentile(lag, 95):.0f} ms, max {max(lag):.0f} ms | — |"
        if lag
        else "| loop lag | — | — |",
    ]
    for label, found in zip(("killed", "surviving"), r.get("server_timings", []), strict=False):
        if not found:
            continue
        lines.append(
            f"| server timings, {label} process: consumer DB write (service, commit, broadcast) / "
            f"message → ack (incl. wait for the sync thread) / snapshot / event-loop lag "
            f"| {_stats(found.get('write', []))} / {_stats(found.get('write_total', []))} / "
            f"{_stats(found.get('snapshot', []))} ({len(found.get('snapshot', []))}) / "
            f"{_stats(found.get('lag', []))} | — |"
        )
    if r.get("patches"):
        lines.append(
            f"| server-side changes tried by the bench (MAILLAGE_BENCH_WS_PATCH) | {r['patches']} | — |"
        )
    return lines


def run() -> list[str]:
    n = int(os.environ.get("MAILLAGE_BENCH_WS_N", "300"))
    seconds = float(os.environ.get("MAILLAGE_BENCH_WS_SECONDS", "120"))
    lines = ["## Ateliers en direct (#5)", ""]
    if not pg_available() or not _redis_available():
        return [*lines, "Not measured: PostgreSQL or Redis not reachable.", ""]
    started = datetime.now().astimezone()
    r = measure(n, seconds)
    lines += report(r)
    lines += [
        "",
        f"Run {started:%Y-%m-%d %H:%M %Z}, {platform.platform()}, {os.cpu_count()} CPUs shared by the load client,",
        "both app processes (uvicorn, 1 worker each), PostgreSQL and Redis. `benchmarks/ws_load.py` (asyncio,",
        "`websockets`) joins N participants through `POST /api/v1/workshops/join` (half on each process), opens one",
        "board (`?board_key=`) per process and N phones (`?token=`); each phone posts 5 post-its and places 10 dots",
        "at random times, each write with a fresh `client_id`. Latency is from the phone's send to the post-it's",
        'arrival as a live event on a board, "same process" when the board is on the process that wrote it,',
        "otherwise through Redis. Half-way, the first process gets SIGKILL: its clients reconnect to the other one",
        "(jittered exponential backoff), get a snapshot and resend their un-acked writes with the same `client_id`.",
        "The counts come from the database (`client_id` compared with every write the phones made).",
        "",
    ]
    return lines
