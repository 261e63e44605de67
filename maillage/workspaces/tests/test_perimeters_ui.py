import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from maillage.territories.models import Perimeter
from maillage.territories.tests.conftest import FIXTURE_PATH


@pytest.fixture
def referential(db):
    call_command("territories_load", "--path", str(FIXTURE_PATH))


def test_admin_defines_a_perimeter_from_codes_and_geojson(client, workspace, alice, referential):
    client.force_login(alice)
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"insee": "17093"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[-1.2, 45.8], [-1.1, 45.8], [-1.1, 45.9], [-1.2, 45.8]]],
                },
            }
        ],
    }
    response = client.post(
        reverse("workspaces:perimeter_add", args=[workspace.slug]),
        {
            "name": "Bassin de vie de l'île",
            "kind": "bassin_de_vie",
            "commune_codes": "15014",
            "geojson": SimpleUploadedFile("ile.geojson", json.dumps(geojson).encode()),
        },
    )
    perimeter = Perimeter.objects.get(name="Bassin de vie de l'île")
    assert response.status_code == 302
    assert sorted(perimeter.communes.values_list("code", flat=True)) == ["15014", "17093"]
    assert perimeter.workspace == workspace


def test_unknown_codes_are_explained_and_nothing_is_written(client, workspace, alice, referential):
    client.force_login(alice)
    response = client.post(
        reverse("workspaces:perimeter_add", args=[workspace.slug]),
        {"name": "Quartier", "kind": "quartier", "commune_codes": "99999"},
    )
    assert response.status_code == 400
    assert "99999" in response.content.decode()
    assert not Perimeter.objects.exists()


def test_only_administrators_define_perimeters(client, workspace, karim, referential):
    client.force_login(karim)
    assert client.get(reverse("workspaces:perimeter_add", args=[workspace.slug])).status_code == 404
