"""Directory API: structures (search, detail) and services covering a commune. Anonymous callers see public
workspaces; members also see their own workspaces. Private contacts only for members."""

from datetime import datetime

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from maillage.accounts.api_auth import optional_user
from maillage.directory import selectors
from maillage.directory.models import Service, Structure
from maillage.directory.rules import get_structure_for_user
from maillage.workspaces.rules import get_workspace_for_user

router = Router(tags=["qui fait quoi"])
MAX_LIMIT = 100


class CategoryOut(Schema):
    code: str
    label: str
    acronym: str


class WorkspaceRef(Schema):
    slug: str
    name: str


class CommuneRef(Schema):
    code: str
    name: str


class StructureOut(Schema):
    id: int
    name: str
    acronym: str
    legal_form: str
    workspace: WorkspaceRef
    commune: CommuneRef | None
    categories: list[CategoryOut]
    url: str

    @staticmethod
    def resolve_url(obj: Structure) -> str:
        return obj.get_absolute_url()


class StructureList(Schema):
    items: list[StructureOut]
    count: int


class ContactOut(Schema):
    kind: str
    value: str
    label: str
    is_public: bool


class ServiceOut(Schema):
    id: int
    nom: str
    description: str
    type: str
    thematiques: list[str]
    publics: list[str]
    frais: str
    frais_precisions: str
    modes_accueil: list[str]
    modes_mobilisation: list[str]
    mobilisable_par: list[str]
    mobilisation_precisions: str
    lien_mobilisation: str
    telephone: str
    courriel: str
    zone_france: bool
    zone: list[CommuneRef]
    structure_id: int
    structure_name: str

    @staticmethod
    def resolve_zone(obj: Service) -> list:
        return list(obj.zone_territories.all())

    @staticmethod
    def resolve_structure_name(obj: Service) -> str:
        return obj.structure.name

    @staticmethod
    def resolve_telephone(obj: Service) -> str:
        return obj.telephone if obj.contact_public else ""

    @staticmethod
    def resolve_courriel(obj: Service) -> str:
        return obj.courriel if obj.contact_public else ""


class ServiceList(Schema):
    items: list[ServiceOut]
    count: int


class LinkOut(Schema):
    kind: str
    heading: str
    other_kind: str  # "structure" or "scheme"
    other_id: int
    other_name: str
    scale: str
    stage: str


class StructureDetailOut(StructureOut):
    description: str
    address: str
    postal_code: str
    website: str
    opening_hours: str
    siret: str
    reseaux_porteurs: list[str]
    contacts: list[ContactOut]
    services: list[ServiceOut]
    links: list[LinkOut]
    updated_at: datetime

    # `structure` puts what structure_detail selected (visible contacts, services, links) on the object.
    @staticmethod
    def resolve_contacts(obj: Structure) -> list:
        return obj.api_detail.contacts

    @staticmethod
    def resolve_services(obj: Structure) -> list:
        return obj.api_detail.services

    @staticmethod
    def resolve_links(obj: Structure) -> list[dict]:
        return [
            {
                "kind": link.kind.code,
                "heading": group.heading,
                "other_kind": "structure" if isinstance(other, Structure) else "scheme",
                "other_id": other.pk,
                "other_name": str(other),
                "scale": link.scale,
                "stage": link.stage,
            }
            for group in obj.api_detail.link_groups
            for other, link in group.items
        ]


class Paging(Schema):
    limit: int = 20
    offset: int = 0


def _paging(paging: Paging) -> tuple[int, int]:
    if not 1 <= paging.limit <= MAX_LIMIT or paging.offset < 0:
        raise HttpError(400, f"limit doit être entre 1 et {MAX_LIMIT}, offset positif ou nul.")
    return paging.limit, paging.offset


@router.get("/structures", response=StructureList, summary="Chercher des structures")
def structures(request, q: str = "", category: str = "", territory: str = "", paging: Query[Paging] = None):
    """Structures of the workspaces you may read. `q`: words (accents ignored); `category`: an OUTIL 1 code
    (its sub-categories included); `territory`: an official code — commune (INSEE), EPCI (SIREN),
    département — or `kind:code`."""
    limit, offset = _paging(paging or Paging())
    params = selectors.SearchParams(q=q, category=category)
    if territory:
        found = selectors.territory_for_code(territory)
        if found is None:
            raise HttpError(
                400, f"Territoire inconnu : « {territory} ». Donnez un code INSEE, SIREN ou de département."
            )
        params.territory = selectors.territory_facet_value(found)
    items, count = selectors.api_structures(optional_user(request), params, limit=limit, offset=offset)
    return {"items": items, "count": count}


@router.get("/structures/{structure_id}", response=StructureDetailOut, summary="Fiche d'une structure")
def structure(request, structure_id: int):
    user = optional_user(request)
    found = Structure.objects.select_related("workspace").filter(pk=structure_id).first()
    if found is None:
        raise Http404("Structure introuvable.")
    workspace = get_workspace_for_user(user, found.workspace.slug, "directory.view")
    found = get_structure_for_user(user, workspace, structure_id)
    detail = selectors.structure_detail(
        found, can_see_private=user.has_perm("directory.view_private", workspace)
    )
    detail.structure.api_detail = detail
    return detail.structure


@router.get("/services/search", response=ServiceList, summary="Services disponibles dans une commune")
def services_search(
    request, thematique: str = "", commune: str = "", public: str = "", paging: Query[Paging] = None
):
    """Services whose eligibility zone covers the commune (the commune itself, its EPCI, département, région,
    or all of France). `thematique`: a data·inclusion thématique or its heading (e.g. `famille`); `public`:
    a data·inclusion public (services "tous publics" always match)."""
    limit, offset = _paging(paging or Paging())
    found = None
    if commune:
        found = selectors.territory_for_code(commune)
        if found is None or not found.is_commune_like:
            raise HttpError(400, f"Commune inconnue : « {commune} ». Donnez son code INSEE (5 caractères).")
    items, count = selectors.services_search(
        optional_user(request),
        thematique=thematique,
        commune=found,
        public=public,
        limit=limit,
        offset=offset,
    )
    return {"items": items, "count": count}


class MapNodeOut(Schema):
    id: str
    label: str
    name: str
    kind: str
    category: str
    legend_label: str
    status: str
    lat: float | None
    lon: float | None


class MapEdgeOut(Schema):
    id: str
    source: str
    target: str
    kind: str
    label: str
    scale: str
    stage: str
    status: str


class ActorMapOut(Schema):
    id: int
    name: str
    purpose: str
    nodes: list[MapNodeOut]
    edges: list[MapEdgeOut]


@router.get("/maps/{map_id}", response=ActorMapOut, summary="Acteurs et liens d'une carte d'acteurs")
def actor_map(request, map_id: int):
    """The actors (nodes) and qualified links (edges) of an actor map of a workspace you may read. Proposals not
    yet validated are included with `status: proposed`; people appear only if they may be shown to you."""
    from maillage.directory.graph import GraphOptions, map_graph
    from maillage.directory.models import ActorMap

    user = optional_user(request)
    found = ActorMap.objects.select_related("workspace").filter(pk=map_id).first()
    if found is None:
        raise Http404("Carte introuvable.")
    workspace = get_workspace_for_user(user, found.workspace.slug, "directory.view")
    graph = map_graph(found, GraphOptions(can_see_private=user.has_perm("directory.view_private", workspace)))
    return {"id": found.pk, "name": found.name, "purpose": found.purpose, **graph}
