"""What the review page of an import shows: each proposed field with its passage and the reviewer's decision,
and the lists of proposals (figures, places, fiches, methods…) to keep or drop."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from maillage.practices.importer import Proposed
from maillage.practices.models import Fiche, ImportBatch, Lever, Method, Practice
from maillage.practices.services_import import (
    CHOICE_FIELDS,
    LIST_KINDS,
    detected_from_dict,
    field_names,
)

NOTHING = Proposed("", None, "Rien n'a été trouvé dans le document : acceptez (laisser vide) ou corrigez.")
KIND_LABELS = {
    "transformations": "Transformations, par point de vue",
    "figures": "Chiffres",
    "territories": "Lieux",
    "fiches": "Fiches du guide suggérées",
    "methods": "Méthodes",
    "levers": "Leviers",
}


@dataclass
class FieldRow:
    name: str
    label: str
    proposed: str
    passage: object
    note: str
    state: str  # "" (to decide), accepted, corrected, rejected
    corrected: str
    hidden: bool = False  # the contact: never shown

    @property
    def shown(self) -> str:
        return self.corrected if self.state == "corrected" else self.proposed

    @property
    def choices(self):
        return CHOICE_FIELDS[self.name].choices if self.name in CHOICE_FIELDS else None

    @property
    def is_date(self) -> bool:
        return self.name == "start_date"

    @property
    def is_long(self) -> bool:
        return self.name not in ("title", "action_name") and not self.choices and not self.is_date


@dataclass
class ItemRow:
    key: str
    text: str
    passage: object
    note: str
    kept: bool


def _label(name: str) -> str:
    if name == "title":
        return _("Titre")
    return str(Practice._meta.get_field(name).verbose_name).capitalize()


def _display(name: str, value) -> str:
    if name in CHOICE_FIELDS:
        return str(dict(CHOICE_FIELDS[name].choices).get(value, value))
    if name == "start_date" and isinstance(value, dict):
        return value.get("date", "")
    if name == "start_date" and isinstance(value, str):
        return value
    return "" if value is None else str(value)


def field_rows(batch: ImportBatch, index: int) -> list[FieldRow]:
    detected = detected_from_dict(batch.result["practices"][index])
    decisions = batch.decisions.get(str(index), {}).get("fields", {})
    rows = []
    for name in field_names(detected):
        proposed = detected.title if name == "title" else detected.fields.get(name, NOTHING)
        decision = decisions.get(name, {})
        rows.append(
            FieldRow(
                name=name,
                label=_label(name),
                proposed=_display(name, proposed.value) if name != "contact" else _("[masqué]"),
                passage=proposed.passage if name != "contact" else None,
                note=proposed.note,
                state=decision.get("state", ""),
                corrected=_display(name, decision.get("value", "")),
                hidden=name == "contact",
            )
        )
    return rows


def field_row(batch: ImportBatch, index: int, name: str) -> FieldRow | None:
    return next((r for r in field_rows(batch, index) if r.name == name), None)


def item_groups(batch: ImportBatch, index: int) -> list[tuple[str, str, list[ItemRow]]]:
    data = batch.result["practices"][index]
    items = batch.decisions.get(str(index), {}).get("items", {})
    fiches = dict(Fiche.objects.values_list("number", "title"))
    methods = dict(Method.objects.values_list("slug", "name"))
    levers = dict(Lever.objects.values_list("number", "title"))
    groups = []
    for kind in LIST_KINDS:
        rows = []
        for n, proposed in enumerate(detected_from_dict(data).__dict__[kind]):
            value = proposed.value
            if kind == "transformations":
                text = f"{value.get('label') or value.get('viewpoint')} : {value.get('text', '')[:200]}"
            elif kind == "figures":
                text = f"{value['value']} {value['unit']} — {value.get('measures', '')[:160]}"
            elif kind == "territories":
                found = _("trouvé dans le référentiel") if value.get("code") else _("non trouvé")
                text = f"{value.get('name')} ({found})"
            elif kind == "fiches":
                text = f"Fiche {value}. {fiches.get(value, '')}"
            elif kind == "methods":
                text = methods.get(value, str(value))
            else:
                text = f"Levier {value}. {levers.get(value, '')}"[:200]
            key = f"{kind}:{n}"
            rows.append(ItemRow(key, text, proposed.passage, proposed.note, items.get(key, True)))
        if rows:
            groups.append((kind, KIND_LABELS[kind], rows))
    return groups


def batch_practices(batch: ImportBatch) -> list[dict]:
    """One line per practice of the document: its title, lines and what became of it."""
    out = []
    for n, data in enumerate(batch.result.get("practices", [])):
        entry = batch.decisions.get(str(n), {})
        decided = len(entry.get("fields", {}))
        total = len(field_names(detected_from_dict(data)))
        out.append(
            {
                "index": n,
                "title": data["title"]["value"],
                "lines": f"{data.get('start')}-{data.get('end')}",
                "practice": entry.get("practice", ""),
                "skipped": entry.get("skipped", False),
                "decided": decided,
                "total": total,
            }
        )
    return out
