"""Import of structures from a spreadsheet (CSV or XLSX) in the web UI: read the table, map its columns to
data·inclusion structure fields, preview (validation only, nothing written) with a per-row error report, then
write through the data·inclusion importer (same rules: all or nothing unless "garder les lignes valides";
re-importing the same file updates the structures instead of duplicating them)."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core.text import fold
from maillage.core.uploads import validate_upload
from maillage.directory.importers import (
    ImportResult,
    _Territories,
    _validate_structures,
    import_datainclusion,
)

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# folded header -> data·inclusion field
COLUMNS = {
    "id": "id", "identifiant": "id",
    "nom": "nom", "name": "nom", "nom de la structure": "nom", "structure": "nom",
    "siret": "siret", "numero siret": "siret",
    "description": "description", "presentation": "description",
    "adresse": "adresse", "complement adresse": "complement_adresse", "complement d adresse": "complement_adresse",
    "complement_adresse": "complement_adresse",
    "code postal": "code_postal", "code_postal": "code_postal", "cp": "code_postal",
    "code insee": "code_insee", "code_insee": "code_insee", "insee": "code_insee",
    "commune": "commune", "ville": "commune",
    "latitude": "latitude", "lat": "latitude", "longitude": "longitude", "lon": "longitude", "lng": "longitude",
    "telephone": "telephone", "tel": "telephone",
    "courriel": "courriel", "email": "courriel", "e mail": "courriel", "mail": "courriel",
    "site web": "site_web", "site_web": "site_web", "site internet": "site_web",
    "horaires": "horaires_accueil", "horaires accueil": "horaires_accueil", "horaires_accueil": "horaires_accueil",
}  # fmt: skip
FLOAT_FIELDS = {"latitude", "longitude"}


@dataclass
class Preview:
    records: list[dict]
    lines: dict[str, int]  # record id -> line number in the file
    columns: list[tuple[str, str | None]]  # (header in the file, data·inclusion field or None: ignored)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, name, reason)
    valid: int = 0
    warnings: list[str] = field(default_factory=list)


def _norm(header: str) -> str:
    return " ".join(fold(str(header or "")).replace("_", " ").split()) if header else ""


def _column(header: str) -> str | None:
    raw = str(header or "").strip().lower()
    return COLUMNS.get(raw) or COLUMNS.get(_norm(header))


def read_table(upload) -> list[list[str]]:
    """The rows of the first sheet (XLSX) or of the CSV (`,` `;` or tab; UTF-8 or Windows-1252)."""
    validate_upload(upload, allowed_extensions={"csv", "xlsx"}, max_bytes=MAX_BYTES)
    if upload.name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - any unreadable workbook
            raise ValidationError(_("Le fichier XLSX est illisible : %(e)s") % {"e": error}) from error
        sheet = book.worksheets[0]
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def records_from_rows(rows: list[list[str]], *, source: str) -> Preview:
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise ValidationError(_("Le fichier est vide."))
    headers = rows[0]
    columns = [(str(h), _column(h)) for h in headers]
    if "nom" not in {c for _h, c in columns}:
        raise ValidationError(
            _("Il manque une colonne « nom » (le nom de chaque structure) sur la première ligne.")
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(_("Le fichier a plus de %(n)d lignes : découpez-le.") % {"n": MAX_ROWS})
    records, lines, seen = [], {}, set()
    today = timezone.localdate().isoformat()
    for number, row in enumerate(rows[1:], start=2):
        record: dict = {"source": source, "date_maj": today}
        for (_header, name), value in zip(columns, row, strict=False):
            value = str(value).strip()
            if name and value:
                record[name] = value.replace(",", ".") if name in FLOAT_FIELDS else value
        if "id" not in record:  # stable across re-imports of the same sheet: the name and the place
            record["id"] = (
                slugify(
                    f"{record.get('nom', '')} {record.get('code_insee') or record.get('code_postal', '')}"
                )[:200]
                or f"ligne-{number}"
            )
        base, n = record["id"], 2
        while record["id"] in seen:
            record["id"] = f"{base}-{n}"
            n += 1
        seen.add(record["id"])
        lines[record["id"]] = number
        records.append(record)
    return Preview(records=records, lines=lines, columns=columns)


def preview(records_preview: Preview) -> Preview:
    """Validate every row as the importer will (nothing written): the per-row error report."""
    result = ImportResult(source="", schema_version=1)
    codes = {r.get("code_insee") or "" for r in records_preview.records}
    valid = _validate_structures(records_preview.records, _Territories(codes), result, lambda *a: None)
    names = {r["id"]: r.get("nom", "") for r in records_preview.records}
    records_preview.valid = len(valid)
    records_preview.warnings = result.warnings
    records_preview.rejected = [
        (records_preview.lines.get(r.id, 0), names.get(r.id, ""), r.reason) for r in result.rejected
    ]
    records_preview.rejected.sort()
    return records_preview


def import_structures(
    *, actor, workspace, records: list[dict], source: str, keep_valid: bool
) -> ImportResult:
    if actor is not None and not actor.has_perm("directory.animate", workspace):
        raise PermissionDenied("directory.animate")
    return import_datainclusion(
        actor=actor, workspace=workspace, structures=records, services=[], source=source, keep_valid=keep_valid,
        schema_version=1,
    )  # fmt: skip
