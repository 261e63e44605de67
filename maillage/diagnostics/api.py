"""API of the observatoire (/api/v1/indicators and /api/v1/observations, public, read-only) and of the
diagnostic partagé (/api/v1/diagnostics: read, and write for members).

Statistics are public data: no authentication is needed. Values on a perimeter are listed only when the
perimeter is public (instance-wide or in a public workspace).
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import ValidationError

from maillage.accounts.api_auth import AUTHENTICATED, optional_user
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


# --- Diagnostic partagé -----------------------------------------------------------------------------------
# Read: the same visibility as the pages (public diagnostics of listed workspaces for anyone, members
# otherwise; restricted sections for the workspace's members only). Write: members who may contribute,
# with a bearer token (or the browser session).

MAX_ID = 2_147_483_647


class DiagnosticOut(Schema):
    id: int
    workspace: str
    title: str
    summary: str
    area: str
    area_type: str
    area_code: str
    themes: list[str]
    visibility: str
    status: str
    version: int
    restricted_sections: list[str]
    dots_per_person: int
    url: str

    @staticmethod
    def resolve_workspace(obj) -> str:
        return obj.workspace.slug

    @staticmethod
    def resolve_area(obj) -> str:
        return obj.area.name

    @staticmethod
    def resolve_area_type(obj) -> str:
        return "perimeter" if obj.perimeter_id else obj.territory.kind

    @staticmethod
    def resolve_area_code(obj) -> str:
        return str(obj.perimeter_id) if obj.perimeter_id else obj.territory.code

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.version_number

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class DiagnosticList(Schema):
    items: list[DiagnosticOut]
    count: int


class ItemOut(Schema):
    id: int
    section: str
    title: str
    body: str
    provenance: str
    speaker: str
    method: str
    collected_on: date | None
    copied_from: str
    indicator: str | None
    resource_kind: str
    enjeux: list[int]

    @staticmethod
    def resolve_provenance(obj) -> str:
        from maillage.diagnostics.document import provenance

        return provenance(obj)

    @staticmethod
    def resolve_copied_from(obj) -> str:
        return obj.copied_from_label

    @staticmethod
    def resolve_indicator(obj) -> str | None:
        return obj.indicator.code if obj.indicator_id else None

    @staticmethod
    def resolve_enjeux(obj) -> list[int]:
        return [e.pk for e in obj.enjeux.all()]


class ItemIn(Schema):
    section: str
    title: str
    body: str = ""
    speaker: str = ""
    method: str = ""
    collected_on: date | None = None
    indicator: str = ""
    resource_kind: str = ""
    enjeux: list[int] = []


def _readable_diagnostic(request, diagnostic_id: int, perm: str = "diagnostics.view_diagnostic"):
    from maillage.diagnostics.models import Diagnostic

    user = optional_user(request)
    diagnostic = (
        Diagnostic.objects.select_related("workspace", "territory", "perimeter")
        .filter(pk=diagnostic_id)
        .first()
    )
    if diagnostic is None or not user.has_perm("diagnostics.view_diagnostic", diagnostic):
        raise Http404("Diagnostic introuvable (ou non visible pour vous).")
    if perm != "diagnostics.view_diagnostic" and not user.has_perm(perm, diagnostic):
        raise PermissionDenied(perm)
    return diagnostic


@router.get("/diagnostics", response=DiagnosticList, summary="Les diagnostics partagés lisibles")
def diagnostic_list(request, workspace: str = ""):
    """Diagnostics you may read, newest first; `workspace` (short address) narrows to one workspace."""
    from maillage.diagnostics.selectors_diagnostic import readable_diagnostics

    user = optional_user(request)
    qs = readable_diagnostics(user).select_related("workspace", "territory", "perimeter")
    if workspace:
        qs = qs.filter(workspace__slug=workspace[:80])
    items = list(qs.order_by("-created_at", "-pk")[:200])
    return {"items": items, "count": len(items)}


@router.get("/diagnostics/{diagnostic_id}", response=DiagnosticOut, summary="Un diagnostic partagé")
def diagnostic_detail(request, diagnostic_id: int = Path(..., ge=1, le=MAX_ID)):
    return _readable_diagnostic(request, diagnostic_id)


@router.get(
    "/diagnostics/{diagnostic_id}/items", response=list[ItemOut], summary="Les éléments d'un diagnostic"
)
def diagnostic_items(request, diagnostic_id: int = Path(..., ge=1, le=MAX_ID), section: str = ""):
    """Retained items with their provenance; `section` (donnees, paroles, ressources, problemes, acteurs,
    enjeux, preconisations) narrows the list. Restricted sections are for the workspace's members."""
    from maillage.diagnostics.models import Item
    from maillage.diagnostics.selectors_diagnostic import items_queryset

    diagnostic = _readable_diagnostic(request, diagnostic_id)
    if section and section not in Item.Section.values:
        raise _invalid(
            "section", f"Section inconnue : {section[:40]}. Sections : {', '.join(Item.Section.values)}."
        )
    qs = items_queryset(diagnostic)
    if section:
        qs = qs.filter(section=section)
    if not request.user.has_perm("diagnostics.work_on_diagnostic", diagnostic):
        qs = qs.exclude(section__in=diagnostic.restricted_sections)
    return list(qs)


@router.post(
    "/diagnostics/{diagnostic_id}/items",
    response={201: ItemOut},
    auth=AUTHENTICATED,
    summary="Ajouter un élément à un diagnostic (membres)",
)
def diagnostic_item_add(request, payload: ItemIn, diagnostic_id: int = Path(..., ge=1, le=MAX_ID)):
    """Members who may contribute add an item. `speaker` (typing for someone else) is for animateurs;
    `indicator` is an indicator code (required for `donnees`); `enjeux` are item ids (préconisations)."""
    from maillage.diagnostics.models import Item
    from maillage.diagnostics.services_diagnostic import item_add

    diagnostic = _readable_diagnostic(request, diagnostic_id, "diagnostics.contribute_diagnostic")
    indicator = None
    if payload.indicator:
        indicator = Indicator.objects.filter(code=payload.indicator[:60]).first()
        if indicator is None:
            raise _body_invalid("indicator", "Indicateur inconnu (voir /api/v1/indicators).")
    enjeu_ids = [i for i in payload.enjeux if 0 < i <= MAX_ID]
    enjeux = list(diagnostic.items.filter(pk__in=enjeu_ids)) if enjeu_ids else []
    if len(enjeux) != len(set(payload.enjeux)):
        raise _body_invalid("enjeux", "Enjeu inconnu dans ce diagnostic.")
    try:
        item = item_add(
            actor=request.user,
            diagnostic=diagnostic,
            section=payload.section,
            title=payload.title,
            enjeux=enjeux,
            body=payload.body,
            speaker=payload.speaker,
            method=payload.method,
            collected_on=payload.collected_on,
            indicator=indicator,
            resource_kind=payload.resource_kind,
        )
    except DjangoValidationError as error:
        details = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        raise ValidationError(
            [{"loc": ["body", "payload", name], "msg": " ".join(msgs)} for name, msgs in details.items()]
        ) from error
    return Status(201, Item.objects.select_related("created_by", "indicator").get(pk=item.pk))


def _body_invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ["body", "payload", field], "msg": message}])
