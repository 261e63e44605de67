"""GET /api/v1/practices/search and /api/v1/practices/{slug}: ranked items, typed errors."""

import pytest

from maillage.accounts.services import api_token_create
from maillage.practices.models import Practice

pytestmark = pytest.mark.django_db
URL = "/api/v1/practices/search"


def test_search_returns_ranked_items_with_everything(client, seed_practices):
    response = client.get(URL, {"q": "conférences familiales"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] >= 1 and data["terms"]
    first = data["items"][0]
    assert first["rank"] == 1
    assert first["title"] == "Expérimentation des conférences familiales en France"
    assert first["slug"] and first["url"].endswith(f"/pratiques/{first['slug']}/")
    assert first["fiches"] == [{"number": 23, "title": "Les conférences familiales"}]
    assert {"slug": "conference-familiale", "name": "Conférence familiale"} in first["methods"]
    assert first["territory"] == []  # Ardèche, Gironde, Nord are not in the mini referential
    assert any("<mark>" in h for h in first["highlights"])


def test_filters_by_fiche_and_method(client, seed_practices):
    data = client.get(URL, {"fiche": 19}).json()
    assert data["count"] == 2 and all(19 in [f["number"] for f in i["fiches"]] for i in data["items"])
    data = client.get(URL, {"method": "dpa", "q": "habitants"}).json()
    assert "« Collectif du 14 rue Michelet »" in [i["title"] for i in data["items"]]
    data = client.get(URL, {"q": "isolement", "limit": 1, "offset": 0}).json()
    assert len(data["items"]) == 1 and data["count"] >= 1


def test_typed_errors(client, referentials):
    response = client.get(URL, {"fiche": 99})
    assert response.status_code == 404
    assert (
        response.json()["error"]["code"] == "not_found" and "fiche 99" in response.json()["error"]["message"]
    )
    response = client.get(URL, {"method": "hypnose"})
    assert response.status_code == 404 and "hypnose" in response.json()["error"]["message"]
    assert client.get(URL, {"q": "x" * 201}).json()["error"]["code"] == "bad_request"
    assert client.get(URL, {"limit": 500}).status_code == 400
    assert client.get(URL, {"fiche": "trois"}).json()["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/practices/nexiste-pas").status_code == 404
    bad_token = client.get(URL, HTTP_AUTHORIZATION="Bearer faux")
    assert bad_token.status_code == 401


def test_members_see_their_workspace_practice_with_a_token(client, workspace_practice, karim, outsider):
    assert client.get(URL, {"q": "vélos Tilleuls"}).json()["count"] == 0
    _token, raw = api_token_create(user=karim, name="logiciel")
    data = client.get(URL, {"q": "vélos Tilleuls"}, HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert data["count"] == 1 and data["items"][0]["slug"] == workspace_practice.slug
    detail = client.get(f"/api/v1/practices/{workspace_practice.slug}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert detail.status_code == 200 and detail.json()["status"] == Practice.Status.DRAFT
    _token, raw = api_token_create(user=outsider, name="autre")
    assert (
        client.get(
            f"/api/v1/practices/{workspace_practice.slug}", HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).status_code
        == 404
    )


def test_detail_never_contains_the_contact(client, seed_practices):
    esat = seed_practices.get(title__startswith="Un ESAT")
    assert esat.contact  # stored…
    data = client.get(f"/api/v1/practices/{esat.slug}").json()
    assert "contact" not in data and "05 53 97 15 20" not in str(data) and "Berguio" not in str(data)
    assert data["sections"]["context"].startswith("Sous l’impulsion")
    assert [f["number"] for f in data["fiches"]] == [1, 3]
