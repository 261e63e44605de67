"""The directory's search index, stored on each structure and rebuilt here after every write (services,
importer, demo, admin): `search_text` (folded words), `sort_name` (folded name) and `facet_tokens` (the facet
values: category and its headings, thématiques and their headings, publics, territories, kind).

The directory page searches a per-process in-memory index built from these columns (memory_index.py); every
rebuild bumps the workspace's index version so that each process reloads it. The API, across workspaces,
filters the same columns in SQL (`search_text__words=[...]`, `facet_tokens__contains`).
"""

import secrets
from collections.abc import Iterable
from functools import lru_cache

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Lookup, Prefetch

from maillage.core.text import fold
from maillage.directory.choices import PUBLIC_LABELS, RESEAU_PORTEUR_LABELS, THEMATIQUE_LABELS
from maillage.directory.models import Category, Service, Structure

FACET_CATEGORY = "category"
FACET_THEMATIQUE = "thematique"
FACET_PUBLIC = "public"
FACET_TERRITORY = "territory"
FACET_KIND = "kind"
FACETS = (FACET_CATEGORY, FACET_THEMATIQUE, FACET_PUBLIC, FACET_TERRITORY, FACET_KIND)
DESCRIPTION_CHARS = 400  # enough of a presentation to find it by its words, without bloating the index
VERSION_KEY = "directory:index:{}"
GLOBAL_VERSION_KEY = "directory:index:all"


class WordPrefixes(Lookup):
    """`search_text__words=["centre", "soc"]`: every word starts a word of the folded text (SQL side, for the
    API across workspaces; the directory page reads the in-memory index). Words come from `fold()`: only
    [0-9a-z], nothing to escape."""

    lookup_name = "words"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        words = list(self.rhs)
        if not words:
            return "1 = 1", []
        return " AND ".join([f"{lhs} LIKE %s"] * len(words)), [
            *lhs_params * len(words),
            *(f"% {w}%" for w in words),
        ]


Structure._meta.get_field("search_text").register_lookup(WordPrefixes)


def token(facet: str, value: str) -> str:
    return f"{facet}={value}"


def facet_condition(facet: str, value: str) -> dict:
    """A queryset filter on one facet value, for SQL-side filtering (the API across workspaces)."""
    return {"facet_tokens__contains": f" {token(facet, value)} "}


def thematique_category(value: str) -> str:
    return value.split("--", 1)[0]


def service_facet_text(service: Service) -> str:
    """ " th:<thématique> th:<its category> pub:<public> " — matched with `contains`, e.g. " th:famille "."""
    tokens: list[str] = []
    for value in service.thematiques or []:
        tokens += [f"th:{value}", f"th:{thematique_category(value)}"]
    tokens += [f"pub:{value}" for value in service.publics or []]
    return " " + " ".join(dict.fromkeys(tokens)) + " " if tokens else ""


def category_lineage(category_id: int, categories: dict[int, Category]) -> list[Category]:
    """The category and its headings, leaf first."""
    lineage, seen = [], set()
    current = categories.get(category_id)
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        lineage.append(current)
        current = categories.get(current.parent_id)
    return lineage


def territory_values(commune) -> list[str]:
    if commune is None:
        return []
    values = [f"commune:{commune.code}"]
    if commune.parent_commune_code:
        values.append(f"commune:{commune.parent_commune_code}")
    values += [
        f"{kind}:{code}"
        for kind, code in (
            ("epci", commune.epci_code),
            ("departement", commune.departement_code),
            ("region", commune.region_code),
        )
        if code
    ]
    return values


@lru_cache(maxsize=8192)
def _fold_label(text: str) -> tuple[str, ...]:
    """Labels repeat across structures (categories, thématiques, publics, communes, service names)."""
    return tuple(fold(text).split())


