"""Reading commune centre coordinates from an operator-supplied file (CSV or GeoJSON) into CommuneCentre."""

import csv
import io
import json

from django.db import transaction

from maillage.directory.models import CommuneCentre
from maillage.territories.models import Territory
from maillage.territories.selectors import COMMUNE_KINDS


class CentreFileError(ValueError):
    pass


def _rows_from_geojson(data: dict) -> list[tuple[str, object, object]]:
    rows = []
    for feature in data.get("features") or []:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        code = str(props.get("code") or props.get("code_insee") or "")
        rows.append((code, coords[1] if coords else None, coords[0] if coords else None))
    return rows


def _rows_from_csv(text: str) -> list[tuple[str, object, object]]:
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    for line in reader:
        if not line or not "".join(line).strip():
            continue
        if line[0].strip().lower() in ("code", "code_insee", "insee"):
            continue
        rows.append(tuple((line + ["", "", ""])[:3]))
    return rows


def parse_centres(text: str) -> list[tuple[str, object, object]]:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        data = json.loads(stripped)
        if data.get("type") != "FeatureCollection":
            raise CentreFileError(
                "GeoJSON attendu : une FeatureCollection de points avec une propriété « code »."
            )
        return _rows_from_geojson(data)
    return _rows_from_csv(text)


@transaction.atomic
def import_commune_centres(text: str, *, name: str = "") -> dict:
    rows = parse_centres(text)
    valid, invalid = {}, []
    for code, lat, lon in rows:
        try:
            lat, lon = float(str(lat).replace(",", ".")), float(str(lon).replace(",", "."))
        except (TypeError, ValueError):
            invalid.append(f"{code} : latitude ou longitude manquante")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            invalid.append(f"{code} : coordonnées hors limites ({lat}, {lon})")
            continue
        valid[str(code).strip().upper()] = (lat, lon)
    territories = {
        t.code: t.pk
        for t in Territory.objects.filter(kind__in=COMMUNE_KINDS, code__in=list(valid)).order_by("-kind")
    }
    existing = set(
        CommuneCentre.objects.filter(territory_id__in=territories.values()).values_list("pk", flat=True)
    )
    objects = [
        CommuneCentre(territory_id=pk, latitude=valid[code][0], longitude=valid[code][1])
        for code, pk in territories.items()
    ]
    CommuneCentre.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["territory"], update_fields=["latitude", "longitude"]
    )
    return {
        "created": len({o.territory_id for o in objects} - existing),
        "updated": len(existing),
        "unknown": sorted(set(valid) - set(territories)),
        "invalid": invalid,
    }
