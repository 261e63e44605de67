import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.mark.parametrize(
    "name",
    [
        "core:home",
        "core:styleguide",
        "core:privacy",
        "core:accessibility",
        "workspaces:list",
        "glossary:list",
        "accounts:login",
        "territories:search",
    ],
)
def test_public_pages_render_in_french_with_landmarks(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    assert "<main" in html and 'role="contentinfo"' in html


def test_english_is_available(client, db):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html


def test_language_links_point_to_the_same_page_in_each_language(client, db):
    html = client.get("/espaces/").content.decode()
    assert 'href="/en/espaces/" hreflang="en" lang="en"' in html
    html = client.get("/en/espaces/").content.decode()
    assert 'href="/espaces/" hreflang="fr" lang="fr"' in html


def test_language_switch_sets_cookie_and_redirects(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/espaces/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/espaces/"


def test_security_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_healthz(client, db):
    data = client.get("/healthz").json()
    assert data["database"] in {"sqlite", "postgresql"}
    assert data["pid"] > 0


@override_settings(DEBUG=False)
def test_unknown_page_is_a_plain_404(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Traceback" not in html and "Page introuvable" in html


@pytest.mark.parametrize("cookie", ["abc\x00defghijkl", "../../etc/passwd", "x" * 500, "ÉÉÉÉÉÉÉÉÉÉ"])
def test_malformed_session_cookie_is_ignored_not_a_500(client, db, cookie):
    client.cookies["sessionid"] = cookie
    assert client.get("/").status_code == 200
    assert client.get("/compte/mes-donnees/").status_code == 302  # to the login page
    assert client.get("/api/v1/me").status_code == 401
