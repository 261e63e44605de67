"""Every write about practices and référentiels goes through here (views, API, commands, tests)."""

import json
import re
from collections import Counter
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core.services import audit_record
from maillage.core.text import fold
from maillage.practices import importer, textindex
from maillage.practices.models import (
    Fiche,
    Figure,
    Fundamental,
    Lever,
    Method,
    Obstacle,
    Practice,
    PracticeTerm,
    Proposal,
    Recommendation,
    TermStat,
    Transformation,
    WorkModel,
)

DATA = Path(__file__).parent / "data"
SEED_ANNEX = DATA / "seeds" / "hcts-guide-ds-annexe-actions-inspirantes.txt"
SEED_ANNEX_NAME = "hcts-guide-ds-annexe-actions-inspirantes.txt"
SEED_LICENCE = "Extrait de l'annexe « actions inspirantes » du guide du Haut conseil du travail social (2019), document public : citer la source."

TEXT_FIELDS = [
    "action_name",
    "chapeau",
    "objectives",
    "participant_objectives",
    "public",
    "porteurs",
    "context",
    "diagnostic",
    "project",
    "project_elected",
    "project_transversality",
    "project_participation",
    "actions",
    "evaluation",
    "illustration",
    "perspectives",
    "success_keys",
    "vigilance",
    "resources",
    "sources",
]


def _json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _upsert(model, key: dict, values: dict, counts: Counter) -> None:
    obj = model.objects.filter(**key).first()
    if obj is not None and getattr(obj, "is_customised", False):
        counts["kept_customised"] += 1
        return
    if obj is None:
        model.objects.create(**key, **values)
        counts["created"] += 1
    else:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(values))
        counts["updated"] += 1


@transaction.atomic
def referentials_load() -> dict[str, int]:
    """Create or refresh every référentiel from data/*.json. Entries edited by an administrator are kept."""
    counts: Counter = Counter()
    fiches = _json("fiches.json")
    for f in fiches["fiches"]:
        values = {
            "title": f["title"],
            "description": f["description"],
            "keywords": f["keywords"],
            "source_seed": fiches["source_seed"],
            "source_lines": f["lines"],
        }
        _upsert(Fiche, {"number": f["number"]}, values, counts)
    levers = _json("levers.json")
    lever_keywords = _json("lever_keywords.json")["keywords"]
    for lv in levers["levers"]:
        values = {
            "title": lv["title"],
            "keywords": lever_keywords.get(str(lv["number"]), []),
            "source_seed": levers["source"]["seed"],
            "source_lines": lv["lines"],
        }
        _upsert(Lever, {"number": lv["number"]}, values, counts)
    by_number = {lv.number: lv for lv in Lever.objects.all()}
    for p in levers["proposals"]:
        values = {
            "text": p["text"],
            "lever": by_number.get(p["lever"]),
            "source_seed": levers["source"]["seed"],
            "source_lines": p["lines"],
        }
        _upsert(Proposal, {"number": p["number"]}, values, counts)
    obstacles = _json("obstacles.json")
    for o in obstacles["obstacles"]:
        values = {
            "title": o["title"],
            "excerpt": o["excerpt"],
            "source_seed": obstacles["source"]["seed"],
            "source_lines": o["lines"],
        }
        _upsert(Obstacle, {"number": o["number"]}, values, counts)
    models = _json("work_models.json")
    for m in models["models"]:
        values = {
            "title": m["title"],
            "summary": m["summary"],
            "forms": m["forms"],
            "source_seed": models["source_seed"],
            "source_lines": m["lines"],
        }
        _upsert(WorkModel, {"slug": m["slug"]}, values, counts)
    for m in _json("methods.json")["methods"]:
        values = {
            "name": m["name"],
            "aliases": m["aliases"],
            "definition": m["definition"],
            "keywords": m.get("keywords", []),
            "sources": m["sources"],
        }
        _upsert(Method, {"slug": m["slug"]}, values, counts)
    fundamentals = _json("fundamentals.json")
    for f in fundamentals["fundamentals"]:
        values = {
            "title": f["title"],
            "text": f["text"],
            "source_seed": fundamentals["source"]["seed"],
            "source_lines": fundamentals["source"]["lines"],
        }
        _upsert(Fundamental, {"number": f["number"]}, values, counts)
    recommendations = _json("recommendations.json")
    for r in recommendations["recommendations"]:
        values = {
            "category": r["category"],
            "theme": r["theme"],
            "preconisation": r["preconisation"],
            "levers": r["levers"],
            "contributor": r["contributor"],
            "source_seed": recommendations["source"]["seed"],
            "source_lines": r["lines"],
            "search_text": fold(
                " ".join([r["category"], r["theme"], r["preconisation"], r["levers"], r["contributor"]])
            ),
        }
        _upsert(Recommendation, {"number": r["number"]}, values, counts)
    return dict(counts)


