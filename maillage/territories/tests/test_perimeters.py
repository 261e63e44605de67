import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.core.models import AuditEvent
from maillage.territories.models import Perimeter, Territory
from maillage.territories.selectors import epci_communes, perimeter_communes, perimeters_containing
from maillage.territories.services import perimeter_create, perimeter_set_communes
from maillage.workspaces.models import Workspace

Kind = Territory.Kind
SQUARE = [[[-1.3, 45.9], [-1.2, 45.9], [-1.2, 46.0], [-1.3, 46.0], [-1.3, 45.9]]]


def feature(**properties):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": SQUARE},
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def superuser(db):
    from maillage.accounts.models import User

    return User.objects.create_superuser("root@example.org", "x", display_name="Root")


def test_an_administratrice_creates_a_perimeter_from_insee_codes(referential, alice, workspace):
    perimeter = perimeter_create(
        actor=alice,
        name="Sud de l'île",
        kind=Perimeter.Kind.BASSIN_DE_VIE,
        workspace=workspace,
        commune_codes=["17093", " 17140 ", "17093"],
    )
    assert sorted(perimeter_communes(perimeter).values_list("code", flat=True)) == ["17093", "17140"]
    assert perimeter.created_by == alice
    assert AuditEvent.objects.filter(action="perimeter.create", target_id=str(perimeter.pk)).exists()


def test_geojson_feature_properties_add_communes(referential, alice, workspace):
    geojson = collection(
        feature(INSEE_COM="17385"),
        feature(codgeo="17337"),
        feature(code_insee="17323"),
        feature(code="QN01712M"),  # a QPV code, not an INSEE code: ignored
        feature(nom="sans code"),
    )
    perimeter = perimeter_create(
        actor=alice,
        name="Nord de l'île",
        kind=Perimeter.Kind.QUARTIER,
        workspace=workspace,
        commune_codes=["17093"],
        geojson=geojson,
    )
    assert set(perimeter.communes.values_list("code", flat=True)) == {"17093", "17385", "17337", "17323"}
    assert perimeter.geometry == geojson


def test_geojson_upload_is_validated(referential, alice, workspace):
    upload = SimpleUploadedFile(
        "quartier.geojson", json.dumps(feature(insee="15014")).encode(), content_type="application/geo+json"
    )
    perimeter = perimeter_create(
        actor=alice, name="Centre", kind=Perimeter.Kind.QUARTIER, workspace=workspace, geojson=upload
    )
    assert list(perimeter.communes.values_list("code", flat=True)) == ["15014"]

    point = SimpleUploadedFile("point.geojson", json.dumps({"type": "Point", "coordinates": [0, 0]}).encode())
    with pytest.raises(ValidationError, match="polygone"):
        perimeter_create(
            actor=alice, name="Point", kind=Perimeter.Kind.QUARTIER, workspace=workspace, geojson=point
        )
    with pytest.raises(ValidationError, match="polygone"):
        perimeter_create(
            actor=alice,
            name="Ligne",
            kind=Perimeter.Kind.QUARTIER,
            workspace=workspace,
            geojson={"type": "Line"},
        )


def test_unknown_or_malformed_codes_are_refused_and_nothing_is_written(referential, alice, workspace):
    with pytest.raises(ValidationError, match="99999"):
        perimeter_create(
            actor=alice,
            name="X",
            kind=Perimeter.Kind.QUARTIER,
            workspace=workspace,
            commune_codes=["17093", "99999"],
        )
    with pytest.raises(ValidationError, match="code postal"):
        perimeter_create(
            actor=alice, name="X", kind=Perimeter.Kind.QUARTIER, workspace=workspace, commune_codes=["00000"]
        )
    with pytest.raises(ValidationError, match="17A"):
        perimeter_create(
            actor=alice, name="X", kind=Perimeter.Kind.QUARTIER, workspace=workspace, commune_codes=["17A"]
        )
    with pytest.raises(ValidationError, match="Type de périmètre inconnu"):
        perimeter_create(actor=alice, name="X", kind="zone", workspace=workspace, commune_codes=["17093"])
    with pytest.raises(ValidationError, match="nom"):
        perimeter_create(actor=alice, name=" ", kind=Perimeter.Kind.QUARTIER, workspace=workspace)
    with pytest.raises(ValidationError, match="communes"):
        perimeter_create(actor=alice, name="Vide", kind=Perimeter.Kind.QUARTIER, workspace=workspace)
    assert not Perimeter.objects.exists()


