"""Reads shared by the directory's views and API: search with facets, detail, services covering a commune.
Every function runs a fixed number of queries, whatever the number of results."""

import heapq
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from maillage.core.text import fold
from maillage.directory.choices import PUBLIC_LABELS, THEMATIQUE_LABELS, LegalForm
from maillage.directory.memory_index import MAX_CACHED_WORKSPACES, DirectoryIndex, directory_index
from maillage.directory.models import (
    Category,
    Contact,
    Link,
    Network,
    PersonRole,
    Place,
    Scheme,
    Service,
    Structure,
)
from maillage.directory.search_index import (
    FACET_CATEGORY,
    FACET_KIND,
    FACET_PUBLIC,
    FACET_TERRITORY,
    FACET_THEMATIQUE,
    FACETS,
    facet_condition,
)
from maillage.territories.models import Territory
from maillage.workspaces.models import Workspace

FACET_TITLES = {
    FACET_CATEGORY: _("Catégorie d'acteur"),
    FACET_THEMATIQUE: _("Thématique des services"),
    FACET_PUBLIC: _("Public des services"),
    FACET_TERRITORY: _("Commune"),
    FACET_KIND: _("Type de structure"),
}
STOPWORDS = {
    "a",
    "au",
    "aux",
    "d",
    "de",
    "des",
    "du",
    "en",
    "et",
    "l",
    "la",
    "le",
    "les",
    "pour",
    "sur",
    "un",
    "une",
}
MAX_WORDS = 8
PAGE_SIZE = 20
TERRITORY_FACET_LIMIT = 15


def query_words(query: str) -> list[str]:
    return [w for w in fold(query or "")[:200].split() if w not in STOPWORDS][:MAX_WORDS]


