"""Public, read-only API of the observatoire: /api/v1/indicators and /api/v1/observations.

Statistics are public data: no authentication is needed. Values on a perimeter are listed only when the
perimeter is public (instance-wide or in a public workspace).
"""

from datetime import date

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from maillage.diagnostics import selectors
from maillage.diagnostics.importers import FRANCE_CODES
from maillage.diagnostics.models import Indicator, Observation
from maillage.territories.models import Territory

router = Router(tags=["observatoire"])
MAX_LIMIT = 1000


class IndicatorOut(Schema):
    code: str
    label: str
    short_label: str
    definition: str
    theme: str
    unit: str
    decimals: int
    source: str
    source_url: str
    licence: str
    better: str
    aggregation: str
    numerator_label: str
    denominator_label: str
    scale: int
    statistical_secrecy: bool
    secrecy_note: str


class PlaceOut(Schema):
    type: str  # "territory", "perimeter" or "france"
    kind: str
    code: str
    name: str
    id: int | None = None


class ObservationOut(Schema):
    indicator: str
    place: PlaceOut
    period: str
    year: int
    date: date | None
    value: float
    numerator: float | None
    denominator: float | None
    is_computed: bool
    source_note: str

    @staticmethod
    def resolve_indicator(obj: Observation) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_place(obj: Observation) -> dict:
        if obj.territory_id:
            t = obj.territory
            return {"type": "territory", "kind": t.kind, "code": t.code, "name": t.name, "id": None}
        if obj.perimeter_id:
            p = obj.perimeter
            return {"type": "perimeter", "kind": p.kind, "code": p.code, "name": p.name, "id": p.pk}
        return {"type": "france", "kind": "pays", "code": "FR", "name": "France", "id": None}


class ObservationPage(Schema):
    items: list[ObservationOut]
    count: int
    limit: int
    offset: int


class ObservationFilters(Schema):
    indicator: str = ""
    territory: str = ""
    kind: str = ""
    perimeter: int | None = None
    period: str = ""
    computed: bool | None = None
    limit: int = 100
    offset: int = 0


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["query", field], "msg": message}])


@router.get("/indicators", response=list[IndicatorOut], summary="Le catalogue des indicateurs")
def indicator_list(request):
    """Every indicator: definition in plain French, unit, source, licence, how it aggregates."""
    return selectors.indicators_catalogue()


@router.get("/indicators/{code}", response=IndicatorOut, summary="Un indicateur")
def indicator_detail(request, code: str):
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404(f"Aucun indicateur avec le code « {code} » (voir /api/v1/indicators).")
    return indicator


@router.get("/observations", response=ObservationPage, summary="Valeurs observées (filtrables)")
def observation_list(request, filters: Query[ObservationFilters]):
    """Values, filtered by `indicator` (codes separated by commas), `territory` (INSEE code of a commune,
    SIREN of an EPCI, code of a département — add `kind=region` for a région —, or FR for France),
    `perimeter` (id), `period` (2021 or 2021-12-31; a year also matches the dates of that year) and
    `computed` (true: only the values Maillage computed, false: only imported ones). Paginated by
    `limit` (at most 1000) and `offset`, ordered by indicator, place and period."""
    qs = selectors.public_observations()
    if filters.indicator:
        codes = [c.strip() for c in filters.indicator.split(",") if c.strip()]
        known = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise _invalid(
                "indicator", f"Indicateur inconnu : {', '.join(unknown)} (voir /api/v1/indicators)."
            )
        qs = qs.filter(indicator_id__in=known.values())
    if filters.territory:
        qs = _filter_territory(qs, filters.territory.strip().upper(), filters.kind.strip())
    if filters.perimeter is not None:
        qs = qs.filter(perimeter_id=filters.perimeter)
    if filters.period:
        period = filters.period.strip()
        qs = (
            qs.filter(year=int(period)) if period.isdigit() and len(period) == 4 else qs.filter(period=period)
        )
    if filters.computed is not None:
        qs = qs.filter(is_computed=filters.computed)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    items = list(
        qs.order_by("indicator__position", "territory_id", "perimeter_id", "period", "pk")[
            offset : offset + limit
        ]
    )
    return {"items": items, "count": qs.count(), "limit": limit, "offset": offset}


def _filter_territory(qs, code: str, kind: str):
    if code in FRANCE_CODES:
        return qs.filter(is_france=True)
    if kind and kind not in Territory.Kind.values:
        raise _invalid(
            "kind", f"Type inconnu : {kind}. Types possibles : {', '.join(Territory.Kind.values)}."
        )
    if not kind:
        if code.isdigit() and len(code) == 9:
            kind = Territory.Kind.EPCI
        elif len(code) == 5:
            kind = Territory.Kind.COMMUNE
        else:
            kind = Territory.Kind.DEPARTEMENT
    territory = Territory.objects.filter(kind=kind, code=code).first()
    if territory is None:
        raise Http404(f"Aucun territoire de type « {kind} » avec le code « {code} ».")
    return qs.filter(territory=territory)
