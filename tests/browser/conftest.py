"""Browser journeys: Playwright (Python) driving Debian's chromium, with axe-core on every page visited."""

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop thread

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Factory of pages, each in its own browser context (its own cookies): one per person in a journey."""
    contexts = []

    def make(*, mobile: bool = False):
        viewport = {"width": 360, "height": 740} if mobile else {"width": 1280, "height": 900}
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport=viewport, accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.console_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def assert_accessible(page, *, context: str = ""):
    """Run axe-core on the current page; fail with a readable list of violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert not violations, f"axe-core violations on {context or page.url}:\n" + json.dumps(
        violations, indent=2
    )
    csp_errors = [e for e in getattr(page, "console_errors", []) if "Content Security Policy" in e]
    assert not csp_errors, csp_errors


class _AsgiServer:
    """uvicorn serving the real ASGI application (HTTP + WebSockets) in a thread of the test process."""

    def __init__(self):
        import socket
        import threading

        import uvicorn

        from maillage.config.asgi import application

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            application, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self):
        import time

        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("ASGI test server did not start")
            time.sleep(0.05)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def asgi_live_server(transactional_db, settings):
    """Like pytest-django's `live_server`, but ASGI: WebSockets (Channels) work. Use with `new_asgi_page`."""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    server = _AsgiServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def new_asgi_page(browser, asgi_live_server):
    """Factory of pages (one browser context each) on the ASGI live server."""
    contexts = []

    def make(*, mobile: bool = False):
        viewport = {"width": 360, "height": 740} if mobile else {"width": 1280, "height": 900}
        context = browser.new_context(
            base_url=asgi_live_server.url, locale="fr-FR", viewport=viewport, accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.console_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()