# --- Search index and vectors ----------------------------------------------------------------------------


def practice_document(practice: Practice) -> tuple[str, str]:
    """(title text, full text) of a practice as indexed: every shown field, transformations, figures' captions,
    tags and places (so that "Gironde" or "conférence familiale" find it)."""
    title = " ".join(filter(None, [practice.title, practice.action_name]))
    parts = [title, *(getattr(practice, name) for name in TEXT_FIELDS)]
    parts += [t.text for t in practice.transformations.all()]
    parts += [f"{f.unit} {f.measures}" for f in practice.figures.all()]
    parts += [f.title for f in practice.fiches.all()]
    parts += [m.name for m in practice.methods.all()]
    parts += [lv.title for lv in practice.levers.all()]
    parts += [t.name for t in practice.territories.all()]
    parts += [p for p in practice.place_names if isinstance(p, str)]
    return title, "\n".join(p for p in parts if p)


def _index_fields(practice: Practice, counts: Counter, title: str, full: str, df: dict, n_docs: int) -> None:
    practice.search_text = fold(full)
    practice.search_stems = textindex.stems_field(counts)
    practice.title_stems = textindex.stems_field(textindex.analyze(title))
    practice.vector = textindex.tfidf_vector(counts, df, n_docs)
    practice.key_stems = textindex.key_stems(practice.vector)


def practice_index(practice: Practice) -> Practice:
    """Recompute one practice's search fields, vector and inverted-index rows, using the stored document
    frequencies (TermStat), which it updates."""
    old_terms = set(practice.search_stems.split())
    title, full = practice_document(practice)
    counts = textindex.analyze(full)
    new_terms = set(counts)
    _df_shift(new_terms - old_terms, +1)
    _df_shift(old_terms - new_terms, -1)
    df = dict(TermStat.objects.filter(term__in=list(new_terms)).values_list("term", "df"))
    n_docs = max(Practice.objects.count(), 1)
    _index_fields(practice, counts, title, full, df, n_docs)
    practice.save(update_fields=["search_text", "search_stems", "title_stems", "key_stems", "vector"])
    PracticeTerm.objects.filter(practice=practice).delete()
    PracticeTerm.objects.bulk_create(
        [PracticeTerm(practice=practice, term=t[:60], weight=w) for t, w in practice.vector.items()]
    )
    return practice


def _df_shift(terms: set[str], delta: int) -> None:
    terms = {t[:60] for t in terms}
    if not terms:
        return
    if delta > 0:
        TermStat.objects.bulk_create([TermStat(term=t, df=0) for t in terms], ignore_conflicts=True)
    TermStat.objects.filter(term__in=list(terms)).update(df=F("df") + delta)


@transaction.atomic
def practices_reindex() -> int:
    """Recompute every practice's index from scratch (after changing data/synonyms.json or the stemmer)."""
    practices = list(
        Practice.objects.prefetch_related(
            "transformations", "figures", "fiches", "methods", "levers", "territories"
        )
    )
    documents = []
    df: Counter = Counter()
    for practice in practices:
        title, full = practice_document(practice)
        counts = textindex.analyze(full)
        documents.append((practice, counts, title, full))
        df.update(counts.keys())
    TermStat.objects.all().delete()
    TermStat.objects.bulk_create([TermStat(term=t[:60], df=n) for t, n in df.items()], ignore_conflicts=True)
    PracticeTerm.objects.all().delete()
    rows = []
    for practice, counts, title, full in documents:
        _index_fields(practice, counts, title, full, df, len(practices))
        rows += [PracticeTerm(practice=practice, term=t[:60], weight=w) for t, w in practice.vector.items()]
    Practice.objects.bulk_update(
        practices, ["search_text", "search_stems", "title_stems", "key_stems", "vector"], batch_size=500
    )
    PracticeTerm.objects.bulk_create(rows, batch_size=2000)
    return len(practices)