def test_a_shared_code_resolves_to_the_current_commune(referential, alice, workspace):
    perimeter = perimeter_create(
        actor=alice,
        name="Saint-Denis",
        kind=Perimeter.Kind.AUTRE,
        workspace=workspace,
        commune_codes=["93066"],
    )
    assert [(t.kind, t.code) for t in perimeter.communes.all()] == [(Kind.COMMUNE, "93066")]


def test_permissions(referential, alice, karim, outsider, workspace, superuser):
    for actor in (karim, outsider):  # animateur and outsider may not change the workspace
        with pytest.raises(PermissionDenied):
            perimeter_create(
                actor=actor,
                name="X",
                kind=Perimeter.Kind.QUARTIER,
                workspace=workspace,
                commune_codes=["17093"],
            )
    with pytest.raises(PermissionDenied):  # instance-wide perimeters are for superusers only
        perimeter_create(actor=alice, name="X", kind=Perimeter.Kind.QPV, commune_codes=["17093"])
    shared = perimeter_create(actor=superuser, name="QPV", kind=Perimeter.Kind.QPV, commune_codes=["17093"])
    assert shared.workspace is None
    with pytest.raises(PermissionDenied):
        perimeter_set_communes(actor=alice, perimeter=shared, commune_codes=["17140"])


def test_set_communes_replaces_them(referential, alice, workspace):
    perimeter = perimeter_create(
        actor=alice, name="P", kind=Perimeter.Kind.QUARTIER, workspace=workspace, commune_codes=["17093"]
    )
    perimeter_set_communes(actor=alice, perimeter=perimeter, commune_codes=["17140", "17385"])
    assert sorted(perimeter.communes.values_list("code", flat=True)) == ["17140", "17385"]
    with pytest.raises(ValidationError):
        perimeter_set_communes(actor=alice, perimeter=perimeter, commune_codes=["00000"])
    assert perimeter.communes.count() == 2


def test_perimeters_containing_respects_visibility(referential, commune, alice, josiane, outsider, workspace):
    shared = perimeter_create(
        actor=None, name="Bassin de vie d'Oléron", kind="bassin_de_vie", commune_codes=["17093"]
    )
    private = perimeter_create(
        actor=alice, name="Quartier du port", kind="quartier", workspace=workspace, commune_codes=["17093"]
    )
    perimeter_create(actor=None, name="Ailleurs", kind="autre", commune_codes=["15014"])

    assert list(perimeters_containing(commune)) == [shared]  # anonymous: the members-only workspace is hidden
    assert list(perimeters_containing(commune, user=outsider)) == [shared]
    assert set(perimeters_containing(commune, user=josiane)) == {shared, private}
    workspace.visibility = Workspace.Visibility.PUBLIC
    workspace.save(update_fields=["visibility"])
    assert set(perimeters_containing(commune)) == {shared, private}


def test_perimeters_containing_a_commune_deleguee_include_those_of_its_commune(referential):
    shared = perimeter_create(actor=None, name="Plaine", kind="contrat", commune_codes=["93066"])
    deleguee = Territory.objects.get(kind=Kind.COMMUNE_DELEGUEE, code="93066")
    assert list(perimeters_containing(deleguee)) == [shared]


def test_epci_communes(oleron):
    assert epci_communes(oleron).count() == 8
    assert [c.name for c in epci_communes(oleron)][:4] == [  # alphabetical, accents ignored
        "Dolus-d'Oléron",
        "La Brée-les-Bains",
        "Le Château-d'Oléron",
        "Le Grand-Village-Plage",
    ]
