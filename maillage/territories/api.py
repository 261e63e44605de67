"""Public, read-only API of the territories referential: /api/v1/territories. No authentication needed."""

from django.http import Http404
from ninja import Router, Schema
from ninja.errors import ValidationError

from maillage.territories import selectors
from maillage.territories.models import Perimeter, Territory

router = Router(tags=["territoires"])


class TerritoryOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    population: int | None
    postal_codes: list[str]
    epci_code: str
    departement_code: str
    region_code: str
    parent_commune_code: str

    @staticmethod
    def resolve_kind_label(obj: Territory) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_postal_codes(obj: Territory) -> list[str]:
        return obj.postal_codes.split()


class TerritoryList(Schema):
    items: list[TerritoryOut]
    count: int


class TerritoryRef(Schema):
    code: str
    name: str


class PerimeterRef(Schema):
    id: int
    name: str
    kind: str
    kind_label: str

    @staticmethod
    def resolve_kind_label(obj: Perimeter) -> str:
        return str(obj.get_kind_display())


class Parents(Schema):
    commune: TerritoryRef | None = None
    epci: TerritoryRef | None = None
    departement: TerritoryRef | None = None
    region: TerritoryRef | None = None


class TerritoryDetail(TerritoryOut):
    subkind: str
    millesime: str
    parents: Parents
    perimeters: list[PerimeterRef]

    # `territory_detail` puts the parents and perimeters it selected on the territory before serialising.
    @staticmethod
    def resolve_parents(obj: Territory) -> dict:
        return {
            name: parent and {"code": parent.code, "name": parent.name}
            for name, parent in obj.api_parents.items()
        }

    @staticmethod
    def resolve_perimeters(obj: Territory) -> list[Perimeter]:
        return obj.api_perimeters


class PerimeterDetail(PerimeterRef):
    code: str
    description: str
    commune_codes: list[str]
    geometry: dict | None


def _parse_kinds(kind: str) -> list[str]:
    kinds = [k.strip() for k in (kind or "").split(",") if k.strip()]
    unknown = [k for k in kinds if k not in Territory.Kind.values]
    if unknown:
        raise ValidationError(
            [
                {
                    "loc": ["query", "kind"],
                    "msg": f"Type inconnu : {', '.join(unknown)}. Types possibles : "
                    f"{', '.join(Territory.Kind.values)} (plusieurs séparés par des virgules).",
                }
            ]
        )
    return kinds


def search(request, q: str = "", kind: str = "", limit: int = 20):
    """Forgiving search by name, INSEE code, postal code, SIREN (EPCI) or département code.

    `kind` filters by type (comma separated: commune, epci, departement, region, commune_deleguee,
    commune_associee, arrondissement_municipal). An empty `q` returns an empty list.
    """
    kinds = _parse_kinds(kind)
    items = selectors.territory_search(q, kinds=kinds, limit=limit) if q.strip() else []
    return {"items": items, "count": len(items)}


router.get("", response=TerritoryList, summary="Rechercher un territoire", operation_id="territories_search")(
    search
)
router.get("/", response=TerritoryList, include_in_schema=False, operation_id="territories_search_slash")(
    search
)


@router.get(
    "/perimeters/{perimeter_id}", response=PerimeterDetail, summary="Un périmètre public et ses communes"
)
def perimeter_detail(request, perimeter_id: int):
    """A perimeter shared by the whole instance or by a public workspace, with its communes' INSEE codes."""
    perimeter = selectors.perimeter_get(perimeter_id)  # anonymous visibility: the API is public
    if perimeter is None:
        raise Http404("Périmètre introuvable (ou non public).")
    perimeter.commune_codes = list(selectors.perimeter_communes(perimeter).values_list("code", flat=True))
    return perimeter


@router.get(
    "/{kind}/{code}", response=TerritoryDetail, summary="Un territoire, ses parents et ses périmètres"
)
def territory_detail(request, kind: str, code: str):
    territory = selectors.territory_get(kind, code)
    if territory is None:
        raise Http404(f"Aucun territoire de type « {kind} » avec le code « {code} ».")
    territory.api_parents = selectors.territory_parents(territory)
    territory.api_perimeters = list(selectors.perimeters_containing(territory))
    return territory