def structure_index(structure: Structure, categories: dict[int, Category]) -> tuple[str, str, str]:
    """(search_text, sort_name, facet_tokens) of a structure whose categories, services and commune are loaded."""
    own = [structure.name, structure.acronym, structure.description[:DESCRIPTION_CHARS], structure.address]
    words = fold(" ".join(own)).split()
    labels = [structure.postal_code, structure.commune_name]
    facets: list[tuple[str, str]] = []
    for category in structure.categories.all():
        for node in category_lineage(category.pk, categories):
            labels += [node.label, node.acronym]
            facets.append((FACET_CATEGORY, node.code))
    for service in structure.services.all():
        labels.append(service.nom)
        for value in service.thematiques or []:
            labels.append(THEMATIQUE_LABELS.get(value, ""))
            facets += [(FACET_THEMATIQUE, value), (FACET_THEMATIQUE, thematique_category(value))]
        for value in service.publics or []:
            labels.append(PUBLIC_LABELS.get(value, ""))
            facets.append((FACET_PUBLIC, value))
    labels += [RESEAU_PORTEUR_LABELS.get(value, "") for value in structure.reseaux_porteurs or []]
    facets += [(FACET_TERRITORY, value) for value in territory_values(structure.commune)]
    if structure.legal_form:
        facets.append((FACET_KIND, structure.legal_form))
    for label in labels:
        if label:
            words += _fold_label(label)
    search_text = " " + " ".join(dict.fromkeys(words)) + " "
    tokens = " " + " ".join(dict.fromkeys(token(f, v) for f, v in facets)) + " "
    return search_text, fold(structure.name)[:150], tokens


def reindex_structures(
    structure_ids: Iterable[int] | None = None, *, workspace=None, batch_size: int = 1000
) -> int:
    """Rebuild the index of the given structures (or of a workspace's). Returns how many were indexed."""
    qs = Structure.objects.all()
    if structure_ids is not None:
        qs = qs.filter(pk__in=list(structure_ids))
    if workspace is not None:
        qs = qs.filter(workspace=workspace)
    qs = (
        qs.select_related("commune")
        .only(
            "id", "workspace_id", "name", "acronym", "description", "address", "postal_code", "commune_label",
            "legal_form", "reseaux_porteurs", "commune__code", "commune__name", "commune__epci_code",
            "commune__departement_code", "commune__region_code", "commune__parent_commune_code",
        )
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.only("id")),
            Prefetch("services", queryset=Service.objects.only("id", "structure_id", "nom", "thematiques", "publics")),
        )
        .order_by("pk")
    )  # fmt: skip
    categories = {c.pk: c for c in Category.objects.only("id", "code", "label", "acronym", "parent_id")}
    done = 0
    workspaces: set[int] = set()
    batch: list[Structure] = []
    for structure in qs.iterator(chunk_size=batch_size):
        structure.search_text, structure.sort_name, structure.facet_tokens = structure_index(
            structure, categories
        )
        workspaces.add(structure.workspace_id)
        batch.append(structure)
        if len(batch) >= batch_size:
            _write(batch)
            done += len(batch)
            batch = []
    if batch:
        _write(batch)
        done += len(batch)
    for workspace_id in workspaces:
        bump_version(workspace_id)
    return done


def _write(batch: list[Structure], rows_per_statement: int = 500) -> None:
    """Store the index columns: one UPDATE … FROM (VALUES …) per 500 rows (PostgreSQL and SQLite ≥ 3.33).

    Django's bulk_update builds a CASE expression per row and field, ten times slower on 50,000 structures.
    """
    table = connection.ops.quote_name(Structure._meta.db_table)
    for start in range(0, len(batch), rows_per_statement):
        chunk = batch[start : start + rows_per_statement]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        params = [v for s in chunk for v in (s.pk, s.search_text, s.sort_name, s.facet_tokens)]
        sql = (  # only placeholders and the table name are interpolated
            f"WITH v(id, search_text, sort_name, facet_tokens) AS (VALUES {values}) "  # noqa: S608
            f"UPDATE {table} SET search_text = v.search_text, sort_name = v.sort_name, "
            f"facet_tokens = v.facet_tokens FROM v WHERE {table}.id = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, secrets.randbelow(2**40) * 1000, timeout=None)


def bump_version(workspace_id: int) -> None:
    """The workspace's structures changed: every process reloads its facet index at the next search.

    Bumped now (this process, this transaction) and again after the commit, so that another process that
    rebuilt its index in between, from the data before the commit, rebuilds it once more.
    """
    key = VERSION_KEY.format(workspace_id)
    _incr(key)
    transaction.on_commit(lambda: _incr(key))


def bump_all() -> None:
    """The typologies changed (labels, tree): every facet index is reloaded."""
    _incr(GLOBAL_VERSION_KEY)
    transaction.on_commit(lambda: _incr(GLOBAL_VERSION_KEY))


def current_version(workspace_id: int) -> tuple:
    """(workspace version, global version). A missing key gets a random start value, never "unknown", so an
    evicted key cannot make a stale index look current."""
    keys = [VERSION_KEY.format(workspace_id), GLOBAL_VERSION_KEY]
    values = cache.get_many(keys)
    for key in keys:
        if key not in values:
            cache.add(key, secrets.randbelow(2**40) * 1000, timeout=None)
            values[key] = cache.get(key)
    return tuple(values[key] for key in keys)
