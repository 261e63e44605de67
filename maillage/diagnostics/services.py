"""Every write of the observatoire: the indicator catalogue, CSV imports and computed aggregates.

Imports check the actor's right themselves (PermissionDenied). `actor=None` means the system (management
commands). A failed import writes nothing (one transaction, rolled back) unless "importer les lignes
valides" was chosen; in every case the ImportBatch keeps the report.
"""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.registry import timeline_changed
from maillage.core.services import audit_record
from maillage.core.uploads import validate_upload
from maillage.diagnostics.aggregates import aggregates_compute
from maillage.diagnostics.importers import (
    CsvFormat,
    ImportFileError,
    ImportReport,
    ObservationImporter,
    PlaceResolver,
    detect_format,
    plan_columns,
    read_header,
)
from maillage.diagnostics.models import ImportBatch, Indicator, Observation
from maillage.diagnostics.rules import can_import

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "data" / "indicators.json"
ALLOWED_EXTENSIONS = {"csv", "txt", "tsv"}
INDICATOR_FIELDS = [
    "label",
    "short_label",
    "definition",
    "theme",
    "unit",
    "decimals",
    "scale",
    "aggregation",
    "numerator_label",
    "denominator_label",
    "source",
    "source_url",
    "licence",
    "better",
    "statistical_secrecy",
    "secrecy_note",
    "position",
]


def _require_import(actor, workspace) -> None:
    if actor is not None and not can_import(actor, workspace):
        raise PermissionDenied("diagnostics.import_observations")


# --- Catalogue --------------------------------------------------------------------------------------------


@transaction.atomic
def indicators_load(*, path: Path = DEFAULT_CATALOGUE) -> dict[str, int]:
    """Create or update the catalogue from the shipped JSON. Idempotent: a second run changes nothing.

    Indicators absent from the file are kept (observations may point to them)."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))["indicators"]
    existing = {indicator.code: indicator for indicator in Indicator.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for entry in entries:
        values = {name: entry[name] for name in INDICATOR_FIELDS if name in entry}
        indicator = existing.get(entry["code"])
        if indicator is None:
            Indicator.objects.create(code=entry["code"], **values)
            counts["created"] += 1
            continue
        changed = [name for name, value in values.items() if getattr(indicator, name) != value]
        if changed:
            for name in changed:
                setattr(indicator, name, values[name])
            indicator.save(update_fields=changed)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


# --- Imports ----------------------------------------------------------------------------------------------


def _check_text_content(upload) -> None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _(
                "Ce fichier est un classeur (Excel ou Calc), pas un CSV : ouvrez-le, puis « Enregistrer sous » "
                "au format CSV (séparateur point-virgule ou virgule) et déposez ce fichier-là."
            )
        )
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(
            _("Ce fichier n'est pas un fichier texte (CSV) : il contient des données binaires.")
        )


@transaction.atomic
def import_batch_create(
    *, actor, workspace, upload, level: str = ImportBatch.Level.AUTO, source_note: str = ""
) -> ImportBatch:
    """Store an uploaded CSV and detect its format: the batch is ready for its preview (nothing imported)."""
    _require_import(actor, workspace)
    validate_upload(upload, allowed_extensions=ALLOWED_EXTENSIONS)
    _check_text_content(upload)
    batch = ImportBatch(
        workspace=workspace,
        created_by=actor,
        original_name=(upload.name or "import.csv")[:255],
        level=level,
        source_note=source_note[:300],
    )
    batch.file.save("import.csv", upload, save=False)
    try:
        fmt = detect_format(Path(batch.file.path))
    except ImportFileError as exc:
        batch.file.delete(save=False)
        raise ValidationError(str(exc)) from exc
    batch.encoding, batch.delimiter, batch.decimal_comma = fmt.encoding, fmt.delimiter, fmt.decimal_comma
    batch.save()
    return batch


def batch_format(batch: ImportBatch) -> CsvFormat:
    return CsvFormat(batch.encoding, batch.delimiter, batch.decimal_comma)


@transaction.atomic
def import_batch_set_options(
    *, actor, batch: ImportBatch, mapping: dict, keep_valid: bool, replace_existing: bool, status: str
) -> ImportBatch:
    _require_import(actor, batch.workspace)
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(
            _("Cet import a déjà été lancé : déposez le fichier à nouveau pour recommencer.")
        )
    batch.mapping = {k: v for k, v in mapping.items() if v}
    batch.keep_valid, batch.replace_existing, batch.status = keep_valid, replace_existing, status
    batch.save(update_fields=["mapping", "keep_valid", "replace_existing", "status"])
    return batch


def import_batch_queue(
    *, actor, batch: ImportBatch, mapping: dict, keep_valid: bool = False, replace_existing: bool = False
) -> ImportBatch:
    """Record the choices made in the preview and run the import as a job (inline in embedded mode)."""
    from maillage.diagnostics.tasks import import_batch_run_task

    import_batch_set_options(
        actor=actor,
        batch=batch,
        mapping=mapping,
        keep_valid=keep_valid,
        replace_existing=replace_existing,
        status=ImportBatch.Status.PENDING,
    )
    import_batch_run_task.delay(batch_id=batch.pk, actor_id=actor.pk if actor else None)
    batch.refresh_from_db()
    return batch


ANALYZE_AFTER = 50_000


def _refresh_planner_statistics() -> None:
    """After a large import, let PostgreSQL's planner know the table grew (autovacuum would do it later):
    without it, the aggregates and the next import's lookups scan the whole table instead of its indexes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Observation._meta.db_table)}")  # noqa: S608


