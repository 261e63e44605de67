import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.core.uploads import read_geojson_upload, validate_upload


def test_refuses_wrong_extension_and_size():
    with pytest.raises(ValidationError, match="pas accepté"):
        validate_upload(SimpleUploadedFile("virus.exe", b"x"), allowed_extensions={"csv"})
    with pytest.raises(ValidationError, match="trop gros"):
        validate_upload(SimpleUploadedFile("a.csv", b"x" * 2000), allowed_extensions={"csv"}, max_bytes=1000)


def test_geojson_is_parsed_or_explained():
    data = read_geojson_upload(SimpleUploadedFile("q.geojson", b'{"type": "Polygon", "coordinates": []}'))
    assert data["type"] == "Polygon"
    with pytest.raises(ValidationError, match="pas un GeoJSON lisible"):
        read_geojson_upload(SimpleUploadedFile("q.geojson", b"{nope"))
    with pytest.raises(ValidationError, match="polygone"):
        read_geojson_upload(SimpleUploadedFile("q.json", b'{"type": "Point", "coordinates": [0, 0]}'))
