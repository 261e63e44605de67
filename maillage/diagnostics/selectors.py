"""Reads of the observatoire shared by views, API and benchmarks: places, portraits, import previews.

A portrait costs a fixed number of queries whatever the number of indicators: the catalogue (1), the
comparison territories (1), the observations of every place (1).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maillage.diagnostics import charts, tables
from maillage.diagnostics.importers import (
    ColumnPlan,
    CsvFormat,
    ImportFileError,
    ObservationImporter,
    PlaceResolver,
    plan_columns,
    read_header,
)
from maillage.diagnostics.models import ImportBatch, Indicator, Observation
from maillage.territories.models import Perimeter, Territory
from maillage.territories.selectors import territory_parents

Kind = Territory.Kind
PREVIEW_ROWS = 20
PREVIEW_CHECK_ROWS = 2000


# --- Numbers ----------------------------------------------------------------------------------------------


def is_french() -> bool:
    return (get_language() or "fr").startswith("fr")


def format_number(value, decimals: int = 0, *, french: bool | None = None) -> str:
    """12345.6 → "12 345,6" in French (narrow no-break space), "12,345.6" in English."""
    text = f"{Decimal(value):,.{decimals}f}"
    if is_french() if french is None else french:
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def format_value(value, indicator: Indicator) -> str:
    return _with_unit(format_number(value, indicator.decimals), indicator)


def _with_unit(number: str, indicator: Indicator) -> str:
    return f"{number}\u00a0{indicator.unit}"


# --- Places -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where values are observed: a territory, a perimeter or France."""

    key: str  # "t<id>", "p<id>" or "fr"
    name: str
    kind_label: str
    url: str = ""
    territory_id: int | None = None
    perimeter_id: int | None = None

    @property
    def is_france(self) -> bool:
        return self.key == "fr"


def france_place() -> Place:
    return Place("fr", "France", _("France entière"), reverse("diagnostics:france"))


def place_for_territory(territory: Territory) -> Place:
    return Place(
        f"t{territory.pk}",
        territory.name,
        str(territory.get_kind_display()),
        reverse("diagnostics:territory", kwargs={"kind": territory.kind, "code": territory.code}),
        territory_id=territory.pk,
    )


def place_for_perimeter(perimeter: Perimeter) -> Place:
    return Place(
        f"p{perimeter.pk}",
        perimeter.name,
        str(perimeter.get_kind_display()),
        reverse("diagnostics:perimeter", kwargs={"pk": perimeter.pk}),
        perimeter_id=perimeter.pk,
    )


def comparisons_for_territory(territory: Territory) -> list[Place]:
    """Its commune (for a commune déléguée…), EPCI, département, région, then France. One query."""
    parents = territory_parents(territory)
    places = [
        place_for_territory(parents[name])
        for name in ("commune", "epci", "departement", "region")
        if parents[name]
    ]
    return [p for p in places if p.territory_id != territory.pk] + [france_place()]


def comparisons_for_perimeter(perimeter: Perimeter) -> list[Place]:
    """The EPCI, département and région shared by all its communes (when they share one), then France."""
    rows = set(perimeter.communes.values_list("epci_code", "departement_code", "region_code").order_by())
    wanted = []
    for index, kind in enumerate((Kind.EPCI, Kind.DEPARTEMENT, Kind.REGION)):
        codes = {row[index] for row in rows}
        if len(codes) == 1 and "" not in codes:
            wanted.append((kind, codes.pop()))
    places = []
    if wanted:
        condition = Q()
        for kind, code in wanted:
            condition |= Q(kind=kind, code=code)
        found = {(t.kind, t.code): t for t in Territory.objects.filter(condition)}
        places = [place_for_territory(found[key]) for key in wanted if key in found]
    return places + [france_place()]


# --- Portrait ---------------------------------------------------------------------------------------------


@dataclass
class Cell:
    value: Decimal | None = None
    computed: bool = False
    display: str = ""  # with its unit: "17,2 %"
    number: str = ""  # without: "17,2"


@dataclass
class PlaceRow:
    place: Place
    cells: list[Cell]
    is_main: bool = False


@dataclass
class IndicatorBlock:
    indicator: Indicator
    periods: list[str] = field(default_factory=list)
    period_labels: list[str] = field(default_factory=list)
    rows: list[PlaceRow] = field(default_factory=list)
    latest_label: str = ""
    latest: list[tuple[PlaceRow, Cell]] = field(default_factory=list)
    bar_svg: str = ""
    bar_table: str = ""
    line_svg: str = ""
    series_table: str = ""
    has_computed: bool = False
    has_data: bool = False


@dataclass
class ThemeSection:
    code: str
    label: str
    blocks: list[IndicatorBlock]


def period_label(period: str) -> str:
    if len(period) == 10:  # 2021-12-31 → 31/12/2021
        return f"{period[8:10]}/{period[5:7]}/{period[:4]}"
    return period


