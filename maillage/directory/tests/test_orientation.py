"""Orientation: a need and a commune give the services covering it, in-person and nearest first, then by how
precisely the zone fits; commune centres from a file; the printable sheet (PDF)."""

import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from maillage.directory.models import CommuneCentre, Service
from maillage.directory.orientation import orient
from maillage.directory.tests.conftest import add_service, add_structure, commune
from maillage.territories.models import Territory

pytestmark = pytest.mark.usefixtures("glossary")
NEED = "famille--soutien-a-la-parentalite-et-a-leducation"


@pytest.fixture
def services(workspace, typologies, referential):
    epci = Territory.objects.get(kind="epci", code="241700624")
    dept = Territory.objects.get(kind="departement", code="17")
    near = add_structure(
        workspace, "Maison des familles", commune=commune("17093"), latitude=45.89, longitude=-1.20
    )
    far = add_structure(workspace, "Relais parents du continent", commune=commune("17385"))
    remote = add_structure(workspace, "Plateforme nationale")
    made = {
        "dept": add_service(far, "Écoute parents département", thematiques=[NEED], zone_territories=[dept],
                            modes_accueil=["en-presentiel"]),
        "commune": add_service(near, "Atelier parents Château", thematiques=[NEED], zone_territories=[commune("17093")],
                               modes_accueil=["en-presentiel"], modes_mobilisation=["telephoner"],
                               telephone="01 99 00 00 42", mobilisation_precisions="Appeler le lundi matin."),
        "epci": add_service(far, "Café des parents de l'île", thematiques=[NEED], zone_territories=[epci],
                            modes_accueil=["en-presentiel"]),
        "france": add_service(remote, "Ligne d'écoute parents", thematiques=[NEED], zone_france=True,
                              modes_accueil=["a-distance"]),
        "elsewhere": add_service(far, "Atelier parents Aurillac", thematiques=[NEED], zone_territories=[commune("15014")],
                                 modes_accueil=["en-presentiel"]),
        "other_need": add_service(near, "Aide au logement", thematiques=["logement-hebergement--louer-un-logement"],
                                  zone_territories=[commune("17093")]),
    }  # fmt: skip
    return made


def test_without_centres_sorted_by_precision_then_name(workspace, services):
    results = orient(workspace, need=NEED, commune=commune("17093"))
    names = [r.service.nom for r in results]
    assert names == [
        "Atelier parents Château",
        "Café des parents de l'île",
        "Écoute parents département",
        "Ligne d'écoute parents",  # remote last, even though it covers France
    ]
    assert [r.precision for r in results] == [0, 1, 2, 4]
    assert all(r.distance_km is None for r in results)
    heading = orient(workspace, need="famille", commune=commune("17093"))
    assert len(heading) == 4  # the heading covers its thématiques


def test_with_centres_in_person_sorted_by_distance(workspace, services, tmp_path):
    path = tmp_path / "centres.csv"
    path.write_text(
        "code;lat;lon\n17093;45.888;-1.201\n17385;45.95;-1.31\n99999;1;1\n17140;x;2\n", encoding="utf-8"
    )
    out = StringIO()
    call_command("import_commune_centres", str(path), stdout=out)
    assert "2 centres ajoutés" in out.getvalue() and "1 codes inconnus" in out.getvalue()
    assert "1 lignes invalides" in out.getvalue()
    geojson = tmp_path / "centres.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-1.20, 45.60]},
        "properties": {"code": "17093"},
    }
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    call_command("import_commune_centres", str(geojson), stdout=StringIO())
    assert CommuneCentre.objects.get(territory=commune("17093")).latitude == 45.60
    # The person lives in Saint-Pierre (17385): the far structure's services (at the Saint-Pierre centre) come first.
    results = orient(workspace, need=NEED, commune=commune("17385"))
    names = [r.service.nom for r in results]
    assert names[:2] == ["Café des parents de l'île", "Écoute parents département"]
    assert names[-1] == "Ligne d'écoute parents"
    assert results[0].distance_km == pytest.approx(0, abs=0.01)
    assert "Atelier parents Château" not in names  # its zone is the commune of Le Château only


def test_orientation_page_and_sheet(client, workspace, services, paul, django_assert_max_num_queries):
    client.force_login(paul)
    url = reverse("directory:orientation", args=[workspace.slug])
    assert client.get(url).status_code == 200
    bad = client.get(url, {"need": NEED, "commune": "Atlantide"})
    assert bad.status_code == 400 and "Aucune commune" in bad.content.decode()
    with django_assert_max_num_queries(15):
        html = client.get(url, {"need": NEED, "commune": "17093"}).content.decode()
    assert "4 services trouvés" in html and "Appeler le lundi matin" in html and "01 99 00 00 42" in html
    sheet = client.get(
        reverse("directory:orientation_sheet", args=[workspace.slug]), {"need": NEED, "commune": "17093"}
    )
    assert sheet["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(sheet.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    assert (
        "Où vous adresser" in text and "Atelier parents Château" in text and "Appeler le lundi matin" in text
    )


def test_orientation_is_members_only(client, workspace, services, outsider):
    client.force_login(outsider)
    assert client.get(reverse("directory:orientation", args=[workspace.slug])).status_code == 404
    assert Service.objects.count() == 6
