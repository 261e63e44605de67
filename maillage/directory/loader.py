"""Load the shipped typologies (Cap Rural OUTIL 1-3, politique de la ville schemes) from data/typologies.json.

Idempotent: rows are matched by code and refreshed; nothing is deleted (structures may point to old codes).
Shape: {"version": 1, "structure_categories": [{"code", "label", "parent", "acronym", "source"}],
"person_roles": [same], "scheme_kinds": [{"code", "label", "source"}], "schemes": [{"code", "name", "acronym",
"kind", "scale", "description", "source"}], "reseaux_porteurs_by_category": {code: [values]}}.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from maillage.directory.choices import BUILTIN_LINK_KINDS, RESEAU_PORTEUR_LABELS, Scale
from maillage.directory.models import Category, LinkKind, PersonRoleKind, Scheme, SchemeKind
from maillage.directory.search_index import bump_all

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "typologies.json"


class TypologyError(ValueError):
    """The data file is not what the loader expects; the message says where."""


def _tree(model, rows: list[dict], extra: dict[str, dict] | None = None) -> dict[str, int]:
    codes = [row["code"] for row in rows]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise TypologyError(f"{model.__name__}: duplicated codes {sorted(duplicates)}")
    known = set(codes)
    for row in rows:
        if row.get("parent") and row["parent"] not in known:
            raise TypologyError(f"{model.__name__} {row['code']}: unknown parent {row['parent']}")
    existing = {obj.code: obj for obj in model.objects.all()}
    created = updated = 0
    for position, row in enumerate(rows):
        values = {
            "label": row["label"].strip(),
            "acronym": (row.get("acronym") or "").strip(),
            "source": row.get("source") or {},
            "position": position,
            **((extra or {}).get(row["code"], {})),
        }
        obj = existing.get(row["code"])
        if obj is None:
            obj = model(code=row["code"], **values)
            created += 1
        else:
            changed = any(getattr(obj, k) != v for k, v in values.items())
            for key, value in values.items():
                setattr(obj, key, value)
            updated += changed
        try:
            obj.full_clean(exclude=["parent"], validate_unique=False)
        except ValidationError as error:
            raise TypologyError(f"{model.__name__} {row['code']}: {error.messages}") from error
        obj.save()
        existing[row["code"]] = obj
    for row in rows:  # parents once every row exists
        obj = existing[row["code"]]
        parent = existing.get(row["parent"]) if row.get("parent") else None
        if obj.parent_id != (parent.pk if parent else None):
            obj.parent = parent
            obj.save(update_fields=["parent"])
    return {"created": created, "updated": updated, "total": len(rows)}


def _upsert(model, lookup: dict, values: dict, counts: dict[str, int]) -> None:
    obj = model.objects.filter(**lookup).first()
    counts["total"] += 1
    if obj is None:
        model.objects.create(**lookup, **values)
        counts["created"] += 1
    elif any(getattr(obj, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(obj, key, value)
        obj.save()
        counts["updated"] += 1


@transaction.atomic
def load_typologies(path: Path | str = DEFAULT_PATH) -> dict[str, dict[str, int]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("version") != 1:
        raise TypologyError(f"{path}: version 1 expected, found {data.get('version')!r}")
    mapping = data.get("reseaux_porteurs_by_category") or {}
    category_codes = {row["code"] for row in data.get("structure_categories", [])}
    for code, values in mapping.items():
        if code not in category_codes:
            raise TypologyError(f"reseaux_porteurs_by_category: unknown category {code}")
        unknown = [v for v in values if v not in RESEAU_PORTEUR_LABELS]
        if unknown:
            raise TypologyError(f"reseaux_porteurs_by_category[{code}]: not data·inclusion values {unknown}")
    counts = {
        "categories": _tree(
            Category,
            data.get("structure_categories", []),
            {code: {"reseaux_porteurs": list(values)} for code, values in mapping.items()}
            | {
                row["code"]: {"reseaux_porteurs": []}
                for row in data.get("structure_categories", [])
                if row["code"] not in mapping
            },
        ),
        "person_roles": _tree(PersonRoleKind, data.get("person_roles", [])),
    }
    kind_counts = {"created": 0, "updated": 0, "total": 0}
    for row in data.get("scheme_kinds", []):
        _upsert(
            SchemeKind,
            {"code": row["code"]},
            {"label": row["label"].strip(), "source": row.get("source") or {}},
            kind_counts,
        )
    kinds = {k.code: k for k in SchemeKind.objects.all()}
    counts["scheme_kinds"] = kind_counts
    scheme_counts = {"created": 0, "updated": 0, "total": 0}
    for row in data.get("schemes", []):
        if row.get("kind") and row["kind"] not in kinds:
            raise TypologyError(f"scheme {row['code']}: unknown kind {row['kind']}")
        scale = row.get("scale") or ""
        if scale and scale not in Scale.values:
            raise TypologyError(f"scheme {row['code']}: scale must be one of {Scale.values}, found {scale!r}")
        values = {
            "name": row["name"].strip(),
            "acronym": (row.get("acronym") or "").strip(),
            "kind": kinds.get(row.get("kind") or ""),
            "scale": scale,
            "description": row.get("description") or "",
            "source": row.get("source") or {},
        }
        _upsert(Scheme, {"workspace": None, "code": row["code"]}, values, scheme_counts)
    counts["schemes"] = scheme_counts
    counts["link_kinds"] = ensure_link_kinds()
    bump_all()  # category labels and tree are in every facet index
    return counts


def ensure_link_kinds() -> dict[str, int]:
    """The built-in link kinds (also created by migration 0002); labels an administrator changed are kept."""
    created = 0
    for position, (code, (label, as_target, as_source, symmetric)) in enumerate(BUILTIN_LINK_KINDS.items()):
        _kind, was_created = LinkKind.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "label_as_target": as_target,
                "label_as_source": as_source,
                "symmetric": symmetric,
                "is_builtin": True,
                "position": position,
            },
        )
        created += was_created
    return {"created": created, "updated": 0, "total": len(BUILTIN_LINK_KINDS)}