def indicators_catalogue() -> list[Indicator]:
    return list(Indicator.objects.all())


def portrait(
    main: Place,
    comparisons: list[Place],
    *,
    codes: list[str] | None = None,
    indicators: list[Indicator] | None = None,
) -> list[ThemeSection]:
    """Every chosen indicator (default: those with a value for `main`) with its values for `main` and the
    comparison places, its charts and its tables, grouped by theme. One query (two without `indicators`)."""
    places = [main, *comparisons]
    if indicators is None:
        indicators = indicators_catalogue()
    chosen = {i.pk for i in indicators if i.code in codes} if codes else None
    fields = ("indicator_id", "territory_id", "perimeter_id", "period", "value", "is_computed")
    # One statement; a UNION rather than an OR so that each part uses its own index (an OR with
    # is_france makes SQLite scan the whole table).
    parts = []
    territory_ids = [p.territory_id for p in places if p.territory_id]
    perimeter_ids = [p.perimeter_id for p in places if p.perimeter_id]
    if territory_ids:
        parts.append(Observation.objects.filter(territory_id__in=territory_ids))
    if perimeter_ids:
        parts.append(Observation.objects.filter(perimeter_id__in=perimeter_ids))
    if any(p.is_france for p in places):
        parts.append(Observation.objects.filter(is_france=True))
    if chosen is not None:
        parts = [qs.filter(indicator_id__in=chosen) for qs in parts]
    parts = [qs.values_list(*fields).order_by() for qs in parts]
    rows = parts[0].union(*parts[1:], all=True) if parts else []
    values: dict[int, dict[str, dict[str, tuple[Decimal, bool]]]] = defaultdict(lambda: defaultdict(dict))
    for indicator_id, territory_id, perimeter_id, period, value, computed in rows:
        key = f"t{territory_id}" if territory_id else (f"p{perimeter_id}" if perimeter_id else "fr")
        values[indicator_id][key][period] = (value, computed)
    sections: dict[str, list[IndicatorBlock]] = defaultdict(list)
    french = is_french()
    for indicator in indicators:
        by_place = values.get(indicator.pk, {})
        if chosen is None and not by_place.get(main.key):
            continue
        if chosen is not None and indicator.pk not in chosen:
            continue
        sections[indicator.theme].append(_block(indicator, places, by_place, french))
    return [
        ThemeSection(code, str(label), sections[code])
        for code, label in Indicator.Theme.choices
        if sections[code]
    ]


def _block(indicator: Indicator, places: list[Place], by_place: dict, french: bool) -> IndicatorBlock:
    block = IndicatorBlock(indicator)
    block.periods = sorted({period for series in by_place.values() for period in series})
    block.period_labels = [period_label(p) for p in block.periods]
    for index, place in enumerate(places):
        series = by_place.get(place.key, {})
        cells = []
        for period in block.periods:
            if period in series:
                value, computed = series[period]
                number = format_number(value, indicator.decimals, french=french)
                cells.append(Cell(value, computed, _with_unit(number, indicator), number))
                block.has_computed |= computed
            else:
                cells.append(Cell())
        block.rows.append(PlaceRow(place, cells, is_main=index == 0))
    if not block.periods:
        return block
    block.has_data = True
    main_cells = block.rows[0].cells
    latest_index = max(
        (i for i, c in enumerate(main_cells) if c.value is not None), default=len(block.periods) - 1
    )
    block.latest_label = block.period_labels[latest_index]
    block.latest = [(row, row.cells[latest_index]) for row in block.rows]
    empty = _("pas de donnée")
    bars = [
        charts.Bar(_place_label(row, cell), cell.value, cell.display, highlight=row.is_main)
        for row, cell in block.latest
    ]
    described = "; ".join(f"{bar.label} : {bar.display or empty}" for bar in bars)
    block.bar_svg = charts.bar_chart(
        chart_id=f"graphique-{indicator.code}-comparaison",
        title=_("%(label)s en %(period)s : comparaison")
        % {"label": indicator.label, "period": block.latest_label},
        description=described,
        bars=bars,
        empty_label=empty,
    )
    code = indicator.code
    block.bar_table = tables.comparison_table(
        table_id=f"comparaison-{code}",
        caption=_("%(label)s en %(period)s") % {"label": indicator.short_label, "period": block.latest_label},
        rows=[(row.place.name, cell.display, cell.computed) for row, cell in block.latest],
    )
    if len(block.periods) >= 2:
        series = [
            charts.Series(
                _place_label(row, Cell(computed=any(c.computed for c in row.cells))),
                [c.value for c in row.cells],
            )
            for row in block.rows
            if any(c.value is not None for c in row.cells)
        ]
        first, last = block.period_labels[0], block.period_labels[-1]
        trend = "; ".join(
            f"{row.place.name} : "
            + ", ".join(
                f"{label} {cell.display}"
                for label, cell in zip(block.period_labels, row.cells, strict=True)
                if cell.value is not None
            )
            for row in block.rows
            if any(c.value is not None for c in row.cells)
        )
        block.line_svg = charts.line_chart(
            chart_id=f"graphique-{indicator.code}-evolution",
            title=_("%(label)s de %(first)s à %(last)s")
            % {"label": indicator.label, "first": first, "last": last},
            description=trend,
            x_labels=block.period_labels,
            series=series,
            fmt=lambda v, d=indicator.decimals: format_number(v, d if v != int(v) else 0, french=french),
        )
        caption = _("%(label)s : évolution (%(unit)s)") % {
            "label": indicator.short_label,
            "unit": indicator.unit,
        }
        if block.has_computed:
            caption += " — " + _("* valeur calculée")
        block.series_table = tables.series_table(
            table_id=f"evolution-{code}",
            caption=caption,
            period_labels=block.period_labels,
            rows=[(row.place.name, [(c.number, c.computed) for c in row.cells]) for row in block.rows],
        )
    return block


