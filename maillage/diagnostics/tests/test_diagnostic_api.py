"""API of the diagnostic partagé: visibility, restricted sections, writes with a bearer token, typed errors."""

import pytest

from maillage.accounts.services import api_token_create
from maillage.diagnostics.models import Diagnostic
from maillage.diagnostics.services_diagnostic import diagnostic_create, item_add
from maillage.diagnostics.tests.conftest import territory

API = "/api/v1/diagnostics"


@pytest.fixture
def diagnostic(observatory, workspace, karim):
    d = diagnostic_create(
        actor=karim,
        workspace=workspace,
        title="Diagnostic de l'île",
        territory=territory("epci", "241700624"),
    )
    item_add(actor=karim, diagnostic=d, section="paroles", title="Le bus", speaker="Mme D.")
    item_add(actor=karim, diagnostic=d, section="acteurs", title="Gendarmerie")
    d.restricted_sections = ["acteurs"]
    d.save()
    return d


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_read_follows_the_pages(client, diagnostic, josiane, django_assert_max_num_queries):
    assert client.get(f"{API}/{diagnostic.pk}").status_code == 404
    assert client.get(API).json()["count"] == 0
    headers = bearer(josiane)
    assert client.get(API, **headers).json()["items"][0]["title"] == "Diagnostic de l'île"
    with django_assert_max_num_queries(12):
        items = client.get(f"{API}/{diagnostic.pk}/items", **headers).json()
    assert {i["title"] for i in items} == {"Le bus", "Gendarmerie"}
    assert "pour Mme D." in items[0]["provenance"] or "pour Mme D." in items[1]["provenance"]
    Diagnostic.objects.filter(pk=diagnostic.pk).update(visibility="public")
    diagnostic.workspace.visibility = "public"
    diagnostic.workspace.save()
    assert [i["title"] for i in client.get(f"{API}/{diagnostic.pk}/items").json()] == ["Le bus"]
    response = client.get(f"{API}/{diagnostic.pk}/items?section=nope")
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"
    assert client.get(f"{API}/99999999999999").status_code in (404, 422)


def test_write_needs_a_contributing_member(client, diagnostic, josiane, paul):
    body = {"section": "ressources", "title": "Jardin partagé", "resource_kind": "lieu"}
    assert (
        client.post(f"{API}/{diagnostic.pk}/items", body, content_type="application/json").status_code == 401
    )
    response = client.post(
        f"{API}/{diagnostic.pk}/items", body, content_type="application/json", **bearer(paul)
    )
    assert response.status_code == 403
    response = client.post(
        f"{API}/{diagnostic.pk}/items", body, content_type="application/json", **bearer(josiane)
    )
    assert response.status_code == 201 and response.json()["title"] == "Jardin partagé"
    bad = {"section": "donnees", "title": "Sans indicateur"}
    response = client.post(
        f"{API}/{diagnostic.pk}/items", bad, content_type="application/json", **bearer(josiane)
    )
    assert response.status_code == 422 and response.json()["error"]["details"][0]["loc"][-1] == "indicator"
    forged = {"section": "paroles", "title": "x", "speaker": "quelqu'un"}
    response = client.post(
        f"{API}/{diagnostic.pk}/items", forged, content_type="application/json", **bearer(josiane)
    )
    assert response.status_code == 403
