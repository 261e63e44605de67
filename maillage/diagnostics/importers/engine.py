"""Streaming the rows: validation, per-row errors in French, writing by batches."""

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from maillage.diagnostics.importers.columns import ColumnPlan, IndicatorColumns, column_key
from maillage.diagnostics.importers.formats import (
    QUANTUM,
    SECRET,
    CsvFormat,
    NumberError,
    parse_number,
    parse_period,
    plain,
)
from maillage.diagnostics.importers.places import FRANCE, NIVGEO_LEVELS, PlaceResolver
from maillage.diagnostics.models import Indicator, Observation

BATCH_SIZE = 5000
MAX_STORED_ERRORS = 1000

# --- Writing ----------------------------------------------------------------------------------------------

INSERT_FIELDS = (
    "indicator",
    "territory",
    "perimeter",
    "is_france",
    "year",
    "date",
    "period",
    "value",
    "numerator",
    "denominator",
    "is_computed",
    "source_note",
    "batch",
)


def insert_observations(rows: list[tuple]) -> None:
    """Insert rows of INSERT_FIELDS values (already validated and rounded), BATCH_SIZE at a time.

    Not `bulk_create`: its SQL compiler costs about 40 µs per object (field by field preparation), which
    alone would eat most of the "1 million values in 60 s" budget. PostgreSQL gets COPY; other databases a
    parameterised executemany. Constraints (one place, uniqueness) are still enforced by the database.
    """
    if not rows:
        return
    meta = Observation._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in INSERT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(INSERT_FIELDS))})"  # noqa: S608
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


# --- The engine -------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    rows_read: int = 0
    rows_valid: int = 0
    rows_invalid: int = 0
    written: int = 0
    replaced: int = 0
    unchanged: int = 0
    empty_cells: int = 0
    secret_cells: int = 0
    zero_padded: int = 0
    error_count: int = 0
    errors: list[dict] = field(default_factory=list)
    by_indicator: Counter = field(default_factory=Counter)
    years: set = field(default_factory=set)
    aggregates: dict = field(default_factory=dict)
    file_error: str = ""

    def add_error(self, line: int, column: str, message: str, code: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"line": line, "column": column, "code": code, "message": message})

    def to_dict(self) -> dict:
        return {
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "rows_invalid": self.rows_invalid,
            "written": self.written,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "empty_cells": self.empty_cells,
            "secret_cells": self.secret_cells,
            "zero_padded": self.zero_padded,
            "error_count": self.error_count,
            "errors": self.errors,
            "errors_truncated": self.error_count > len(self.errors),
            "by_indicator": dict(self.by_indicator),
            "years": sorted(self.years),
            "aggregates": self.aggregates,
            "file_error": self.file_error,
        }


# One observation waiting to be written: (line, column name, indicator id, place, year, date, period,
# value, numerator, denominator).
Pending = tuple[int, str, int, int, int, date | None, str, Decimal, Decimal | None, Decimal | None]


