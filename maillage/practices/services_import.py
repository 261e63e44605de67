"""Upload a document, review what the importer proposes field by field, then create drafts.

    batch = import_batch_create(actor=karim, workspace=ws, upload=file)
    import_field_decide(actor=karim, batch=batch, index=0, name="context", state="corrected", value="…")
    practice = import_practice_create(actor=karim, batch=batch, index=0)   # a draft, never published

The batch keeps the importer's result (as JSON) and the reviewer's decisions, so a review can be resumed.
"""

import copy
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillage.core.services import audit_record
from maillage.practices import importer
from maillage.practices.documents import read_upload
from maillage.practices.importer import DetectedPractice, ImportResult, IndexEntry, Passage, Proposed
from maillage.practices.models import ImportBatch, Practice

# Fields a reviewer decides on one by one (text fields are corrected in a text box).
CHOICE_FIELDS = {"scale": Practice.Scale, "setting": Practice.Setting}
LIST_KINDS = ["transformations", "figures", "territories", "fiches", "methods", "levers"]
STATES = {"accepted", "corrected", "rejected"}
# Reviewed even when the importer proposed nothing (the reviewer may fill them in).
ALWAYS_REVIEWED = {"title", "start_date", "scale", "setting"}


# --- The stored result as dataclasses ------------------------------------------------------------------


def _proposed(data: dict) -> Proposed:
    passage = data.get("passage")
    return Proposed(
        value=data.get("value"),
        passage=Passage(**passage) if passage else None,
        note=data.get("note", ""),
        score=data.get("score", 1.0),
    )


def detected_from_dict(data: dict) -> DetectedPractice:
    practice = DetectedPractice(
        title=_proposed(data["title"]),
        start=data.get("start", 0),
        end=data.get("end", 0),
        fields={name: _proposed(p) for name, p in data.get("fields", {}).items()},
        headings=data.get("headings", []),
        page=data.get("page", ""),
    )
    for kind in LIST_KINDS:
        setattr(practice, kind, [_proposed(p) for p in data.get(kind, [])])
    return practice


def result_from_dict(data: dict) -> ImportResult:
    return ImportResult(
        source_name=data.get("source_name", ""),
        line_count=data.get("line_count", 0),
        split_by=data.get("split_by", ""),
        practices=[detected_from_dict(p) for p in data.get("practices", [])],
        index=[IndexEntry(**e) for e in data.get("index", [])],
        warnings=data.get("warnings", []),
    )


def field_names(detected: DetectedPractice) -> list[str]:
    """The fields to decide on, in the annex's order: title first."""
    order = ["title", *importer.SECTION_FIELDS, "start_date", "scale", "setting", "contact"]
    return [n for n in order if n in ALWAYS_REVIEWED or n in detected.fields]


# --- Permissions ----------------------------------------------------------------------------------------


def _check(actor, batch: ImportBatch) -> None:
    if not actor.has_perm("practices.add_to_workspace", batch.workspace):
        raise PermissionDenied("practices.add_to_workspace")


def _entry(batch: ImportBatch, index: int) -> dict:
    if not 0 <= index < len(batch.result.get("practices", [])):
        raise ValidationError(_("Cette pratique n'existe pas dans le document."))
    entry = batch.decisions.setdefault(str(index), {})
    if entry.get("practice") or entry.get("skipped"):
        raise ValidationError(_("Cette pratique a déjà été relue."))
    return entry


# --- Services -------------------------------------------------------------------------------------------


