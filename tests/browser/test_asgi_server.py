"""The ASGI live server fixture serves the real application (what the live workshop journeys rely on)."""

from tests.browser.conftest import assert_accessible


def test_asgi_live_server_serves_pages(new_asgi_page, asgi_live_server):
    page = new_asgi_page()
    page.goto("/")
    assert page.locator("h1").first.is_visible()
    assert_accessible(page, context="accueil (ASGI)")
    response = page.request.get(f"{asgi_live_server.url}/healthz")
    assert response.ok
