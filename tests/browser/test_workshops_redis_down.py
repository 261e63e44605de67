"""Killing Redis during a workshop (issue #5, "Done means"): pages keep working, degraded to polling, and
nothing typed is lost. A private redis-server is started for the test and killed half-way."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.management import call_command

from maillage.workshops.models import Contribution, Workshop
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login
from tests.browser.test_workshops_journey import _create_workshop, _join_without_account, _phase, _post

pytestmark = pytest.mark.redis


@pytest.fixture
def private_redis(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield url, process
    process.kill()
    process.wait()


@pytest.fixture
def redis_settings(private_redis, settings):
    from channels.layers import channel_layers

    url, process = private_redis
    settings.REDIS_URL = url
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [url]}}
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "maillage.core.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    channel_layers.backends = {}
    yield process
    channel_layers.backends = {}


def test_killing_redis_degrades_to_polling_and_loses_nothing(redis_settings, new_asgi_page, workspace, karim):
    call_command("workshops_load", verbosity=0)
    pilot = new_asgi_page()
    _login(pilot, "karim@example.org")
    workshop = _create_workshop(pilot, workspace)
    pilot.locator("[data-mode=live]").wait_for()
    board = new_asgi_page()
    board.goto(f"/ateliers/{workshop.pk}/tableau/{workshop.board_key}/")
    board.locator("[data-mode=live]").wait_for()
    phone = new_asgi_page(mobile=True)
    _join_without_account(phone, workshop, "Nadia")
    _phase(pilot, "Démarrer ou reprendre")
    _phase(pilot, "Phase suivante")
    phone.get_by_label("Votre post-it").wait_for()
    _post(phone, "Avant la panne : le parc ferme trop tôt")
    board.get_by_text("Avant la panne : le parc ferme trop tôt").filter(visible=True).first.wait_for()

    redis_settings.kill()  # Redis dies mid-workshop
    redis_settings.wait()

    # Two post-its one after the other, each sent once the box is free again (it is disabled meanwhile).
    for text in ("Pendant la panne : pas de bancs", "Pendant la panne : éclairage en panne"):
        box = phone.get_by_label("Votre post-it")
        box.fill(text)
        phone.get_by_role("button", name="Envoyer le post-it").click()
        phone.wait_for_function(
            "() => { const t = document.querySelector('.post-form textarea');"
            " return t && !t.disabled && t.value === ''; }"
        )
    deadline = time.monotonic() + 20
    while Contribution.objects.count() < 3 and time.monotonic() < deadline:
        phone.wait_for_timeout(200)
    # The board and the pilot fall back to polling and still show everything.
    board.locator("[data-mode=polling]").wait_for(timeout=30_000)
    board.get_by_text("Pendant la panne : éclairage en panne").filter(visible=True).first.wait_for(
        timeout=15_000
    )
    pilot.get_by_text("Pendant la panne : pas de bancs").filter(visible=True).first.wait_for(timeout=15_000)
    pilot.reload()
    pilot.get_by_role("heading", name="Pilotage : Avenir des Tilleuls").wait_for()
    assert_accessible(pilot, context="pilotage sans Redis")
    texts = list(Contribution.objects.filter(workshop=Workshop.objects.get()).values_list("text", flat=True))
    assert sorted(texts) == sorted(
        [
            "Avant la panne : le parc ferme trop tôt",
            "Pendant la panne : pas de bancs",
            "Pendant la panne : éclairage en panne",
        ]
    )
