from maillage.diagnostics.models import Observation
from maillage.territories.models import Perimeter, Territory
from maillage.workspaces.models import Workspace

from .conftest import OLERON, import_text


def test_indicators(client, catalogue):
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == 34
    poverty = next(i for i in data if i["code"] == "taux_pauvrete")
    assert poverty["aggregation"] == "ratio" and poverty["unit"] == "%" and poverty["statistical_secrecy"]
    assert client.get("/api/v1/indicators/taux_pauvrete").json()["label"].startswith("Taux de pauvreté")
    missing = client.get("/api/v1/indicators/inconnu")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_observations_filters(client, observatory, write_csv):
    rows = "".join(f"{code};{year};{100 + i}\n" for i, code in enumerate(OLERON) for year in (2020, 2021))
    import_text(write_csv, "codgeo;an;population\n" + rows)
    import_text(write_csv, "codgeo;an;taux_pauvrete\n17093;2021;13,9\nFR;2021;14,4\n")
    data = client.get("/api/v1/observations", {"indicator": "population", "territory": "17093"}).json()
    assert data["count"] == 2
    assert [item["period"] for item in data["items"]] == ["2020", "2021"]
    item = data["items"][0]
    assert item["place"] == {
        "type": "territory",
        "kind": "commune",
        "code": "17093",
        "name": "Le Château-d'Oléron",
        "id": None,
    }
    assert item["value"] == 100 and item["is_computed"] is False
    epci = client.get("/api/v1/observations", {"territory": "241700624", "period": "2021"}).json()
    assert epci["count"] == 1 and epci["items"][0]["is_computed"] is True
    assert epci["items"][0]["value"] == sum(100 + i for i in range(8))
    france = client.get("/api/v1/observations", {"territory": "FR"}).json()
    assert [(i["indicator"], i["value"]) for i in france["items"]] == [("taux_pauvrete", 14.4)]
    both = client.get(
        "/api/v1/observations",
        {"indicator": "population,taux_pauvrete", "territory": "17093", "period": "2021"},
    )
    assert both.json()["count"] == 2
    computed_only = client.get("/api/v1/observations", {"computed": "true"}).json()
    assert computed_only["count"] == Observation.objects.filter(is_computed=True).count() > 0
    page = client.get("/api/v1/observations", {"limit": 3, "offset": 3}).json()
    assert (len(page["items"]), page["limit"], page["offset"]) == (3, 3, 3)
    assert page["count"] == Observation.objects.count()


def test_observations_errors(client, observatory):
    bad = client.get("/api/v1/observations", {"indicator": "population,inconnu"})
    assert bad.status_code == 422
    assert "inconnu" in bad.json()["error"]["details"][0]["msg"]
    assert client.get("/api/v1/observations", {"territory": "99999"}).status_code == 404
    assert client.get("/api/v1/observations", {"territory": "75", "kind": "pays"}).status_code == 422


def test_values_of_private_perimeters_are_not_public(client, observatory, write_csv):
    private = Workspace.objects.create(name="Privé", slug="prive", visibility=Workspace.Visibility.PRIVATE)
    hidden = Perimeter.objects.create(
        name="Caché", kind=Perimeter.Kind.QUARTIER, workspace=private, code="QX1"
    )
    shared = Perimeter.objects.create(name="Partagé", kind=Perimeter.Kind.QUARTIER, code="QX2")
    for perimeter in (hidden, shared):
        perimeter.communes.set(Territory.objects.filter(kind="commune", code="17093"))
    import_text(write_csv, "codgeo;an;population\n17093;2021;4366\n")
    data = client.get("/api/v1/observations", {"indicator": "population"}).json()
    perimeters = {i["place"]["name"] for i in data["items"] if i["place"]["type"] == "perimeter"}
    assert perimeters == {"Partagé"}
    assert client.get("/api/v1/observations", {"perimeter": hidden.pk}).json()["count"] == 0