class _Rollback(Exception):
    def __init__(self, report: ImportReport):
        self.report = report


@transaction.atomic
def import_batch_run(
    *, actor, batch: ImportBatch, path: Path | None = None, only: set[str] | None = None
) -> ImportBatch:
    """Import the batch's file with the options recorded on it; store the report. All or nothing unless
    `batch.keep_valid`. Recomputes the aggregates of the indicators imported."""
    _require_import(actor, batch.workspace)
    if batch.is_finished:
        raise ValidationError(
            _("Cet import est déjà terminé : déposez le fichier à nouveau pour recommencer.")
        )
    path = Path(path or batch.file.path)
    report = ImportReport()
    indicator_ids: list[int] = []
    try:
        fmt = batch_format(batch)
        indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
        plan = plan_columns(read_header(path, fmt), indicators=indicators, mapping=batch.mapping, only=only)
        if plan.errors:
            raise ImportFileError(" ".join(plan.errors))
        indicator_ids = plan.indicator_ids
        with transaction.atomic():
            Observation.objects.filter(indicator_id__in=indicator_ids, is_computed=True).delete()
            importer = ObservationImporter(
                path=path,
                fmt=fmt,
                plan=plan,
                resolver=PlaceResolver(workspace=batch.workspace),
                level=batch.level,
                replace_existing=batch.replace_existing,
                source_note=batch.source_note,
                batch_id=batch.pk,
            )
            importer.run()
            report = importer.report
            if report.error_count and not batch.keep_valid:
                raise _Rollback(report)
            if report.written >= ANALYZE_AFTER:
                _refresh_planner_statistics()
            report.aggregates = aggregates_compute(indicator_ids=indicator_ids)
        status = ImportBatch.Status.PARTIAL if report.error_count else ImportBatch.Status.DONE
    except _Rollback as rollback:
        report = rollback.report
        report.written = report.replaced = 0
        status = ImportBatch.Status.FAILED
    except (ImportFileError, UnicodeDecodeError, OSError) as exc:
        report.file_error = (
            str(exc)
            if isinstance(exc, ImportFileError)
            else _("Le fichier n'a pas pu être lu jusqu'au bout (%(error)s).") % {"error": exc}
        )
        report.error_count += 1
        status = ImportBatch.Status.FAILED
    codes = dict(Indicator.objects.filter(pk__in=report.by_indicator).values_list("pk", "code"))
    data = report.to_dict()
    data["by_indicator"] = {codes.get(pk, str(pk)): n for pk, n in report.by_indicator.items()}
    batch.report = data
    batch.status = status
    batch.rows_read = report.rows_read
    batch.observations_written = report.written
    batch.error_count = report.error_count
    batch.finished_at = timezone.now()
    batch.save(
        update_fields=["report", "status", "rows_read", "observations_written", "error_count", "finished_at"]
    )
    if batch.workspace_id:
        timeline_changed(batch.workspace_id)
    audit_record(
        actor=actor,
        action="observatoire.import",
        target=batch,
        workspace=batch.workspace,
        details={"status": status, "written": report.written, "errors": report.error_count},
    )
    return batch


def observations_import(
    *,
    actor,
    path: Path,
    workspace=None,
    level: str = ImportBatch.Level.AUTO,
    mapping: dict | None = None,
    only: set[str] | None = None,
    keep_valid: bool = False,
    replace_existing: bool = False,
    source_note: str = "",
) -> ImportBatch:
    """Import a CSV file from disk in one call (management command): detect, then run."""
    _require_import(actor, workspace)
    path = Path(path)
    batch = ImportBatch.objects.create(
        workspace=workspace,
        created_by=actor,
        original_name=path.name[:255],
        level=level,
        mapping=mapping or {},
        keep_valid=keep_valid,
        replace_existing=replace_existing,
        source_note=source_note[:300],
        status=ImportBatch.Status.PENDING,
    )
    try:
        fmt = detect_format(path)
    except ImportFileError as exc:
        batch.status, batch.error_count = ImportBatch.Status.FAILED, 1
        batch.report = {**ImportReport(file_error=str(exc), error_count=1).to_dict()}
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "error_count", "report", "finished_at"])
        return batch
    batch.encoding, batch.delimiter, batch.decimal_comma = fmt.encoding, fmt.delimiter, fmt.decimal_comma
    batch.save(update_fields=["encoding", "delimiter", "decimal_comma"])
    return import_batch_run(actor=actor, batch=batch, path=path, only=only)


@transaction.atomic
def observations_aggregate(*, indicator_codes: list[str] | None = None) -> dict[str, int]:
    """Recompute the "calculé" values (all aggregable indicators, or these)."""
    ids = None
    if indicator_codes:
        ids = list(Indicator.objects.filter(code__in=indicator_codes).values_list("pk", flat=True))
    return aggregates_compute(indicator_ids=ids)