def _rank(first_word: str) -> Case:
    """Names starting with the first word, then names containing a word starting with it, then the others."""
    return Case(
        When(sort_name__startswith=first_word, then=Value(0)),
        When(sort_name__contains=" " + first_word, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


@dataclass
class SearchParams:
    q: str = ""
    category: str = ""
    thematique: str = ""
    public: str = ""
    territory: str = ""
    kind: str = ""

    def filters(self) -> dict[str, str]:
        return {
            facet: value
            for facet, value in (
                (FACET_CATEGORY, self.category),
                (FACET_THEMATIQUE, self.thematique),
                (FACET_PUBLIC, self.public),
                (FACET_TERRITORY, self.territory),
                (FACET_KIND, self.kind),
            )
            if value
        }

    @property
    def is_empty(self) -> bool:
        return not query_words(self.q) and not self.filters()


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class SearchResult:
    page: Page
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.page.paginator.count


def filter_structures(qs: QuerySet, params: SearchParams) -> QuerySet:
    """SQL-side search (the API, across workspaces): words on the index, facets on the stored tokens."""
    words = query_words(params.q)
    if words:
        qs = qs.filter(search_text__words=words)
    for facet, value in params.filters().items():
        qs = qs.filter(**facet_condition(facet, value))
    if words:
        return qs.annotate(rank=_rank(words[0])).order_by("rank", "sort_name", "id")
    return qs.order_by("sort_name", "id")


class _Results:
    """What the Paginator pages: the count is known, a page's structures are fetched by id (2 queries)."""

    def __init__(self, total: int, ids_between):
        self.total = total
        self.ids_between = ids_between

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[Structure]:
        ids = self.ids_between(window.start or 0, window.stop if window.stop is not None else self.total)
        rows = (
            Structure.objects.filter(pk__in=ids)
            .select_related("workspace", "commune")
            .prefetch_related(
                Prefetch(
                    "categories",
                    queryset=Category.objects.only("id", "code", "label", "acronym", "parent_id"),
                )
            )
        )
        by_id = {s.pk: s for s in rows}
        return [by_id[i] for i in ids if i in by_id]


TERRITORY_LEVELS = ("region", "departement", "epci", "commune")


def _candidates(index: DirectoryIndex, params: SearchParams, facet: str) -> list[str]:
    """Facet values worth counting and listing: the headings of the categories and thématiques (or the children
    of the chosen one), every public and kind, and the territories one level below the chosen one (or the
    widest level where the directory has several)."""
    values = index.values_by_facet.get(facet, [])
    if facet == FACET_CATEGORY:
        categories = index.categories
        chosen = next((c for c in categories.values() if c.code == params.category), None)
        if chosen is not None and any(c.parent_id == chosen.pk for c in categories.values()):
            parent_id = chosen.pk
        else:
            parent_id = chosen.parent_id if chosen else None
        shown = {c.code for c in categories.values() if c.parent_id == parent_id}
        return [v for v in values if v in shown]
    if facet == FACET_THEMATIQUE:
        heading = params.thematique.split("--", 1)[0] + "--"
        return [v for v in values if "--" not in v or (params.thematique and v.startswith(heading))]
    if facet == FACET_TERRITORY:
        by_level: dict[str, list[str]] = {}
        for value in values:
            by_level.setdefault(value.split(":", 1)[0], []).append(value)
        chosen_level = params.territory.split(":", 1)[0]
        if chosen_level in TERRITORY_LEVELS:
            if chosen_level == "commune":
                return []
            level = TERRITORY_LEVELS[TERRITORY_LEVELS.index(chosen_level) + 1]
            return [
                v for v in by_level.get(level, []) if params.territory in index.territory_parents.get(v, ())
            ]
        level = next((lvl for lvl in TERRITORY_LEVELS if len(by_level.get(lvl, [])) > 1), "commune")
        return by_level.get(level, [])
    return values


def _facet_label(facet: str, value: str, index: DirectoryIndex, categories_by_code: dict) -> str:
    if facet == FACET_CATEGORY:
        category = categories_by_code.get(value)
        return str(category) if category else value
    if facet == FACET_THEMATIQUE:
        return THEMATIQUE_LABELS.get(value, value)
    if facet == FACET_PUBLIC:
        return PUBLIC_LABELS.get(value, value)
    if facet == FACET_KIND:
        return str(dict(LegalForm.choices).get(value, value))
    territory = index.territories.get(value)
    return territory.name if territory else value


def _facets(index: DirectoryIndex, params: SearchParams, mask: int | None) -> dict[str, list[FacetValue]]:
    """Counts of the listed facet values among the results (`mask`; None: the whole directory)."""
    selected = params.filters()
    categories_by_code = {c.code: c for c in index.categories.values()}
    grouped: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        counted = []
        candidates = _candidates(index, params, facet)
        if facet in selected and selected[facet] not in candidates:
            candidates.append(selected[facet])
        for value in candidates:
            bits = index.bits.get((facet, value))
            if bits is not None:
                count = index.totals[(facet, value)] if mask is None else (bits & mask).bit_count()
                if count:
                    counted.append((value, count))
        if facet == FACET_TERRITORY and len(counted) > TERRITORY_FACET_LIMIT:
            top = heapq.nlargest(TERRITORY_FACET_LIMIT, counted, key=lambda vn: vn[1])
            counted = top + [vn for vn in counted if vn[0] == selected.get(facet) and vn not in top]
        values = [
            FacetValue(
                value,
                _facet_label(facet, value, index, categories_by_code),
                count,
                selected.get(facet) == value,
            )
            for value, count in counted
        ]
        values.sort(key=lambda fv: (not fv.selected, -fv.count, fold(fv.label)))
        grouped[facet] = values
    return grouped


def _tiers(index: DirectoryIndex, params: SearchParams) -> list[int]:
    """The matching positions in rank order: names starting with the first word, then names having a word
    that starts with it, then the others (without words: everything chosen, in one tier)."""
    mask = index.everything
    for facet, value in params.filters().items():
        mask &= index.mask_of(facet, value)
    words = query_words(params.q)
    if not words:
        return [mask]
    mask &= index.matching(words)
    first = mask & index.name_starts_with(words[0])
    second = mask & index.name_words.prefix(words[0]) & ~first
    return [first, second, mask & ~(first | second)]


def directory_search(
    workspace: Workspace, params: SearchParams, *, page: int | str = 1, per_page: int = PAGE_SIZE
) -> SearchResult:
    """A workspace's structures matching the words and facets: one page, the total, and the facet counts.

    Matching and counting happen in the workspace's in-memory index (memory_index.py); the queries are the
    page's structures and their categories (two), plus three when the index must be reloaded after a change.
    """
    index = directory_index(workspace.pk)
    tiers = _tiers(index, params)
    mask = 0
    for tier in tiers:
        mask |= tier
    sizes = [tier.bit_count() for tier in tiers]

    def ids_between(start: int, stop: int) -> list[int]:
        """Names starting with the first word, then names with a word starting with it, then the others."""
        found, offset = [], 0
        for tier, size in zip(tiers, sizes, strict=True):
            if start < offset + size and stop > offset:
                found += index.ids_in_order(tier, max(0, start - offset), min(size, stop - offset))
            offset += size
        return found

    results = _Results(sum(sizes), ids_between)
    result_page = Paginator(results, per_page).get_page(page)
    return SearchResult(page=result_page, facets=_facets(index, params, None if params.is_empty else mask))


def visible_workspaces(user) -> QuerySet[Workspace]:
    """Workspaces whose directory this person may read: public ones and their own (all for superusers)."""
    if getattr(user, "is_superuser", False):
        return Workspace.objects.all()
    condition = Q(visibility=Workspace.Visibility.PUBLIC)
    if getattr(user, "is_authenticated", False):
        condition |= Q(pk__in=user.memberships.values("workspace_id"))
    return Workspace.objects.filter(condition)


def _page_rows(ids: list[int]) -> list[Structure]:
    rows = (
        Structure.objects.filter(pk__in=ids)
        .select_related("workspace", "commune")
        .prefetch_related(
            Prefetch(
                "categories", queryset=Category.objects.only("id", "code", "label", "acronym", "parent_id")
            )
        )
    )
    by_id = {s.pk: s for s in rows}
    return [by_id[i] for i in ids if i in by_id]


def api_structures(user, params: SearchParams, *, limit: int, offset: int) -> tuple[list[Structure], int]:
    """Structures of every workspace the person may read, in rank then alphabetical order.

    Up to MAX_CACHED_WORKSPACES readable workspaces, their in-memory indexes answer (merged); beyond, SQL.
    """
    workspace_ids = list(visible_workspaces(user).order_by("pk").values_list("pk", flat=True))
    if len(workspace_ids) > MAX_CACHED_WORKSPACES:
        qs = filter_structures(Structure.objects.filter(workspace__in=workspace_ids), params)
        return _page_rows(list(qs.values_list("pk", flat=True)[offset : offset + limit])), qs.count()
    candidates: list[tuple[int, str, int]] = []
    total = 0
    for workspace_id in workspace_ids:
        index = directory_index(workspace_id)
        for rank, tier in enumerate(_tiers(index, params)):
            total += tier.bit_count()
            for position in index.positions_in_order(tier, 0, offset + limit):
                candidates.append((rank, index.sort_names[position], index.ids[position]))
    candidates.sort()
    return _page_rows([structure_id for _r, _n, structure_id in candidates[offset : offset + limit]]), total


def territory_for_code(code: str) -> Territory | None:
    """A territory from an API parameter: "17093", "241700624", "17", or "departement:17"."""
    code = (code or "").strip()
    if ":" in code:
        kind, code = code.split(":", 1)
        return Territory.objects.filter(kind=kind, code=code.upper()).first()
    if len(code) == 9 and code.isdigit():
        return Territory.objects.filter(kind=Territory.Kind.EPCI, code=code).first()
    if len(code) == 5:
        return Territory.objects.filter(kind=Territory.Kind.COMMUNE, code=code.upper()).first()
    return (
        Territory.objects.filter(
            kind__in=[Territory.Kind.DEPARTEMENT, Territory.Kind.REGION], code=code.upper()
        )
        .order_by("kind")  # département before région ("11" is both)
        .first()
    )


def territory_facet_value(territory: Territory) -> str:
    kind = "commune" if territory.is_commune_like else territory.kind
    return f"{kind}:{territory.code}"


def covering_territory_ids(commune: Territory) -> list[int]:
    """The commune and everything that contains it: its commune of attachment, EPCI, département, région."""
    condition = Q(pk=commune.pk)
    for kind, code in (
        (Territory.Kind.COMMUNE, commune.parent_commune_code),
        (Territory.Kind.EPCI, commune.epci_code),
        (Territory.Kind.DEPARTEMENT, commune.departement_code),
        (Territory.Kind.REGION, commune.region_code),
    ):
        if code:
            condition |= Q(kind=kind, code=code)
    return list(Territory.objects.filter(condition).values_list("pk", flat=True))


def services_search(
    user,
    *,
    thematique: str = "",
    commune: Territory | None = None,
    public: str = "",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Service], int]:
    """Services of visible workspaces whose eligibility zone covers the commune (itself, its EPCI, département,
    région, or all of France), for a thématique (or its heading) and a public ("tous publics" always matches)."""
    qs = Service.objects.filter(workspace__in=visible_workspaces(user))
    if thematique:
        qs = qs.filter(facet_text__contains=f" th:{thematique} ")
    if public:
        qs = qs.filter(
            Q(facet_text__contains=f" pub:{public} ") | Q(facet_text__contains=" pub:tous-publics ")
        )
    if commune is not None:
        zone = Service.zone_territories.through.objects.filter(
            territory_id__in=covering_territory_ids(commune)
        )
        qs = qs.filter(Q(zone_france=True) | Q(pk__in=zone.values("service_id")))
    total = qs.count()
    items = list(
        qs.select_related("structure", "structure__workspace", "commune")
        .prefetch_related("zone_territories")
        .order_by("structure__sort_name", "nom", "id")[offset : offset + limit]
    )
    return items, total


@dataclass
class LinkGroup:
    heading: str
    kind_code: str
    items: list[tuple[object, Link]]  # (the other side, the link)


def structure_links(structure: Structure) -> list[LinkGroup]:
    """ "Avec qui travaille cette structure": its links, grouped by kind and direction. One query."""
    links = (
        Link.objects.filter(Q(source_structure=structure) | Q(target_structure=structure))
        .select_related("kind", "source_structure", "target_structure", "source_scheme", "target_scheme")
        .order_by("kind__position", "kind__label", "id")
    )
    groups: dict[tuple[str, str], LinkGroup] = {}
    for link in links:
        outgoing = link.source_structure_id == structure.pk
        other = link.target if outgoing else link.source
        heading = link.kind.label_as_source if outgoing else link.kind.label_as_target
        key = (link.kind.code, "sym" if link.kind.symmetric else ("out" if outgoing else "in"))
        groups.setdefault(key, LinkGroup(heading=heading, kind_code=link.kind.code, items=[])).items.append(
            (other, link)
        )
    return list(groups.values())


@dataclass
class StructureDetail:
    structure: Structure
    contacts: list[Contact]
    services: list[Service]
    link_groups: list[LinkGroup]
    networks: list[Network]
    schemes: list[tuple[str, Scheme]]
    people: list[PersonRole]
    places: list[Place]
    can_see_private: bool = False


def structure_detail(structure: Structure, *, can_see_private: bool) -> StructureDetail:
    """Everything on a structure's page. Private contacts and non-public people only for members."""
    structure = (
        Structure.objects.select_related("workspace", "commune")
        .prefetch_related(
            "categories",
            "action_territories",
            "action_perimeters",
            Prefetch("contacts", queryset=Contact.objects.order_by("position", "id")),
            Prefetch(
                "services",
                queryset=Service.objects.select_related("commune").prefetch_related("zone_territories"),
            ),
        )
        .get(pk=structure.pk)
    )
    contacts = [c for c in structure.contacts.all() if can_see_private or c.is_public]
    people = PersonRole.objects.filter(structure=structure).select_related("person", "kind")
    if not can_see_private:
        people = people.filter(person__show_publicly=True)
    schemes = [("pilote", s) for s in structure.piloted_schemes.all()]
    schemes += [("financeur", s) for s in structure.funded_schemes.all()]
    return StructureDetail(
        structure=structure,
        contacts=contacts,
        services=list(structure.services.all()),
        link_groups=structure_links(structure),
        networks=list(structure.networks.all()),
        schemes=schemes,
        people=list(people.order_by("-is_relay", "person__display_name")),
        places=list(structure.places.all()),
        can_see_private=can_see_private,
    )