def _place_label(row: PlaceRow, cell: Cell) -> str:
    label = row.place.name
    if cell.computed:
        label += " " + _("(calculé)")
    return label


# --- Import preview ---------------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    line: int
    cells: list[str]
    errors: list[str]


@dataclass
class ImportPreview:
    fmt: CsvFormat
    plan: ColumnPlan | None
    rows: list[PreviewRow]
    checked_rows: int = 0
    error_count: int = 0
    header_errors: list[dict] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    other_errors: list[dict] = field(default_factory=list)
    empty_cells: int = 0
    secret_cells: int = 0


def import_plan(batch: ImportBatch, indicators: list[Indicator] | None = None) -> ColumnPlan | None:
    """How the batch's columns are read with the mapping recorded on it (None if the header is unreadable)."""
    fmt = CsvFormat(batch.encoding, batch.delimiter, batch.decimal_comma)
    try:
        header = read_header(Path(batch.file.path), fmt)
    except (ImportFileError, UnicodeDecodeError, OSError):
        return None
    by_code = {i.code: i for i in (indicators if indicators is not None else indicators_catalogue())}
    return plan_columns(header, indicators=by_code, mapping=batch.mapping)


def import_preview(batch: ImportBatch, *, mapping: dict | None = None) -> ImportPreview:
    """The first rows of the file with their errors, checked like the import would (without writing), on
    at most PREVIEW_CHECK_ROWS rows."""
    fmt = CsvFormat(batch.encoding, batch.delimiter, batch.decimal_comma)
    path = Path(batch.file.path)
    try:
        header = read_header(path, fmt)
    except (ImportFileError, UnicodeDecodeError, OSError) as exc:
        return ImportPreview(fmt, None, [], file_errors=[str(exc)])
    indicators = {i.code: i for i in Indicator.objects.all()}
    plan = plan_columns(header, indicators=indicators, mapping=batch.mapping if mapping is None else mapping)
    preview = ImportPreview(fmt, plan, [], file_errors=list(plan.errors))
    if plan.errors:
        return preview
    importer = ObservationImporter(
        path=path,
        fmt=fmt,
        plan=plan,
        resolver=PlaceResolver(workspace=batch.workspace),
        level=batch.level,
        write=False,
        replace_existing=batch.replace_existing,
    )
    kept = importer.run(limit=PREVIEW_CHECK_ROWS, keep_rows=PREVIEW_ROWS)
    report = importer.report
    by_line: dict[int, list[str]] = defaultdict(list)
    shown = {line for line, _cells in kept}
    for error in report.errors:
        if error["line"] == 1:
            preview.header_errors.append(error)
        elif error["line"] in shown:
            by_line[error["line"]].append(
                f"{error['column']} : {error['message']}" if error["column"] else error["message"]
            )
        elif len(preview.other_errors) < 50:
            preview.other_errors.append(error)
    preview.rows = [PreviewRow(line, cells, by_line.get(line, [])) for line, cells in kept]
    preview.checked_rows = report.rows_read
    preview.error_count = report.error_count
    preview.empty_cells, preview.secret_cells = report.empty_cells, report.secret_cells
    return preview


def recent_imports(workspace=None, limit: int = 10):
    qs = ImportBatch.objects.select_related("created_by").filter(workspace=workspace)
    return qs[:limit]


# --- API --------------------------------------------------------------------------------------------------


def public_observations():
    """Observations anyone may read: territories, France, and perimeters that are public."""
    from maillage.territories.selectors import visible_perimeters

    return Observation.objects.filter(
        Q(perimeter__isnull=True) | Q(perimeter__in=visible_perimeters(None).values("pk"))
    ).select_related("indicator", "territory", "perimeter")
