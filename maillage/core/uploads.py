"""Validation of uploaded files by declared type, real content and size."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_upload(upload, *, allowed_extensions: set[str], max_bytes: int | None = None) -> None:
    max_bytes = max_bytes or settings.MAX_UPLOAD_BYTES
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in allowed_extensions:
        raise ValidationError(
            _("Ce type de fichier n'est pas accepté (%(ext)s). Types acceptés : %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(sorted(allowed_extensions))}
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("Le fichier est trop gros (%(size)s Mo) : la limite est %(limit)s Mo.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)}
        )


def read_geojson_upload(upload, *, max_bytes: int | None = None) -> dict:
    """Return the parsed GeoJSON of an upload, or raise a ValidationError saying what is wrong."""
    validate_upload(upload, allowed_extensions={"geojson", "json"}, max_bytes=max_bytes)
    try:
        data = json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            _("Le fichier n'est pas un GeoJSON lisible : %(error)s") % {"error": exc}
        ) from exc
    if not isinstance(data, dict) or data.get("type") not in {
        "FeatureCollection",
        "Feature",
        "Polygon",
        "MultiPolygon",
    }:
        raise ValidationError(
            _(
                "Le GeoJSON doit être un polygone, un multipolygone, un « Feature » ou une « FeatureCollection »."
            )
        )
    return data
