"""`make bench`: measure the foundation's figures and rewrite docs/benchmarks.md.

Figures (issue #2): territories_load time and peak memory; territory search p50/p95 on SQLite and
PostgreSQL; throughput of a workspace home page as a ratio to a bare Django view on the same server.
Each module adds its own section by adding a function to SECTIONS.
"""

import asyncio
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maillage_bench")
SEARCH_QUERIES = [
    "aurillac",
    "chateau d ol",
    "15000",
    "17093",
    "cc de l ile d oleron",
    "st denis",
    "ste foy",
    "marseille",
    "saint pierre d oleron",
    "lyon",
    "brest",
    "bourg",
    "montreuil",
    "villeneuve",
    "la roche",
    "ca du bassin",
    "2A004",
    "93",
    "metropole de lyon",
    "paris",
    "val de",
    "saint",
    "le",
    "les sables",
    "chamb",
]


def django_env(database_url: str | None, **extra) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "maillage.config.settings", **extra}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def timed_child(env: dict, *args: str) -> tuple[float, float]:
    """Run a manage.py command; return (seconds, peak RSS in MB) of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{args} failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024


def pg_available() -> bool:
    return subprocess.run([PY, "scripts/service_check.py", "postgres", PG_URL], cwd=ROOT).returncode == 0


def pg_recreate() -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        name = PG_URL.rsplit("/", 1)[1]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


SEARCH_SNIPPET = """
import json, time, django
django.setup()
from maillage.territories.selectors import territory_search
queries = json.loads(%r)
for q in queries: list(territory_search(q))  # warm-up
samples = []
for _ in range(8):
    for q in queries:
        t = time.perf_counter(); list(territory_search(q)); samples.append((time.perf_counter() - t) * 1000)
