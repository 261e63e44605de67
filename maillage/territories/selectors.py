"""Reads about territories and perimeters, shared by views, API and other apps."""

from functools import reduce
from operator import and_, or_

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from maillage.territories.models import Perimeter, Territory
from maillage.territories.normalize import (
    ALIAS_SEPARATOR,
    ARTICLES,
    DEPARTEMENT_OR_REGION_CODE,
    INSEE_OR_POSTAL_CODE,
    SIREN,
    looks_like_departement_code,
    parse_query,
)

Kind = Territory.Kind
COMMUNE_KINDS = (Kind.COMMUNE, Kind.ARRONDISSEMENT_MUNICIPAL, Kind.COMMUNE_DELEGUEE, Kind.COMMUNE_ASSOCIEE)
# Lower ranks first among results of the same match quality: the units people work on before the
# historical or infra-communal ones.
KIND_WEIGHTS = {
    Kind.COMMUNE: 0,
    Kind.EPCI: 0,
    Kind.DEPARTEMENT: 0,
    Kind.REGION: 0,
    Kind.ARRONDISSEMENT_MUNICIPAL: 1,
    Kind.COMMUNE_DELEGUEE: 2,
    Kind.COMMUNE_ASSOCIEE: 2,
}
# Tie-break between equally good matches of equal population (Paris the commune before Paris the département).
KIND_ORDER = {
    kind: index for index, kind in enumerate([Kind.COMMUNE, *[k for k in Kind if k != Kind.COMMUNE]])
}
MAX_LIMIT = 100
# search_text is the folded name: "Cézens" sorts between "Cayrols" and "Cheylade", not after "Ytrac".
ALPHABETICAL = ("search_text", "code")

_kind_weight = Case(
    *[When(kind=kind, then=Value(weight)) for kind, weight in KIND_WEIGHTS.items()],
    default=Value(9),
    output_field=IntegerField(),
)
_kind_order = Case(
    *[When(kind=kind, then=Value(order)) for kind, order in KIND_ORDER.items()],
    default=Value(99),
    output_field=IntegerField(),
)


def _word_prefix(alternatives: tuple[str, ...]) -> Q:
    return reduce(or_, (Q(search_text__contains=" " + alt) for alt in alternatives))


def _exact_name(phrase: str) -> Q:
    """The name (or its EPCI alias), possibly after a leading article, is exactly the phrase."""
    q = Q(search_text=f" {phrase} ") | Q(search_text__startswith=f" {phrase}{ALIAS_SEPARATOR}")
    q |= Q(search_text__endswith=f"{ALIAS_SEPARATOR}{phrase} ")
    for article in ARTICLES:
        q |= Q(search_text=f" {article} {phrase} ")
    return q


def _name_starts_with(phrase: str) -> Q:
    q = Q(search_text__startswith=f" {phrase}") | Q(search_text__contains=f"{ALIAS_SEPARATOR}{phrase}")
    for article in ARTICLES:
        q |= Q(search_text__startswith=f" {article} {phrase}")
    return q


def _ordered(qs: QuerySet, match_rank: Case, limit: int) -> list[Territory]:
    return list(
        qs.annotate(match_rank=match_rank, kind_weight=_kind_weight, kind_order=_kind_order).order_by(
            "match_rank", "kind_weight", F("population").desc(nulls_last=True), "kind_order", *ALPHABETICAL
        )[:limit]
    )


