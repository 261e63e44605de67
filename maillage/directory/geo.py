"""Points of the geographic map: structures, their services and places with coordinates, filtered like the search
(same parameters: q, category, thématique, public, territory, kind). Without own coordinates, a structure or a
place is put at its commune's centre when one was imported (marked as approximate). A fixed number of queries."""

from dataclasses import dataclass

from django.urls import reverse

from maillage.directory.models import CommuneCentre, Place, Service, Structure
from maillage.directory.selectors import SearchParams, filter_structures

MAX_POINTS = 5000


@dataclass
class Point:
    kind: str  # "structure", "service", "place"
    name: str
    lat: float
    lon: float
    url: str
    commune: str
    approximate: bool
    structure: str = ""

    def as_feature(self) -> dict:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(self.lon, 6), round(self.lat, 6)]},
            "properties": {
                "kind": self.kind,
                "name": self.name,
                "url": self.url,
                "commune": self.commune,
                "approximate": self.approximate,
                "structure": self.structure,
            },
        }


def map_points(workspace, params: SearchParams) -> list[Point]:
    structures = list(
        filter_structures(Structure.objects.filter(workspace=workspace), params).values(
            "id", "name", "latitude", "longitude", "commune_id", "commune__name"
        )[:MAX_POINTS]
    )
    ids = [s["id"] for s in structures]
    places = list(
        Place.objects.filter(workspace=workspace, structure_id__in=ids)
        .values("id", "name", "commune_id", "commune__name", "structure__name")
        .order_by("name")
    )
    services = list(
        Service.objects.filter(structure_id__in=ids, latitude__isnull=False, longitude__isnull=False)
        .values("id", "nom", "latitude", "longitude", "commune__name", "structure_id", "structure__name")
        .order_by("nom")[:MAX_POINTS]
    )
    commune_ids = {s["commune_id"] for s in structures if s["latitude"] is None} | {
        p["commune_id"] for p in places
    }
    centres = {
        c.territory_id: (c.latitude, c.longitude)
        for c in CommuneCentre.objects.filter(territory_id__in=commune_ids - {None})
    }
    slug = workspace.slug
    points: list[Point] = []
    for s in structures:
        url = reverse("directory:structure", args=[slug, s["id"]])
        if s["latitude"] is not None and s["longitude"] is not None:
            points.append(
                Point(
                    "structure",
                    s["name"],
                    s["latitude"],
                    s["longitude"],
                    url,
                    s["commune__name"] or "",
                    False,
                )
            )
        elif s["commune_id"] in centres:
            lat, lon = centres[s["commune_id"]]
            points.append(Point("structure", s["name"], lat, lon, url, s["commune__name"] or "", True))
    for v in services:
        url = reverse("directory:structure", args=[slug, v["structure_id"]]) + "#services"
        points.append(
            Point(
                "service",
                v["nom"],
                v["latitude"],
                v["longitude"],
                url,
                v["commune__name"] or "",
                False,
                v["structure__name"],
            )
        )
    for p in places:
        if p["commune_id"] in centres:
            lat, lon = centres[p["commune_id"]]
            points.append(
                Point(
                    "place",
                    p["name"],
                    lat,
                    lon,
                    "",
                    p["commune__name"] or "",
                    True,
                    p["structure__name"] or "",
                )
            )
    return points


def as_geojson(points: list[Point]) -> dict:
    return {"type": "FeatureCollection", "features": [p.as_feature() for p in points]}
