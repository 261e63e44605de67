"""Geographic map (points filtered like the search, commune centres as approximate positions) and the graph of the
whole directory."""

import json

import pytest
from django.urls import reverse

from maillage.directory.models import CommuneCentre
from maillage.directory.tests.conftest import add_service, commune

pytestmark = pytest.mark.usefixtures("glossary")


@pytest.fixture
def located(oleron):
    oleron["ccas"].latitude, oleron["ccas"].longitude = 45.889, -1.201
    oleron["ccas"].save()
    CommuneCentre.objects.create(territory=commune("17140"), latitude=45.91, longitude=-1.26)
    add_service(oleron["ccas"], "Permanence numérique", latitude=45.88, longitude=-1.2, zone_territories=[])
    return oleron


def test_points_and_filters(client, workspace, located, paul, settings, django_assert_max_num_queries):
    client.force_login(paul)
    url = reverse("directory:geo_points", args=[workspace.slug])
    with django_assert_max_num_queries(8):
        data = client.get(url).json()
    names = {f["properties"]["name"]: f for f in data["features"]}
    assert set(names) == {
        "Centre communal d'action sociale",
        "Centre social de l'Île",
        "Permanence numérique",
    }
    assert names["Centre social de l'Île"]["properties"]["approximate"] is True  # its commune's centre
    assert names["Centre communal d'action sociale"]["geometry"]["coordinates"] == [-1.201, 45.889]
    filtered = client.get(url, {"kind": "association"}).json()
    assert [f["properties"]["name"] for f in filtered["features"]] == ["Centre social de l'Île"]
    settings.MAILLAGE_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = client.get(
        reverse("directory:geo_map", args=[workspace.slug]), {"kind": "association"}
    ).content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert (
        "OpenStreetMap" in html
        and "position approximative" in html
        and "points.geojson?kind=association" in html
    )


def test_workspace_graph(client, workspace, oleron, paul):
    client.force_login(paul)
    data = client.get(reverse("directory:graph_json", args=[workspace.slug])).json()
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 2
    html = client.get(reverse("directory:graph", args=[workspace.slug])).content.decode()
    assert "Les liens, acteur par acteur" in html and "financeur de Centre social" in html.replace(
        "&#x27;", "'"
    )
    geo = client.get(reverse("directory:graph_export", args=[workspace.slug, "geojson"]))
    assert json.loads(geo.content)["features"] == []
    assert client.get(reverse("directory:graph_export", args=[workspace.slug, "pdf"])).status_code == 404