print(json.dumps(samples))
"""


def search_latency(env: dict) -> tuple[float, float, int]:
    import json

    out = subprocess.run(
        [PY, "-c", SEARCH_SNIPPET % json.dumps(SEARCH_QUERIES)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    samples = json.loads(out.strip().splitlines()[-1])
    return percentile(samples, 50), percentile(samples, 95), len(samples)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _hammer(url: str, seconds: float, concurrency: int) -> tuple[int, int]:
    import httpx

    done = errors = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=10) as client:

        async def worker():
            nonlocal done, errors
            while time.monotonic() < deadline:
                response = await client.get(url)
                if response.status_code == 200:
                    done += 1
                else:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done, errors


def throughput(
    env: dict, paths: dict[str, str], *, seconds: float = 8, concurrency: int = 8
) -> dict[str, float]:
    port = free_port()
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "uvicorn",
            "maillage.config.asgi:application",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "MAILLAGE_BENCH_VIEWS": "1"},
    )
    try:
        import httpx

        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        results = {}
        for name, path in paths.items():
            asyncio.run(_hammer(base + path, 1.5, concurrency))  # warm-up
            done, errors = asyncio.run(_hammer(base + path, seconds, concurrency))
            if errors:
                raise RuntimeError(f"{errors} failed requests on {path}")
            results[name] = done / seconds
        return results
    finally:
        server.terminate()
        server.wait(timeout=20)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {int(mem) / 1048576:.0f} GiB RAM, Python {platform.python_version()}"
    )


def bench_foundation() -> list[str]:
    lines = ["## Foundation (issue #2)", ""]
    with tempfile.TemporaryDirectory() as var:
        env = django_env(None, MAILLAGE_VAR_DIR=var, MAILLAGE_DEMO="1")
        manage(env, "migrate", "--no-input")
        seconds, peak = timed_child(env, "territories_load", "--force")
        again, _ = timed_child(env, "territories_load")
        lines += [
            "| figure | measured | goal |",
            "|---|---|---|",
            f"| `territories_load`, full referential, SQLite | {seconds:.1f} s | ≤ 15 s |",
            f"| `territories_load` peak memory (RSS of the process) | {peak:.0f} MB | ≤ 500 MB |",
            f"| `territories_load` again (already loaded, what `make run` does) | {again:.2f} s | — |",
        ]
        p50, p95, n = search_latency(env)
        lines.append(f"| territory search, SQLite, {n} queries | p50 {p50:.1f} ms, p95 {p95:.1f} ms | — |")
        if pg_available():
            pg_recreate()
            pg_env = django_env(PG_URL, MAILLAGE_VAR_DIR=var)
            manage(pg_env, "migrate", "--no-input")
            pg_seconds, pg_peak = timed_child(pg_env, "territories_load", "--force")
            p50, p95, n = search_latency(pg_env)
            lines.append(f"| `territories_load`, PostgreSQL | {pg_seconds:.1f} s, {pg_peak:.0f} MB | — |")
            lines.append(
                f"| territory search, PostgreSQL, {n} queries | p50 {p50:.1f} ms, p95 {p95:.1f} ms | — |"
            )
        else:
            lines.append("| territory search, PostgreSQL | not measured: PostgreSQL not reachable | — |")
        manage(env, "glossary_load")
        manage(env, "demo_load")
        pages = {"bare": "/bench/bare", "home": "/espaces/ile-d-oleron/"}
        rates = throughput(env, pages)
        lines += [
            f"| bare Django view (same middleware), uvicorn 1 process, SQLite | {rates['bare']:.0f} req/s | — |",
            f"| workspace home page, anonymous, same server | {rates['home']:.0f} req/s | — |",
            f"| **home / bare ratio, SQLite (embedded mode)** | **{rates['home'] / rates['bare']:.0%}** | ≥ 40 % |",
        ]
        if pg_available():
            pg_env = django_env(PG_URL, MAILLAGE_VAR_DIR=var, MAILLAGE_DEMO="1")
            manage(pg_env, "glossary_load")
            manage(pg_env, "demo_load")
            rates = throughput(pg_env, pages)
            lines += [
                f"| bare Django view, uvicorn 1 process, PostgreSQL (pooled) | {rates['bare']:.0f} req/s | — |",
                f"| workspace home page, anonymous, same server | {rates['home']:.0f} req/s | — |",
                f"| **home / bare ratio, PostgreSQL** | **{rates['home'] / rates['bare']:.0%}** | ≥ 40 % |",
            ]
        lines += [
            "",
            "Search latency is measured in-process through `territory_search` (the function behind the page and",
            "the API), 8 rounds of the query list, after a warm-up. Throughput: 8 concurrent keep-alive clients",
            "(httpx, same machine) for 8 s per URL after a 1.5 s warm-up.",
            "",
        ]
    return lines


def sections():
    """The foundation's figures, then each module's `benchmarks/bench_<module>.py`, which exposes
    `run() -> list[str]` (Markdown lines) and may import the helpers above from `run`."""
    import importlib

    found = [bench_foundation]
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        found.append(importlib.import_module(path.stem).run)
    return found


def _existing_sections(text: str) -> dict[str, str]:
    import re

    return dict(re.findall(r"<!-- section:(\S+) -->\n(.*?)<!-- /section -->\n", text, flags=re.S))


def main() -> None:
    """Run every section (or those named on the command line) and rewrite docs/benchmarks.md.

    Sections not run this time keep their previous figures, each with the date it was measured.
    """
    only = set(sys.argv[1:])  # e.g. `python benchmarks/run.py bench_directory`
    target = ROOT / "docs" / "benchmarks.md"
    kept = _existing_sections(target.read_text(encoding="utf-8")) if target.exists() else {}
    results: dict[str, str] = {}
    for section in sections():
        name = section.__name__ if section is bench_foundation else section.__module__
        if only and name not in only:
            if name in kept:
                results[name] = kept[name]
            continue
        print(f"running {name}…", flush=True)
        measured = datetime.now().astimezone()
        lines = section()
        lines.insert(1, f"_Measured {measured:%Y-%m-%d %H:%M %Z} on {machine()}._\n")
        results[name] = "\n".join(lines) + "\n"
    header = [
        "# Benchmarks",
        "",
        "Rewritten by `make bench` (`benchmarks/run.py`; `python benchmarks/run.py bench_<module>` reruns one",
        "section and keeps the others). Do not edit by hand.",
        "",
    ]
    body = "".join(f"<!-- section:{name} -->\n{text}<!-- /section -->\n" for name, text in results.items())
    target.write_text("\n".join(header) + "\n" + body, encoding="utf-8")
    print(target.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