# --- Practices from the importer -------------------------------------------------------------------------


RESERVED_SLUGS = {"referentiels", "espace", "groupes", "comparer"}  # URLs of the app


def _unique_slug(title: str, *, exclude_pk=None) -> str:
    base = slugify(re.sub(r"['’]", "-", title))[:100].strip("-") or "pratique"
    if base in RESERVED_SLUGS:
        base = f"{base}-pratique"
    slug, n = base, 2
    while Practice.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _value(detected: importer.DetectedPractice, name: str, default=""):
    proposed = detected.fields.get(name)
    return proposed.value if proposed is not None else default


def _report(detected: importer.DetectedPractice) -> dict:
    """What the importer proposed, field by field, with its passage (excerpts are already masked). The raw
    contact is left out: it is personal data and lives only in Practice.contact."""
    data = asdict(detected)
    if "contact" in data["fields"]:
        data["fields"]["contact"]["value"] = "[masqué]"
    return data


@transaction.atomic
def practice_create_from_import(
    *,
    detected: importer.DetectedPractice,
    actor=None,
    workspace=None,
    status: str = Practice.Status.DRAFT,
    scope: str = Practice.Scope.WORKSPACE,
    validation_level: str = Practice.Validation.SELF,
    source_document: str = "",
    licence: str = "",
    slug: str = "",
    practice: Practice | None = None,
) -> Practice:
    """Create (or, given `practice`, overwrite) a practice from what the importer detected, accepting every
    proposal. Reference content (no workspace) is written by commands only (actor None) or a superuser."""
    if workspace is None and actor is not None and not actor.is_superuser:
        raise PermissionDenied("practices.reference_content")
    if (
        workspace is not None
        and actor is not None
        and not actor.has_perm("practices.add_to_workspace", workspace)
    ):
        raise PermissionDenied("practices.add_to_workspace")
    title = str(detected.title.value)[:300]
    if not title:
        raise ValidationError(_("Le document ne donne pas de titre à la pratique."))
    values = {
        name: str(_value(detected, name))[: 300 if name == "action_name" else None] for name in TEXT_FIELDS
    }
    start = _value(detected, "start_date", None)
    values.update(
        workspace=workspace,
        title=title,
        contact=str(_value(detected, "contact")),
        scale=_value(detected, "scale"),
        setting=_value(detected, "setting"),
        start_date=date.fromisoformat(start["date"]) if start else None,
        start_date_precision=start["precision"] if start else "",
        place_names=[p.value["name"] for p in detected.territories],
        status=status,
        scope=scope,
        validation_level=validation_level,
        published_at=timezone.now() if status == Practice.Status.PUBLISHED else None,
        source_document=source_document,
        source_lines=f"{detected.start}-{detected.end}",
        source_page=detected.page,
        licence=licence,
        import_report=_report(detected),
    )
    if practice is None:
        practice = Practice(
            slug=slug or _unique_slug(title), created_by=actor if actor and actor.pk else None
        )
    for name, value in values.items():
        setattr(practice, name, value)
    practice.save()
    practice.transformations.all().delete()
    practice.figures.all().delete()
    Transformation.objects.bulk_create(
        [
            Transformation(
                practice=practice,
                viewpoint=t.value["viewpoint"],
                label=t.value["label"][:200],
                text=t.value["text"],
                order=n,
            )
            for n, t in enumerate(detected.transformations)
        ]
    )
    Figure.objects.bulk_create(
        [
            Figure(
                practice=practice,
                value=Decimal(f.value["value"]),
                unit=f.value["unit"][:80],
                date=date(f.value["year"], 1, 1) if f.value.get("year") else None,
                measures=f.value["measures"][:300],
                excerpt=f.passage.excerpt if f.passage else "",
                order=n,
            )
            for n, f in enumerate(detected.figures)
        ]
    )
    from maillage.territories.models import Territory

    wanted = [(t.value["kind"], t.value["code"]) for t in detected.territories if t.value.get("code")]
    territories = [
        t for t in Territory.objects.filter(code__in=[c for _k, c in wanted]) if (t.kind, t.code) in wanted
    ]
    practice.territories.set(territories)
    practice.fiches.set(Fiche.objects.filter(number__in=[f.value for f in detected.fiches]))
    practice.methods.set(Method.objects.filter(slug__in=[m.value for m in detected.methods]))
    practice.levers.set(Lever.objects.filter(number__in=[lv.value for lv in detected.levers]))
    practice_index(practice)
    if actor is not None:
        audit_record(actor=actor, action="practice.import", target=practice, workspace=workspace)
    return practice


