import pytest

from maillage.territories.services import perimeter_create
from maillage.workspaces.models import Workspace

SEARCH_KEYS = {
    "code",
    "name",
    "kind",
    "kind_label",
    "population",
    "postal_codes",
    "epci_code",
    "departement_code",
    "region_code",
    "parent_commune_code",
}


@pytest.mark.parametrize("url", ["/api/v1/territories", "/api/v1/territories/"])
def test_search_with_and_without_trailing_slash(client, referential, url):
    response = client.get(url, {"q": "aurillac"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) >= 2
    aurillac = body["items"][0]
    assert set(aurillac) == SEARCH_KEYS
    assert aurillac == {
        "code": "15014",
        "name": "Aurillac",
        "kind": "commune",
        "kind_label": "Commune",
        "population": 26214,
        "postal_codes": ["15000"],
        "epci_code": "241500230",
        "departement_code": "15",
        "region_code": "84",
        "parent_commune_code": "",
    }


def test_search_by_postal_code_kind_and_limit(client, referential):
    assert [i["code"] for i in client.get("/api/v1/territories?q=15000").json()["items"]] == [
        "15014",
        "15267",
    ]
    body = client.get("/api/v1/territories?q=oleron&kind=epci").json()
    assert [i["code"] for i in body["items"]] == ["241700624"]
    body = client.get("/api/v1/territories?q=saint&kind=commune,commune_deleguee&limit=3").json()
    assert body["count"] == 3
    assert {i["kind"] for i in body["items"]} <= {"commune", "commune_deleguee"}


def test_empty_query_is_an_empty_list(client, referential):
    assert client.get("/api/v1/territories").json() == {"items": [], "count": 0}
    assert client.get("/api/v1/territories?q=").json() == {"items": [], "count": 0}


def test_unknown_kind_or_limit_out_of_range_are_typed_errors(client, referential):
    response = client.get("/api/v1/territories?q=a&kind=canton")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert "canton" in str(response.json()["error"]["details"])
    response = client.get("/api/v1/territories?q=a&limit=abc")
    assert response.status_code == 422


def test_detail_with_parents_and_public_perimeters(client, referential, alice, workspace):
    shared = perimeter_create(
        actor=None, name="Bassin d'Oléron", kind="bassin_de_vie", commune_codes=["17093"]
    )
    perimeter_create(actor=alice, name="Privé", kind="quartier", workspace=workspace, commune_codes=["17093"])
    response = client.get("/api/v1/territories/commune/17093")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["millesime"], body["postal_codes"]) == (
        "Le Château-d'Oléron",
        "2026",
        ["17480"],
    )
    assert body["parents"] == {
        "commune": None,
        "epci": {"code": "241700624", "name": "CC de l'Ile d'Oléron"},
        "departement": {"code": "17", "name": "Charente-Maritime"},
        "region": {"code": "75", "name": "Nouvelle-Aquitaine"},
    }
    assert body["perimeters"] == [
        {"id": shared.pk, "name": "Bassin d'Oléron", "kind": "bassin_de_vie", "kind_label": "Bassin de vie"}
    ]


def test_detail_of_an_epci_and_of_an_arrondissement(client, referential):
    epci = client.get("/api/v1/territories/epci/241700624").json()
    assert (epci["subkind"], epci["kind_label"]) == ("CC", "Intercommunalité (EPCI)")
    arrondissement = client.get("/api/v1/territories/arrondissement_municipal/13201").json()
    assert arrondissement["parents"]["commune"] == {"code": "13055", "name": "Marseille"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/territories/commune/99999",
        "/api/v1/territories/canton/17093",
        "/api/v1/territories/epci/17093",
    ],
)
def test_unknown_territory_or_kind_is_a_typed_404(client, referential, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_public_perimeters_only(client, referential, alice, workspace):
    shared = perimeter_create(actor=None, name="QPV des Salines", kind="qpv", code="QN01712M",
                              commune_codes=["17093", "17140"])  # fmt: skip
    private = perimeter_create(
        actor=alice, name="Privé", kind="quartier", workspace=workspace, commune_codes=["17093"]
    )
    body = client.get(f"/api/v1/territories/perimeters/{shared.pk}").json()
    assert body["commune_codes"] == ["17140", "17093"]  # Dolus-d'Oléron, Le Château-d'Oléron
    assert (body["code"], body["geometry"]) == ("QN01712M", None)

    response = client.get(f"/api/v1/territories/perimeters/{private.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    client.force_login(
        alice
    )  # the API is public: even a member does not see a non-public workspace's perimeter
    assert client.get(f"/api/v1/territories/perimeters/{private.pk}").status_code == 404

    workspace.visibility = Workspace.Visibility.PUBLIC
    workspace.save(update_fields=["visibility"])
    assert client.get(f"/api/v1/territories/perimeters/{private.pk}").status_code == 200
    assert client.get("/api/v1/territories/perimeters/999999").status_code == 404


def test_routes_are_documented(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/territories",
        "/api/v1/territories/{kind}/{code}",
        "/api/v1/territories/perimeters/{perimeter_id}",
    } <= set(paths)
