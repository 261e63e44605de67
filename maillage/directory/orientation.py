"""Orientation ("J'ai besoin de…"): a need (a data·inclusion thématique, or its heading) and a commune give the
services whose eligibility zone covers that commune (the commune, its EPCI, its département, its région, or
France), in-person ones first, sorted by distance when coordinates exist, then by how precisely the zone fits
(commune before EPCI before département…), then by name. One query for the results (sorting in SQL), plus the
commune's covering territories and its centre."""

import math
from dataclasses import dataclass

from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from maillage.directory.choices import THEMATIQUE_CATEGORY_CHOICES, THEMATIQUE_CHOICES
from maillage.directory.models import CommuneCentre, Service
from maillage.territories.models import Territory

MAX_RESULTS = 30
PRECISION_LABELS = {
    0: "la commune",
    1: "l'intercommunalité",
    2: "le département",
    3: "la région",
    4: "toute la France",
}
EARTH_KM = 6371.0


def need_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The needs, grouped by heading, in data·inclusion's own plain words ("Trouver un logement"…)."""
    groups = []
    for code, label in THEMATIQUE_CATEGORY_CHOICES:
        children = [(v, lab) for v, lab in THEMATIQUE_CHOICES if v.startswith(code + "--")]
        groups.append((label, [(code, f"{label} (tout)"), *children]))
    return groups


def need_label(code: str) -> str:
    labels = dict(THEMATIQUE_CATEGORY_CHOICES) | dict(THEMATIQUE_CHOICES)
    return labels.get(code, "")


@dataclass
class Orientation:
    service: Service
    precision: int
    in_person: bool
    distance_km: float | None

    @property
    def precision_label(self) -> str:
        return PRECISION_LABELS[self.precision]


def _covering(commune: Territory) -> dict[int, int]:
    """{territory id: precision} for the commune and every territory that contains it."""
    levels = [
        (Territory.Kind.COMMUNE, commune.parent_commune_code, 0),
        (Territory.Kind.EPCI, commune.epci_code, 1),
        (Territory.Kind.DEPARTEMENT, commune.departement_code, 2),
        (Territory.Kind.REGION, commune.region_code, 3),
    ]
    condition = Q(pk=commune.pk)
    for kind, code, _precision in levels:
        if code:
            condition |= Q(kind=kind, code=code)
    precision_of_kind = {kind: precision for kind, _code, precision in levels}
    return {
        pk: (0 if pk == commune.pk else precision_of_kind[kind])
        for pk, kind in Territory.objects.filter(condition).values_list("pk", "kind")
    }


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def orient(workspace, *, need: str, commune: Territory, limit: int = MAX_RESULTS) -> list[Orientation]:
    covering = _covering(commune)
    # Candidates by index: the zone rows of the covering territories, and the services open to all of France.
    precision_of: dict[int, int] = {}
    zone_rows = (
        Service.zone_territories.through.objects.filter(
            territory_id__in=list(covering), service__workspace=workspace
        )
        .order_by()
        .values_list("service_id", "territory_id")
    )
    for service_id, territory_id in zone_rows:
        precision = covering[territory_id]
        precision_of[service_id] = min(precision, precision_of.get(service_id, precision))
    for service_id in Service.objects.filter(workspace=workspace, zone_france=True).values_list(
        "pk", flat=True
    ):
        precision_of.setdefault(service_id, 4)
    if not precision_of:
        return []
    qs = Service.objects.filter(pk__in=list(precision_of))
    if need:
        qs = qs.filter(facet_text__contains=f" th:{need} ")
    by_precision: dict[int, list[int]] = {}
    for service_id, precision in precision_of.items():
        by_precision.setdefault(precision, []).append(service_id)
    whens = [When(pk__in=ids, then=Value(p)) for p, ids in sorted(by_precision.items()) if p < 4]
    centre = CommuneCentre.objects.filter(territory_id=commune.pk).first()
    centre_of = CommuneCentre.objects.filter(territory_id=OuterRef("commune_id"))
    structure_centre = CommuneCentre.objects.filter(territory_id=OuterRef("structure__commune_id"))
    qs = qs.alias(modes_text=Cast("modes_accueil", TextField())).annotate(
        precision=Case(*whens, default=Value(4), output_field=IntegerField()),
        in_person=Case(
            When(modes_text__contains="en-presentiel", then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        lat=Coalesce(
            F("latitude"),
            F("structure__latitude"),
            Subquery(centre_of.values("latitude")[:1]),
            Subquery(structure_centre.values("latitude")[:1]),
            output_field=FloatField(),
        ),
        lon=Coalesce(
            F("longitude"),
            F("structure__longitude"),
            Subquery(centre_of.values("longitude")[:1]),
            Subquery(structure_centre.values("longitude")[:1]),
            output_field=FloatField(),
        ),
    )
    order = ["in_person"]
    if centre is not None:
        # Squared equirectangular distance: enough to sort; the distance shown is computed exactly below.
        scale = math.cos(math.radians(centre.latitude))
        qs = qs.annotate(
            dist2=(F("lat") - Value(centre.latitude)) * (F("lat") - Value(centre.latitude))
            + (F("lon") - Value(centre.longitude))
            * (F("lon") - Value(centre.longitude))
            * Value(scale * scale)
        )
        order.append(F("dist2").asc(nulls_last=True))
    order += ["precision", "nom", "id"]
    ranked = list(qs.order_by(*order).values_list("pk", "precision", "in_person", "lat", "lon")[:limit])
    services = Service.objects.select_related("structure", "structure__commune", "commune").in_bulk(
        [row[0] for row in ranked]
    )
    return [
        Orientation(
            service=services[pk],
            precision=precision,
            in_person=in_person == 0,
            distance_km=_haversine(centre.latitude, centre.longitude, lat, lon)
            if centre is not None and lat is not None and lon is not None
            else None,
        )
        for pk, precision, in_person, lat, lon in ranked
        if pk in services
    ]
