"""Production mode, for real: 2 ASGI worker processes on PostgreSQL + Redis, static files through whitenoise.

Run by `make test` in its PostgreSQL stage (DATABASE_URL and REDIS_URL set); CI never skips it.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.production, pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def production_server(transactional_db, tmp_path):
    assert connection.vendor == "postgresql", "the production test needs DATABASE_URL to point at PostgreSQL"
    assert settings.REDIS_URL, "the production test needs REDIS_URL"
    port = _free_port()
    env = {
        **os.environ,
        "MAILLAGE_ENV": "production",
        "SECRET_KEY": "test-" + "s" * 50,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "maillage.config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
            "--proxy-headers",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        os.killpg(server.pid, signal.SIGTERM)
        pytest.fail("the production server did not start within 60 s")
    yield base
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)


def test_two_worker_processes_each_serve_a_request_on_postgresql_and_redis(production_server):
    pids = {}
    for _ in range(400):
        # A new connection each time, so that the kernel hands it to either worker.
        with httpx.Client(timeout=5) as client:
            response = client.get(production_server + "/healthz")
        body = response.json()
        assert response.status_code == 200
        assert body["database"] == "postgresql" and body["redis"] is True
        pids[body["pid"]] = pids.get(body["pid"], 0) + 1
        if len(pids) >= 2:
            break
    assert len(pids) == 2, f"only saw worker(s) {pids}"


def test_production_security_and_static_files(production_server):
    with httpx.Client(timeout=5, headers={"X-Forwarded-Proto": "https"}) as client:
        home = client.get(production_server + "/")
        assert home.status_code == 200
        assert home.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "secure" in home.headers.get("set-cookie", "secure").lower()
        css = re.search(r'href="(/static/css/maillage\.[0-9a-f]{12}\.css)"', home.text)
        assert css, "static files should use hashed names in production"
        static = client.get(production_server + css.group(1))
        assert static.status_code == 200 and "max-age=315360000" in static.headers["cache-control"]
        missing = client.get(production_server + "/nulle-part/")
        assert missing.status_code == 404 and "Traceback" not in missing.text