class ObservationImporter:
    """Reads a file row by row; with `write`, inserts the valid observations by batches."""

    def __init__(
        self,
        *,
        path: Path,
        fmt: CsvFormat,
        plan: ColumnPlan,
        resolver: PlaceResolver,
        level: str = "auto",
        write: bool = True,
        replace_existing: bool = False,
        source_note: str = "",
        batch_id: int | None = None,
    ):
        self.path, self.fmt, self.plan, self.resolver, self.level = path, fmt, plan, resolver, level
        self.write, self.replace_existing = write, replace_existing
        self.source_note, self.batch_id = source_note[:300], batch_id
        self.report = ImportReport()
        self.pending: list[Pending] = []
        self.seen: dict[int, int] = {}  # place and period packed in one int → first line
        ids = plan.indicator_ids
        self.check_existing = bool(ids) and (
            Observation.objects.filter(indicator_id__in=ids, is_computed=False).exists()
        )

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        with open(self.path, encoding=self.fmt.encoding, newline="") as f:
            reader = csv.reader(f, delimiter=self.fmt.delimiter)
            next(reader, None)  # header
            previous = reader.line_num
            for cells in reader:
                yield previous + 1, cells  # a quoted value may span lines: report where the row starts
                previous = reader.line_num

    def run(self, *, limit: int | None = None, keep_rows: int = 0) -> list[tuple[int, list[str]]]:
        """Process the file (or its first `limit` rows). Returns the first `keep_rows` rows for a preview."""
        plan, report = self.plan, self.report
        kept: list[tuple[int, list[str]]] = []
        for name in plan.unknown:
            report.add_error(
                1,
                name,
                _(
                    "colonne « %(name)s » inconnue : renommez-la avec le code d'un indicateur du catalogue, "
                    "ou choisissez dans l'aperçu l'indicateur qu'elle contient (ou « ignorer »)"
                )
                % {"name": name},
                "unknown_column",
            )
        width = len(plan.header)
        for line, cells in self.rows():
            if len(cells) <= 1 and not "".join(cells).strip():
                continue  # blank line
            if limit is not None and report.rows_read >= limit:
                break
            report.rows_read += 1
            if len(kept) < keep_rows:
                kept.append((line, cells))
            self._row(line, cells, width)
            if len(self.pending) >= BATCH_SIZE:
                self.flush()
        self.flush()
        return kept

    def _row(self, line: int, cells: list[str], width: int) -> None:
        plan, report = self.plan, self.report
        if len(cells) != width:
            report.add_error(
                line,
                "",
                _(
                    "la ligne a %(n)s colonnes au lieu de %(expected)s : une valeur contient-elle le "
                    "séparateur (%(sep)s) ?"
                )
                % {"n": len(cells), "expected": width, "sep": self.fmt.delimiter_label},
                "bad_width",
            )
            report.rows_invalid += 1
            return
        errors_before = report.error_count
        codgeo = cells[plan.codgeo]
        level = self.level
        if plan.nivgeo is not None and cells[plan.nivgeo].strip():
            level = NIVGEO_LEVELS.get(column_key(cells[plan.nivgeo]), level)
        place = None
        try:
            place = self.resolver.resolve(codgeo, level)
            if len(codgeo.strip()) == 4 and codgeo.strip().isdigit():
                report.zero_padded += 1
        except ValueError as exc:
            report.add_error(line, plan.header[plan.codgeo], str(exc), "unknown_place")
        period = None
        try:
            period = parse_period(cells[plan.an])
        except ValueError as exc:
            report.add_error(
                line,
                plan.header[plan.an],
                _("année « %(raw)s » illisible : %(why)s") % {"raw": cells[plan.an].strip(), "why": exc},
                "bad_period",
            )
        if place is not None and period is not None:
            year, when = period[0], period[1]
            key = place * 100_000_000 + (when.year * 10_000 + when.month * 100 + when.day if when else year)
            first = self.seen.get(key)
            if first is not None:
                report.add_error(
                    line,
                    "",
                    _(
                        "ligne en double : la ligne %(first)s a déjà le même codgeo (%(code)s) et la même année"
                    )
                    % {"first": first, "code": codgeo.strip()},
                    "duplicate_row",
                )
            else:
                self.seen[key] = line
        row_pending = []
        for group in plan.groups:
            item = self._values(line, cells, group)
            if item is not None and place is not None and period is not None:
                value, numerator, denominator, column = item
                year, when, key = period
                row_pending.append(
                    (line, column, group.indicator.pk, place, year, when, key, value, numerator, denominator)
                )
        if report.error_count > errors_before:
            report.rows_invalid += 1
            return
        report.rows_valid += 1
        self.pending.extend(row_pending)

    def _cell(self, line: int, cells: list[str], index: int | None, indicator: Indicator):
        if index is None:
            return None
        try:
            return parse_number(cells[index], decimal_comma=self.fmt.decimal_comma)
        except NumberError as exc:
            self.report.add_error(
                line,
                self.plan.header[index],
                _(
                    "valeur « %(raw)s » illisible pour « %(code)s » : %(why)s. Écrivez un nombre, "
                    "par exemple 12,5 ou 1 250 (laissez la case vide s'il n'y a pas de valeur)"
                )
                % {"raw": cells[index].strip()[:40], "code": indicator.code, "why": exc},
                "bad_number",
            )
            return NumberError

    def _values(self, line: int, cells: list[str], group: IndicatorColumns):
        """(value, numerator, denominator, column) of one indicator in a row, or None (nothing to write)."""
        indicator, report = group.indicator, self.report
        value = self._cell(line, cells, group.value, indicator)
        numerator = self._cell(line, cells, group.numerator, indicator)
        denominator = self._cell(line, cells, group.denominator, indicator)
        parts = (value, numerator, denominator)
        if NumberError in parts:
            return None
        if SECRET in parts:
            report.secret_cells += 1
            return None
        column = self.plan.header[group.value if group.value is not None else group.numerator]
        if numerator is not None and denominator is not None:
            if denominator <= 0 or numerator < 0:
                report.add_error(
                    line,
                    column,
                    _("le dénominateur de « %(code)s » doit être positif et le numérateur pas négatif")
                    % {"code": indicator.code},
                    "bad_ratio",
                )
                return None
            if value is None:
                value = (numerator / denominator * indicator.scale).quantize(QUANTUM, rounding=ROUND_HALF_UP)
        elif numerator is not None or denominator is not None:
            numerator = denominator = None  # half a ratio is no ratio: keep the value alone
        if value is None:
            report.empty_cells += 1
            return None
        if indicator.is_percent and not Decimal(0) <= value <= Decimal(100):
            report.add_error(
                line,
                column,
                _("« %(code)s » est un pourcentage : la valeur %(value)s doit être entre 0 et 100")
                % {"code": indicator.code, "value": plain(value)},
                "out_of_range",
            )
            return None
        if indicator.aggregation == Indicator.Aggregation.SUM and value < 0:
            report.add_error(
                line,
                column,
                _("« %(code)s » est un effectif : il ne peut pas être négatif") % {"code": indicator.code},
                "out_of_range",
            )
            return None
        return value, numerator, denominator, column

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if not pending:
            return
        report = self.report
        to_delete: list[int] = []
        if self.check_existing:
            existing = self._existing(pending)
            bad_lines: set[int] = set()
            unchanged: set[tuple] = set()
            for item in pending:
                line, column, indicator_id, place, _y, _d, period, value, numerator, denominator = item
                found = existing.get((indicator_id, place, period))
                if found is None:
                    continue
                pk, old_value, old_num, old_den, batch_id = found
                if (old_value, old_num, old_den) == (value, numerator, denominator):
                    unchanged.add((indicator_id, place, period))
                elif self.replace_existing:
                    to_delete.append(pk)
                else:
                    bad_lines.add(line)
                    report.add_error(
                        line,
                        column,
                        _(
                            "une autre valeur est déjà enregistrée (%(old)s, import n° %(batch)s) : cochez "
                            "« remplacer les valeurs déjà enregistrées » pour la remplacer"
                        )
                        % {"old": plain(old_value), "batch": batch_id or "?"},
                        "existing_value",
                    )
            if bad_lines:
                invalid = len(bad_lines)
                report.rows_valid -= invalid
                report.rows_invalid += invalid
            pending = [p for p in pending if p[0] not in bad_lines and (p[2], p[3], p[6]) not in unchanged]
            report.unchanged += len(unchanged)
            report.replaced += len(to_delete)
        for item in pending:
            report.by_indicator[item[2]] += 1
            report.years.add(item[4])
        report.written += len(pending)
        if not self.write:
            return
        if to_delete:
            Observation.objects.filter(pk__in=to_delete).delete()
        note, batch_id = self.source_note, self.batch_id
        insert_observations(
            [
                (
                    indicator_id,
                    place if place > 0 else None,
                    -place if place < 0 else None,
                    place == FRANCE,
                    year,
                    when,
                    period,
                    value,
                    numerator,
                    denominator,
                    False,
                    note,
                    batch_id,
                )
                for _line, _col, indicator_id, place, year, when, period, value, numerator, denominator in pending
            ]
        )

    def _existing(self, pending: list[Pending]) -> dict[tuple[int, int, str], tuple]:
        indicator_ids = {p[2] for p in pending}
        places = {p[3] for p in pending}
        periods = {p[6] for p in pending}
        where = Q(territory_id__in=[p for p in places if p > 0]) | Q(
            perimeter_id__in=[-p for p in places if p < 0]
        )
        if FRANCE in places:
            where |= Q(is_france=True)
        rows = Observation.objects.filter(
            where, indicator_id__in=indicator_ids, period__in=periods, is_computed=False
        ).values_list(
            "pk",
            "indicator_id",
            "territory_id",
            "perimeter_id",
            "period",
            "value",
            "numerator",
            "denominator",
            "batch_id",
        )
        out = {}
        for pk, indicator_id, territory_id, perimeter_id, period, value, num, den, batch_id in rows:
            place = territory_id if territory_id else (-perimeter_id if perimeter_id else FRANCE)
            out[(indicator_id, place, period)] = (pk, value, num, den, batch_id)
        return out