def _referential_signature() -> tuple:
    """What the importer's result depends on besides the text: the referentials it looks things up in."""
    from maillage.territories.models import Territory

    return (Territory.objects.count(), Fiche.objects.count(), Method.objects.count(), Lever.objects.count())


@lru_cache(maxsize=4)
def _parse_seed(text: str, signature: tuple) -> importer.ImportResult:
    return importer.parse_document(text, source_name=SEED_ANNEX_NAME)


@transaction.atomic
def practices_load_seed(*, path: Path = SEED_ANNEX) -> dict:
    """Import the 12 actions inspirantes of the HCTS annex with the importer, as published national reference
    practices (no workspace). Idempotent: a practice already loaded from the annex (same title) is refreshed in
    place, keeping its address."""
    result = _parse_seed(Path(path).read_text(encoding="utf-8"), _referential_signature())
    existing = {
        p.title: p for p in Practice.objects.filter(workspace__isnull=True, source_document=SEED_ANNEX_NAME)
    }
    counts = Counter()
    for detected in result.practices:
        practice = existing.get(str(detected.title.value))
        counts["updated" if practice else "created"] += 1
        practice_create_from_import(
            detected=detected,
            status=Practice.Status.PUBLISHED,
            scope=Practice.Scope.PUBLIC,
            validation_level=Practice.Validation.EXPERT,
            source_document=SEED_ANNEX_NAME,
            licence=SEED_LICENCE,
            practice=practice,
        )
    practices_reindex()
    return {**counts, "practices": len(result.practices), "warnings": result.warnings}


# --- Workflow ------------------------------------------------------------------------------------------------

TRANSITIONS = {
    Practice.Status.DRAFT: {Practice.Status.SUBMITTED},
    Practice.Status.SUBMITTED: {Practice.Status.DRAFT, Practice.Status.IN_REVIEW},
    Practice.Status.IN_REVIEW: {Practice.Status.DRAFT, Practice.Status.PUBLISHED},
    Practice.Status.PUBLISHED: {Practice.Status.ARCHIVED},
    Practice.Status.ARCHIVED: {Practice.Status.PUBLISHED},
}


@transaction.atomic
def practice_set_status(*, actor, practice: Practice, status: str, scope: str | None = None) -> Practice:
    """Move a practice along brouillon → soumise → en expertise → publiée → archivée."""
    if status in (Practice.Status.PUBLISHED, Practice.Status.ARCHIVED):
        perm = "practices.publish"
    elif Practice.Status.IN_REVIEW in (status, practice.status):
        perm = "practices.review"
    else:
        perm = "practices.edit"
    if not actor.has_perm(perm, practice):
        raise PermissionDenied(perm)
    if status not in TRANSITIONS.get(practice.status, set()):
        raise ValidationError(
            _("On ne peut pas passer de « %(a)s » à « %(b)s ».")
            % {"a": practice.get_status_display(), "b": Practice.Status(status).label}
        )
    if status == Practice.Status.PUBLISHED and practice.comments.filter(sends_back=True, resolved_at=None):
        raise ValidationError(_("Des rubriques renvoyées à l'auteur attendent sa réponse."))
    previous = practice.status
    practice.status = status
    fields = ["status", "updated_at"]
    if previous == Practice.Status.IN_REVIEW and status == Practice.Status.PUBLISHED:
        practice.validation_level = Practice.Validation.EXPERT
        fields.append("validation_level")
    if scope:
        practice.scope = scope
        fields.append("scope")
    if status == Practice.Status.PUBLISHED and practice.published_at is None:
        practice.published_at = timezone.now()
        fields.append("published_at")
    practice.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="practice.status",
        target=practice,
        workspace=practice.workspace,
        details={"from": previous, "to": status, "scope": practice.scope},
    )
    return practice
