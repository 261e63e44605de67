"""Reads about practices and référentiels, shared by views, API and commands (no N+1).

Search: every meaningful word of the query must match (after folding, stemming and the synonyms table, see
textindex.py). On PostgreSQL the match uses a GIN-indexed tsvector built from `search_stems` (migration
0002) and results are ranked with ts_rank; on SQLite (embedded mode) the same terms are matched with LIKE and
ranked in Python with the practices' TF-IDF vectors. Both give the same set of results.
"""

import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, FloatField, Prefetch, Q, Sum, Value, When
from django.db.models.expressions import RawSQL

from maillage.practices import textindex
from maillage.practices.models import (
    Fiche,
    Lever,
    Method,
    Practice,
    PracticeTerm,
    Recommendation,
    TermStat,
)
from maillage.workspaces.models import Membership, Workspace

PAGE_SIZE = 20
HIGHLIGHT_FIELDS = [  # where passages are looked for, in this order, until two are found
    "chapeau",
    "objectives",
    "context",
    "diagnostic",
    "project",
    "actions",
    "evaluation",
    "illustration",
    "perspectives",
    "project_elected",
    "project_transversality",
    "project_participation",
    "success_keys",
    "vigilance",
    "resources",
    "public",
]
FACETS = ("fiche", "lever", "method", "validation", "scale")
COUNT_CAP = 100  # counting every match of a very common word costs more than it tells


def practices_visible_to(user):
    """Practices this person may see (see rules.py for the same rules on one object)."""
    qs = Practice.objects.all()
    if getattr(user, "is_superuser", False):
        return qs
    visible = Q(status=Practice.Status.PUBLISHED, scope=Practice.Scope.PUBLIC)
    if getattr(user, "is_authenticated", False):
        mine = Membership.objects.filter(user=user).values("workspace_id")
        visible |= Q(workspace_id__in=mine)
        heads = Workspace.objects.filter(publishes_to__in=mine).values("pk")
        visible |= Q(status=Practice.Status.PUBLISHED, scope=Practice.Scope.NETWORK, workspace_id__in=heads)
    return qs.filter(visible)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _tsquery(terms: list[str]) -> str:
    return " & ".join(re.sub(r"[^a-z0-9]", "", t) for t in terms if re.sub(r"[^a-z0-9]", "", t))


def _match(qs, terms: list[str]):
    if not terms:
        return qs
    if _is_postgres():
        condition = RawSQL(
            "search_vector @@ to_tsquery('simple', %s)",
            (_tsquery(terms),),
            output_field=BooleanField(),
        )
        return qs.filter(condition)
    for term in terms:
        qs = qs.filter(search_stems__contains=f" {term} ")
    return qs


@dataclass
class FacetValue:
    key: str
    label: str
    count: int | None  # None: too many matches to count
    selected: bool = False


@dataclass
class SearchResult:
    items: list
    total: int
    terms: list[str]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    capped: bool = False  # more than COUNT_CAP practices match: `total` is COUNT_CAP


