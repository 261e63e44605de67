"""API of the practices library: /api/v1/practices. Public; a bearer token or the browser session shows, in
addition, the practices of the person's workspaces and networks."""

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from maillage.accounts.api_auth import optional_user
from maillage.practices import selectors
from maillage.practices.export import practice_json
from maillage.practices.models import Fiche, Lever, Method
from maillage.practices.rules import get_practice_for_user

router = Router(tags=["pratiques"])
MAX_QUERY = 200


class FicheRef(Schema):
    number: int
    title: str


class MethodRef(Schema):
    slug: str
    name: str


class TerritoryRef(Schema):
    code: str
    kind: str
    name: str


class PracticeItem(Schema):
    rank: int
    title: str
    slug: str
    url: str
    chapeau: str
    validation_level: str
    fiches: list[FicheRef]
    methods: list[MethodRef]
    territory: list[TerritoryRef]
    highlights: list[str]


class SearchOut(Schema):
    count: int
    count_is_lower_bound: bool
    terms: list[str]
    items: list[PracticeItem]


class SearchFilters(Schema):
    q: str = ""
    fiche: int | None = None
    method: str = ""
    lever: int | None = None
    limit: int = 20
    offset: int = 0


@router.get(
    "/search", response=SearchOut, summary="Chercher des pratiques inspirantes (classées, avec extraits)"
)
def search(request, filters: Query[SearchFilters]):
    """Every word of `q` must appear (accents, plurals and spelling variants forgiven). `fiche` is a number of
    the HCTS guide, `method` a method's slug (see the methods page), `lever` a lever number (1-6). Highlights
    are HTML with the matching words in `<mark>`, everything else escaped."""
    user = optional_user(request)
    if len(filters.q) > MAX_QUERY:
        raise HttpError(400, f"La recherche est trop longue (au plus {MAX_QUERY} caractères).")
    if not 1 <= filters.limit <= 100 or filters.offset < 0:
        raise HttpError(400, "`limit` doit être entre 1 et 100 et `offset` positif ou nul.")
    if filters.fiche is not None and not Fiche.objects.filter(number=filters.fiche).exists():
        raise Http404(
            f"La fiche {filters.fiche} n'existe pas dans le référentiel (voir /pratiques/referentiels/fiches/)."
        )
    if filters.method and not Method.objects.filter(slug=filters.method).exists():
        raise Http404(
            f"La méthode « {filters.method} » n'existe pas (voir /pratiques/referentiels/methodes/)."
        )
    if filters.lever is not None and not Lever.objects.filter(number=filters.lever).exists():
        raise Http404(f"Le levier {filters.lever} n'existe pas (il y en a 6).")
    result = selectors.practice_search(
        user,
        q=filters.q,
        fiche=filters.fiche,
        method=filters.method,
        lever=filters.lever,
        offset=filters.offset,
        limit=filters.limit,
        with_facets=False,
    )
    items = [
        {
            "rank": filters.offset + n,
            "title": p.title,
            "slug": p.slug,
            "url": request.build_absolute_uri(p.get_absolute_url()),
            "chapeau": p.chapeau,
            "validation_level": p.validation_level,
            "fiches": list(p.fiches.all()),
            "methods": list(p.methods.all()),
            "territory": list(p.territories.all()),
            "highlights": [str(h) for h in p.highlights],
        }
        for n, p in enumerate(result.items, start=1)
    ]
    return {
        "count": result.total,
        "count_is_lower_bound": result.capped,
        "terms": result.terms,
        "items": items,
    }


@router.get("/{slug}", summary="Une pratique, dans l'ordre des rubriques de l'annexe (sans le contact)")
def detail(request, slug: str):
    user = optional_user(request)
    practice = selectors.practice_detail(get_practice_for_user(user, slug))
    return practice_json(practice, base_url=request.build_absolute_uri("/")[:-1])