def territory_search(query: str, *, kinds=None, limit: int = 20) -> list[Territory]:
    """Forgiving search over names and codes. One query. See normalize.py for how names are folded.

    - 5 characters like 15014, 2A004 or 15000: the commune with that INSEE code first, then communes having
      that postal code;
    - 9 digits: the EPCI with that SIREN;
    - 2 or 3 characters like 15, 2A, 971: the département (then the région) with that code;
    - otherwise every word typed must start a word of the name (in any order); a number typed among words
      may also be a département code ("saint denis 93").
    Ranking: exact name, then names starting with the query, then communes/EPCI/départements/régions before
    arrondissements, communes déléguées and associées, then the largest population first.
    """
    query = (query or "").strip()[:200]
    limit = max(1, min(int(limit or 20), MAX_LIMIT))
    qs = Territory.objects.all()
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    code = query.upper()

    if INSEE_OR_POSTAL_CODE.match(code):
        qs = qs.filter(Q(code=code, kind__in=COMMUNE_KINDS) | Q(postal_codes__contains=code))
        rank = Case(When(code=code, then=Value(0)), default=Value(1), output_field=IntegerField())
        return _ordered(qs, rank, limit)
    if SIREN.match(code):
        return _ordered(qs.filter(kind=Kind.EPCI, code=code), Value(0), limit)
    if DEPARTEMENT_OR_REGION_CODE.match(code):
        qs = qs.filter(code=code, kind__in=[Kind.DEPARTEMENT, Kind.REGION])
        rank = Case(When(kind=Kind.DEPARTEMENT, then=Value(0)), default=Value(1), output_field=IntegerField())
        return _ordered(qs, rank, limit)
    if code.isdigit() and len(code) == 4:  # the beginning of a postal or INSEE code
        qs = qs.filter(
            Q(code__startswith=code, kind__in=COMMUNE_KINDS)
            | Q(postal_codes__startswith=code)
            | Q(postal_codes__contains=" " + code)
        )
        return _ordered(qs, Value(0), limit)

    parsed = parse_query(query)
    if not parsed:
        return []
    conditions = []
    for alternatives in parsed.tokens:
        condition = _word_prefix(alternatives)
        if looks_like_departement_code(alternatives[0]):
            token = alternatives[0].upper()
            condition |= Q(departement_code=token) | Q(kind=Kind.DEPARTEMENT, code=token)
        conditions.append(condition)
    qs = qs.filter(reduce(and_, conditions))
    rank = Case(
        When(reduce(or_, (_exact_name(p) for p in parsed.phrases)), then=Value(0)),
        When(reduce(or_, (_name_starts_with(p) for p in parsed.phrases)), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return _ordered(qs, rank, limit)


def territory_get(kind: str, code: str) -> Territory | None:
    if kind not in Kind.values:
        return None
    return Territory.objects.filter(kind=kind, code=code).first()


def territory_parents(territory: Territory) -> dict[str, Territory | None]:
    """{"commune", "epci", "departement", "region"} of a territory (None when it has none). One query."""
    wanted = {
        "commune": (Kind.COMMUNE, territory.parent_commune_code),
        "epci": (Kind.EPCI, territory.epci_code),
        "departement": (Kind.DEPARTEMENT, territory.departement_code),
        "region": (Kind.REGION, territory.region_code),
    }
    conditions = [Q(kind=kind, code=code) for kind, code in wanted.values() if code]
    found = {}
    if conditions:
        found = {(t.kind, t.code): t for t in Territory.objects.filter(reduce(or_, conditions))}
    return {name: found.get((kind, code)) for name, (kind, code) in wanted.items()}


def territory_children(territory: Territory) -> QuerySet[Territory]:
    """What a territory is made of: a région's départements, a département's or EPCI's communes, a commune's
    arrondissements municipaux, communes déléguées and associées."""
    if territory.kind == Kind.REGION:
        return Territory.objects.filter(kind=Kind.DEPARTEMENT, region_code=territory.code).order_by(
            "search_text"
        )
    if territory.kind == Kind.DEPARTEMENT:
        return Territory.objects.filter(kind=Kind.COMMUNE, departement_code=territory.code).order_by(
            *ALPHABETICAL
        )
    if territory.kind == Kind.EPCI:
        return epci_communes(territory)
    if territory.kind == Kind.COMMUNE:
        return Territory.objects.filter(
            kind__in=COMMUNE_KINDS[1:], parent_commune_code=territory.code
        ).order_by("code", "kind")
    return Territory.objects.none()


def epci_communes(epci: Territory) -> QuerySet[Territory]:
    return Territory.objects.filter(kind=Kind.COMMUNE, epci_code=epci.code).order_by(*ALPHABETICAL)


def visible_perimeters(user=None) -> QuerySet[Perimeter]:
    """Perimeters anyone may see (instance-wide or in a public workspace), plus those of the user's workspaces."""
    from maillage.workspaces.models import Workspace

    if user is not None and getattr(user, "is_superuser", False):
        return Perimeter.objects.all()
    visible = Q(workspace__isnull=True) | Q(workspace__visibility=Workspace.Visibility.PUBLIC)
    if user is not None and getattr(user, "is_authenticated", False):
        visible |= Q(workspace__memberships__user=user)
    return Perimeter.objects.filter(visible).distinct()


def perimeter_get(pk: int, *, user=None) -> Perimeter | None:
    return visible_perimeters(user).select_related("workspace").filter(pk=pk).first()


def perimeter_communes(perimeter: Perimeter) -> QuerySet[Territory]:
    return perimeter.communes.order_by(*ALPHABETICAL, "kind")


def perimeters_containing(commune: Territory, *, user=None) -> QuerySet[Perimeter]:
    """Perimeters listing this commune, or the commune it belongs to (for a commune déléguée, associée or
    an arrondissement municipal). Only those `user` may see; anonymous when user is None."""
    ids = [commune.pk]
    if commune.parent_commune_code:
        parent = Territory.objects.filter(kind=Kind.COMMUNE, code=commune.parent_commune_code).values("pk")
        condition = Q(communes__in=ids) | Q(communes__in=parent)
    else:
        condition = Q(communes__in=ids)
    return visible_perimeters(user).filter(condition).select_related("workspace").distinct().order_by("name")