def practice_search(
    user,
    *,
    q: str = "",
    fiche: int | None = None,
    lever: int | None = None,
    method: str = "",
    validation: str = "",
    scale: str = "",
    offset: int = 0,
    limit: int = PAGE_SIZE,
    with_facets: bool = True,
    with_highlights: bool = True,
) -> SearchResult:
    """Practices matching the query and filters, best first, with highlighted passages and facet counts."""
    terms = textindex.query_terms(q)
    qs = practices_visible_to(user)
    if fiche:
        qs = qs.filter(fiches__number=fiche)
    if lever:
        qs = qs.filter(levers__number=lever)
    if method:
        qs = qs.filter(methods__slug=method)
    if validation:
        qs = qs.filter(validation_level=validation)
    if scale:
        qs = qs.filter(scale=scale)
    base, qs = qs, _match(qs, terms)
    matched = list(qs.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
    total = len(matched)
    ids = _ranked_ids(base, qs, terms, offset, limit)
    items = list(
        Practice.objects.filter(pk__in=ids)
        .select_related("workspace")
        .defer(
            "search_text", "search_stems", "title_stems", "key_stems", "vector", "import_report", "contact"
        )
    )
    attach_tags(items)
    by_id = {p.pk: p for p in items}
    page = [by_id[i] for i in ids if i in by_id]
    term_set = set(terms)
    if with_highlights:
        for practice in page:
            practice.title_marked = textindex.mark(practice.title, term_set)
            practice.highlights = _highlights(practice, term_set) if term_set else []
    result = SearchResult(page, min(total, COUNT_CAP), terms, capped=total > COUNT_CAP)
    if with_facets:
        selected = {
            "fiche": fiche,
            "lever": lever,
            "method": method,
            "validation": validation,
            "scale": scale,
        }
        # Counts per facet value over at most COUNT_CAP matches; beyond, the values are offered without counts.
        result.facets = _facets(matched if not result.capped else None, selected)
    return result


def _ranked_ids(base, qs, terms: list[str], offset: int, limit: int) -> list[int]:
    """`qs` is `base` (visible, filtered) restricted to the practices matching every term."""
    if not terms:
        return list(
            qs.order_by(F("published_at").desc(nulls_last=True), "title").values_list("pk", flat=True)[
                offset : offset + limit
            ]
        )
    if _is_postgres():
        return _pg_ranked_ids(base, qs, terms, offset, limit)
    # Embedded mode: score = weight of the query's terms in each vector, plus a bonus for the title.
    scored = []
    for pk, title, vector, title_stems in qs.values_list("pk", "title", "vector", "title_stems"):
        score = sum(vector.get(t, 0.0) for t in terms) + sum(0.5 for t in terms if f" {t} " in title_stems)
        scored.append((-score, title, pk))
    scored.sort()
    return [pk for _score, _title, pk in scored[offset : offset + limit]]


RANK_CANDIDATES = 100


def _practice_count() -> int:
    """How many practices there are, cached a few minutes (only used to tell common words from rare ones)."""
    count = cache.get("practices:count")
    if count is None:
        count = Practice.objects.count()
        cache.set("practices:count", count, 300)
    return count


def _document_frequencies(terms: list[str]) -> dict[str, int]:
    """How many practices hold each term (TermStat), cached a few minutes: it only tells common words from
    rare ones, so a slightly stale figure is harmless and saves a query per search."""
    keys = {t: "practices:df:" + re.sub(r"[^a-z0-9]", "_", t)[:200] for t in terms}
    cached = cache.get_many(list(keys.values()))
    df = {t: cached[k] for t, k in keys.items() if k in cached}
    missing = [t for t in terms if t not in df]
    if missing:
        found = dict(TermStat.objects.filter(term__in=missing).values_list("term", "df"))
        fresh = {t: found.get(t, 0) for t in missing}
        cache.set_many({keys[t]: n for t, n in fresh.items()}, 300)
        df.update(fresh)
    return df


def _pg_ranked_ids(base, qs, terms: list[str], offset: int, limit: int) -> list[int]:
    """Best first, without ranking each of thousands of matches: the practices where a query word is in the
    title or among the heaviest terms (key_vector: small, GIN-indexed) are ranked by ts_rank on it, the best
    RANK_CANDIDATES of them are checked against every word; the other matches follow, oldest first."""
    # Rank on the query's discriminating words only: a word present in most practices ("social") would make
    # thousands of them candidates without telling them apart.
    df = _document_frequencies(terms)
    common = max(50, 0.05 * _practice_count())
    selective = [t for t in terms if df.get(t, 0) <= common] or [min(terms, key=lambda t: df.get(t, 0))]
    any_term = " | ".join(t for t in (re.sub(r"[^a-z0-9]", "", t) for t in selective) if t)
    rank = RawSQL("ts_rank(key_vector, to_tsquery('simple', %s))", (any_term,), output_field=FloatField())
    # Whether each candidate has every word is computed in the same query (qs = base + every word).
    every_word = RawSQL(
        "search_vector @@ to_tsquery('simple', %s)", (_tsquery(terms),), output_field=BooleanField()
    )
    candidates = list(
        base.filter(
            RawSQL("key_vector @@ to_tsquery('simple', %s)", (any_term,), output_field=BooleanField())
        )
        .annotate(rank=rank, every_word=every_word)
        .order_by("-rank", "pk")
        .values_list("pk", "every_word")[: max(RANK_CANDIDATES, 3 * (offset + limit))]
    )
    first = [pk for pk, has_every_word in candidates if has_every_word]
    if len(first) >= offset + limit:
        return first[offset : offset + limit]
    others = qs.exclude(pk__in=first).order_by("pk")
    skip = max(0, offset - len(first))
    rest = list(others.values_list("pk", flat=True)[skip : skip + limit - len(first[offset:])])
    return first[offset : offset + limit] + rest


def attach_tags(practices: list[Practice]) -> None:
    """Fill `fiches`, `methods` and `territories` of a page of practices from ONE query (instead of three
    prefetches): `p.fiches.all()` then reads them without a query. Instances carry the fields pages and the
    API show (fiche number and title, method slug and name, territory code, name and kind)."""
    from maillage.territories.models import Territory

    if not practices:
        return
    ids = [p.pk for p in practices]
    marks = ", ".join(["%s"] * len(ids))
    tables = [
        ("f", Practice.fiches.through, "fiche_id", Fiche, "number", "title", "''"),
        ("m", Practice.methods.through, "method_id", Method, "slug", "name", "''"),
        ("t", Practice.territories.through, "territory_id", Territory, "code", "name", "x.kind"),
    ]
    sql = " UNION ALL ".join(
        f"SELECT '{tag}', l.practice_id, x.id, CAST(x.{a} AS TEXT), x.{b}, {c} "  # noqa: S608 - names from models
        f"FROM {link._meta.db_table} l JOIN {model._meta.db_table} x ON x.id = l.{column} "
        f"WHERE l.practice_id IN ({marks})"
        for tag, link, column, model, a, b, c in tables
    )
    found: dict[int, dict[str, list]] = {pk: {"f": [], "m": [], "t": []} for pk in ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, ids * len(tables))
        for tag, practice_id, pk, a, b, c in cursor.fetchall():
            if tag == "f":
                obj = Fiche(id=pk, number=int(a), title=b)
            elif tag == "m":
                obj = Method(id=pk, slug=a, name=b)
            else:
                obj = Territory(id=pk, code=a, name=b, kind=c)
            found[practice_id][tag].append(obj)
    orders = {"f": lambda o: o.number, "m": lambda o: o.name, "t": lambda o: o.name}
    for practice in practices:
        cache_ = practice.__dict__.setdefault("_prefetched_objects_cache", {})
        for tag, name, model in (
            ("f", "fiches", Fiche),
            ("m", "methods", Method),
            ("t", "territories", Territory),
        ):
            qs = model.objects.all()
            qs._result_cache = sorted(found[practice.pk][tag], key=orders[tag])
            qs._prefetch_done = True
            cache_[name] = qs


def _with_tags(qs):
    return qs.prefetch_related(
        Prefetch("fiches", queryset=Fiche.objects.order_by("number")),
        Prefetch("methods", queryset=Method.objects.order_by("name")),
        "territories",
    )


def _highlights(practice: Practice, terms: set[str]) -> list:
    found = []
    for name in HIGHLIGHT_FIELDS:
        text = getattr(practice, name)[:4000]
        if text:
            found += textindex.passages(text, terms, limit=2 - len(found))
        if len(found) >= 2:
            break
    return found


def _facets(ids: list[int] | None, selected: dict) -> dict[str, list[FacetValue]]:
    """Facet values with the number of matching practices, `ids` being every match; when there are too many
    matches to count (ids None), every value of the référentiels, without counts."""
    out: dict[str, list[FacetValue]] = {}
    if ids is None:
        out["fiche"] = [
            FacetValue(str(f.number), f"Fiche {f.number}. {f.title}", None, selected["fiche"] == f.number)
            for f in Fiche.objects.order_by("number")
        ]
        out["lever"] = [
            FacetValue(
                str(lv.number), f"Levier {lv.number}. {lv.title}", None, selected["lever"] == lv.number
            )
            for lv in Lever.objects.order_by("number")
        ]
        out["method"] = [
            FacetValue(m.slug, m.name, None, selected["method"] == m.slug)
            for m in Method.objects.order_by("name")
        ]
        out["validation"] = [
            FacetValue(k, str(v), None, selected["validation"] == k) for k, v in Practice.Validation.choices
        ]
        out["scale"] = [
            FacetValue(k, str(v), None, selected["scale"] == k) for k, v in Practice.Scale.choices
        ]
        return out
    fiches = (
        Fiche.objects.filter(practices__in=ids)
        .annotate(n=Count("practices", distinct=True))
        .order_by("number")
    )
    out["fiche"] = [
        FacetValue(str(f.number), f"Fiche {f.number}. {f.title}", f.n, selected["fiche"] == f.number)
        for f in fiches
    ]
    levers = (
        Lever.objects.filter(practices__in=ids)
        .annotate(n=Count("practices", distinct=True))
        .order_by("number")
    )
    out["lever"] = [
        FacetValue(str(lv.number), f"Levier {lv.number}. {lv.title}", lv.n, selected["lever"] == lv.number)
        for lv in levers
    ]
    methods = (
        Method.objects.filter(practices__in=ids)
        .annotate(n=Count("practices", distinct=True))
        .order_by("name")
    )
    out["method"] = [FacetValue(m.slug, m.name, m.n, selected["method"] == m.slug) for m in methods]
    labels = dict(Practice.Validation.choices)
    rows = (
        Practice.objects.filter(pk__in=ids)
        .values_list("validation_level")
        .annotate(n=Count("pk"))
        .order_by("validation_level")
    )
    out["validation"] = [
        FacetValue(k, str(labels.get(k, k)), n, selected["validation"] == k) for k, n in rows
    ]
    labels = dict(Practice.Scale.choices)
    rows = (
        Practice.objects.filter(pk__in=ids)
        .exclude(scale="")
        .values_list("scale")
        .annotate(n=Count("pk"))
        .order_by("scale")
    )
    out["scale"] = [FacetValue(k, str(labels.get(k, k)), n, selected["scale"] == k) for k, n in rows]
    return out


def practice_detail(practice: Practice) -> Practice:
    """The practice with everything its page shows, in few queries."""
    return (
        _with_tags(Practice.objects.select_related("workspace"))
        .prefetch_related("transformations", "figures", "levers")
        .get(pk=practice.pk)
    )


def similar_practices(practice: Practice, user, *, limit: int = 5, top_terms: int = 12) -> list[Practice]:
    """The visible practices closest to this one: dot product of TF-IDF vectors over the inverted index of
    each practice's heaviest terms (PracticeTerm, covering index), computed by the database; then the best
    candidates are checked for visibility."""
    top = sorted(practice.vector.items(), key=lambda kv: -kv[1])[:top_terms]
    if not top:
        return []
    weight = Case(
        *[When(term=t, then=Value(w)) for t, w in top], default=Value(0.0), output_field=FloatField()
    )
    best = list(
        PracticeTerm.objects.filter(term__in=[t for t, _w in top])
        .exclude(practice_id=practice.pk)
        .values("practice_id")
        .annotate(score=Sum(F("weight") * weight))
        .order_by("-score", "practice_id")[: limit * 10]
    )
    ids = [row["practice_id"] for row in best]
    found = {
        p.pk: p
        for p in practices_visible_to(user)
        .filter(pk__in=ids)
        .order_by()
        .only("pk", "title", "slug", "chapeau")
    }
    out = []
    for row in best:
        p = found.get(row["practice_id"])
        if p is not None:
            p.similarity = round(row["score"], 3)
            out.append(p)
        if len(out) == limit:
            break
    return out


def recommendation_search(query: str = ""):
    words = [w for w in textindex.fold(query).split() if w not in textindex.STOPWORDS] if query else []
    qs = Recommendation.objects.all()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("number"), words


def fiches_with_counts(user):
    visible = practices_visible_to(user).values("pk")
    return Fiche.objects.annotate(
        n=Count("practices", filter=Q(practices__in=visible), distinct=True)
    ).order_by("number")


def methods_with_counts(user):
    visible = practices_visible_to(user).values("pk")
    return Method.objects.annotate(
        n=Count("practices", filter=Q(practices__in=visible), distinct=True)
    ).order_by("name")


def levers_with_proposals():
    return Lever.objects.prefetch_related("proposals").order_by("number")