@transaction.atomic
def import_batch_create(*, actor, workspace, upload) -> ImportBatch:
    """Read the uploaded document, run the importer, keep everything as a pending batch (nothing else is
    written). Raises ValidationError (French) for a refused or unreadable file."""
    if not actor.has_perm("practices.add_to_workspace", workspace):
        raise PermissionDenied("practices.add_to_workspace")
    text, kind = read_upload(upload)
    name = (upload.name or "document").rsplit("/", 1)[-1][:200]
    result = importer.parse_document(text, source_name=name)
    # A title with nothing under it (the document's own title, a table of contents) is not a practice.
    result.practices = [p for p in result.practices if p.fields or p.transformations]
    if not result.practices:
        raise ValidationError(_("Aucune pratique n'a été reconnue dans ce document."))
    batch = ImportBatch.objects.create(
        workspace=workspace,
        source_name=name,
        file_kind=kind,
        text=text,
        result=result.to_dict(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="practice.import_upload",
        target=batch,
        workspace=workspace,
        details={"document": name, "practices": len(result.practices)},
    )
    return batch


def _clean_value(name: str, value: str):
    value = (value or "").strip()
    if name in CHOICE_FIELDS:
        if value not in CHOICE_FIELDS[name].values:
            raise ValidationError(_("Choisissez une valeur de la liste."))
        return value
    if name == "start_date":
        try:
            return {"date": date.fromisoformat(value).isoformat(), "precision": "day"}
        except ValueError as exc:
            raise ValidationError(_("Écrivez une date complète, par exemple 2021-09-01.")) from exc
    if name == "contact":
        raise ValidationError(_("Le contact ne se corrige pas ici : il n'est jamais affiché."))
    if name == "title" and not value:
        raise ValidationError(_("Le titre ne peut pas être vide."))
    if not value:
        raise ValidationError(_("Écrivez le texte corrigé, ou écartez la proposition."))
    return value[:300] if name in ("title", "action_name") else value


@transaction.atomic
def import_field_decide(
    *, actor, batch: ImportBatch, index: int, name: str, state: str, value: str = ""
) -> dict:
    """Accept, correct (with `value`) or reject one proposed field of the index-th practice."""
    _check(actor, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    entry = _entry(batch, index)
    detected = detected_from_dict(batch.result["practices"][index])
    if name not in field_names(detected) or state not in STATES:
        raise ValidationError(_("Ce champ n'est pas proposé pour cette pratique."))
    if name == "title" and state == "rejected":
        raise ValidationError(_("Une pratique a toujours un titre : corrigez-le plutôt."))
    decision = {"state": state}
    if state == "corrected":
        decision["value"] = _clean_value(name, value)
    entry.setdefault("fields", {})[name] = decision
    batch.save(update_fields=["decisions", "updated_at"])
    return decision


@transaction.atomic
def import_accept_remaining(*, actor, batch: ImportBatch, index: int) -> int:
    """Accept every field the reviewer has not decided on yet; returns how many."""
    _check(actor, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    entry = _entry(batch, index)
    detected = detected_from_dict(batch.result["practices"][index])
    fields = entry.setdefault("fields", {})
    missing = [n for n in field_names(detected) if n not in fields]
    for name in missing:
        fields[name] = {"state": "accepted"}
    batch.save(update_fields=["decisions", "updated_at"])
    return len(missing)


@transaction.atomic
def import_items_keep(*, actor, batch: ImportBatch, index: int, kept: set[str], structure_ids=()) -> None:
    """Keep only the listed items ("figures:0", "fiches:2"…) of the lists the importer proposed, and link
    the chosen directory structures as porteurs."""
    _check(actor, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    entry = _entry(batch, index)
    data = batch.result["practices"][index]
    entry["items"] = {
        f"{kind}:{n}": f"{kind}:{n}" in kept for kind in LIST_KINDS for n in range(len(data.get(kind, [])))
    }
    from maillage.practices.porteurs import structures_visible_to

    allowed = set(
        structures_visible_to(actor).filter(pk__in=list(structure_ids)).values_list("pk", flat=True)
    )
    entry["structures"] = sorted(allowed)
    batch.save(update_fields=["decisions", "updated_at"])


def undecided(batch: ImportBatch, index: int) -> list[str]:
    detected = detected_from_dict(batch.result["practices"][index])
    fields = batch.decisions.get(str(index), {}).get("fields", {})
    return [n for n in field_names(detected) if n not in fields]


def reviewed_detected(batch: ImportBatch, index: int) -> DetectedPractice:
    """The detected practice with the reviewer's decisions applied."""
    detected = detected_from_dict(copy.deepcopy(batch.result["practices"][index]))
    entry = batch.decisions.get(str(index), {})
    for name, decision in entry.get("fields", {}).items():
        if name == "title":
            if decision["state"] == "corrected":
                detected.title.value = decision["value"]
            continue
        if decision["state"] == "rejected":
            detected.fields.pop(name, None)
        elif decision["state"] == "corrected":
            detected.fields[name] = Proposed(decision["value"], None, "corrigé par le relecteur")
    items = entry.get("items", {})
    for kind in LIST_KINDS:
        values = getattr(detected, kind)
        setattr(detected, kind, [p for n, p in enumerate(values) if items.get(f"{kind}:{n}", True)])
    return detected


def _finish_if_done(batch: ImportBatch) -> None:
    count = len(batch.result.get("practices", []))
    done = all(
        batch.decisions.get(str(n), {}).get("practice") or batch.decisions.get(str(n), {}).get("skipped")
        for n in range(count)
    )
    if done:
        batch.status = ImportBatch.Status.DONE


@transaction.atomic
def import_practice_create(*, actor, batch: ImportBatch, index: int) -> Practice:
    """Create the draft of the index-th practice once every proposed field has been decided on."""
    from maillage.practices.services import practice_create_from_import

    _check(actor, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    entry = _entry(batch, index)
    missing = undecided(batch, index)
    if missing:
        raise ValidationError(
            _("Il reste %(n)s champ(s) à accepter, corriger ou écarter avant de créer le brouillon.")
            % {"n": len(missing)}
        )
    detected = reviewed_detected(batch, index)
    practice = practice_create_from_import(
        detected=detected,
        actor=actor,
        workspace=batch.workspace,
        status=Practice.Status.DRAFT,
        source_document=batch.source_name,
    )
    practice.import_report = {**practice.import_report, "review": entry, "batch": batch.pk}
    practice.save(update_fields=["import_report"])
    if entry.get("structures"):
        practice.porteur_structures.set(entry["structures"])
    entry["practice"] = practice.slug
    _finish_if_done(batch)
    batch.save(update_fields=["decisions", "status", "updated_at"])
    return practice


@transaction.atomic
def import_practice_skip(*, actor, batch: ImportBatch, index: int) -> None:
    """Set the index-th practice of the document aside (not a practice, or already in the library)."""
    _check(actor, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    entry = _entry(batch, index)
    entry["skipped"] = True
    _finish_if_done(batch)
    batch.save(update_fields=["decisions", "status", "updated_at"])
