"""Values computed for groups of communes — shown as "calculé" — where the indicator's rule allows it.

- EPCI, départements and perimeters from their communes; régions from their départements; France from its
  régions. An imported (official) value always wins: a computed value is stored only where none exists.
- Rules: `sum` adds the members' values; `ratio` divides the sum of the numerators by the sum of the
  denominators (members' rates are never averaged); `none` (medians, D9/D1…) is never computed.
- Complete coverage only: if one member has no value (not published, statistical secrecy), the group gets
  none. So a value hidden by secrecy can never be recovered by subtracting the others from a total.

Called by the import service for the indicators it touched, and by `manage.py observations_aggregate`.
Grouping is done by the database (one GROUP BY per indicator and level), not row by row in Python.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, Sum

from maillage.diagnostics.models import VALUE_DECIMALS, Indicator, Observation
from maillage.territories.models import Perimeter, Territory

Kind = Territory.Kind
COMMUNE_KINDS = (Kind.COMMUNE, Kind.ARRONDISSEMENT_MUNICIPAL, Kind.COMMUNE_DELEGUEE, Kind.COMMUNE_ASSOCIEE)
QUANTUM = Decimal(1).scaleb(-VALUE_DECIMALS)
BATCH_SIZE = 5000
ZERO = Decimal(0)


@dataclass
class Total:
    """The running sums of a group's members for one period."""

    year: int
    date: date | None
    members: int = 0
    value: Decimal = ZERO
    numerator: Decimal = ZERO
    denominator: Decimal = ZERO
    with_numerator: int = 0
    with_denominator: int = 0

    def add(self, n, value, numerator, with_num, denominator, with_den) -> None:
        self.members += n
        self.value += value or ZERO
        self.numerator += numerator or ZERO
        self.denominator += denominator or ZERO
        self.with_numerator += with_num
        self.with_denominator += with_den


def combine(indicator: Indicator, total: Total, expected: int):
    """(value, numerator, denominator) of a complete group, or None when the rule or coverage forbids it."""
    if expected <= 0 or total.members != expected:
        return None
    if indicator.aggregation == Indicator.Aggregation.SUM:
        return total.value.quantize(QUANTUM, rounding=ROUND_HALF_UP), None, None
    if indicator.aggregation == Indicator.Aggregation.RATIO:
        if total.with_numerator != expected or total.with_denominator != expected or total.denominator <= 0:
            return None
        value = total.numerator / total.denominator * indicator.scale
        return (
            value.quantize(QUANTUM, rounding=ROUND_HALF_UP),
            total.numerator.quantize(QUANTUM),
            total.denominator.quantize(QUANTUM),
        )
    return None


@dataclass
class Geography:
    """Who belongs to whom, and how many members each group has: read once per computation."""

    epci_ids: dict[str, int] = field(default_factory=dict)
    departement_ids: dict[str, int] = field(default_factory=dict)
    region_ids: dict[str, int] = field(default_factory=dict)
    # France as INSEE counts it: metropolitan and overseas régions (DROM), whose codes have 2 characters;
    # the collectivités d'outre-mer (975, 977, 978, 984, 986-989) are listed as régions but not counted.
    france_region_ids: set[int] = field(default_factory=set)
    communes_per_epci: Counter = field(default_factory=Counter)
    communes_per_departement: Counter = field(default_factory=Counter)
    region_of_departement: dict[int, str] = field(default_factory=dict)
    departements_per_region: Counter = field(default_factory=Counter)
    communes_per_perimeter: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Geography":
        geo = cls()
        rows = Territory.objects.filter(kind__in=[Kind.EPCI, Kind.DEPARTEMENT, Kind.REGION]).values_list(
            "pk", "kind", "code", "region_code"
        )
        for pk, kind, code, region_code in rows:
            if kind == Kind.EPCI:
                geo.epci_ids[code] = pk
            elif kind == Kind.DEPARTEMENT:
                geo.departement_ids[code] = pk
                geo.region_of_departement[pk] = region_code
                geo.departements_per_region[region_code] += 1
            else:
                geo.region_ids[code] = pk
                if len(code) == 2:
                    geo.france_region_ids.add(pk)
        communes = (
            Territory.objects.filter(kind=Kind.COMMUNE)
            .values_list("epci_code", "departement_code")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for epci_code, departement_code, n in communes:
            if epci_code:
                geo.communes_per_epci[epci_code] += n
            geo.communes_per_departement[departement_code] += n
        geo.communes_per_perimeter = dict(
            Perimeter.objects.annotate(n=Count("communes")).filter(n__gt=0).values_list("pk", "n").order_by()
        )
        return geo


def _sums(qs, *group_by: str):
    return (
        qs.values(*group_by, "period")
        .annotate(
            first_year=Min("year"),
            first_date=Min("date"),
            n=Count("pk"),
            total=Sum("value"),
            num=Sum("numerator"),
            with_num=Count("numerator"),
            den=Sum("denominator"),
            with_den=Count("denominator"),
        )
        .order_by()
    )


def _place_kwargs(place: tuple[str, int]) -> dict:
    kind, pk = place
    if kind == "t":
        return {"territory_id": pk}
    if kind == "p":
        return {"perimeter_id": pk}
    return {"is_france": True}


def _compute_indicator(indicator: Indicator, geo: Geography) -> list[Observation]:
    base = Observation.objects.filter(indicator=indicator, is_computed=False)
    # Official values of groups: they win over computed ones and feed the next level up.
    direct: dict[tuple[tuple[str, int], str], tuple] = {}
    direct_rows = base.filter(
        Q(territory__kind__in=[Kind.EPCI, Kind.DEPARTEMENT, Kind.REGION])
        | Q(perimeter__isnull=False)
        | Q(is_france=True)
    ).values_list(
        "territory_id", "perimeter_id", "period", "year", "date", "value", "numerator", "denominator"
    )
    for territory_id, perimeter_id, period, year, when, value, numerator, denominator in direct_rows:
        place = ("t", territory_id) if territory_id else (("p", perimeter_id) if perimeter_id else ("fr", 0))
        direct[(place, period)] = (year, when, value, numerator, denominator)

    groups: dict[tuple[tuple[str, int], str], tuple[Total, int]] = {}
    epci_totals: dict[tuple[str, str], Total] = {}
    departement_totals: dict[tuple[str, str], Total] = {}
    for row in _sums(
        base.filter(territory__kind=Kind.COMMUNE), "territory__epci_code", "territory__departement_code"
    ):
        args = (row["n"], row["total"], row["num"], row["with_num"], row["den"], row["with_den"])
        for code, totals in (
            (row["territory__epci_code"], epci_totals),
            (row["territory__departement_code"], departement_totals),
        ):
            if code:
                totals.setdefault((code, row["period"]), Total(row["first_year"], row["first_date"])).add(
                    *args
                )
    for (code, period), total in epci_totals.items():
        if code in geo.epci_ids:
            groups[(("t", geo.epci_ids[code]), period)] = (total, geo.communes_per_epci[code])
    for (code, period), total in departement_totals.items():
        if code in geo.departement_ids:
            groups[(("t", geo.departement_ids[code]), period)] = (total, geo.communes_per_departement[code])
    if geo.communes_per_perimeter:
        in_perimeters = base.filter(territory__kind__in=COMMUNE_KINDS, territory__perimeters__isnull=False)
        for row in _sums(in_perimeters, "territory__perimeters"):
            pk = row["territory__perimeters"]
            total = Total(row["first_year"], row["first_date"])
            total.add(row["n"], row["total"], row["num"], row["with_num"], row["den"], row["with_den"])
            groups[(("p", pk), row["period"])] = (total, geo.communes_per_perimeter.get(pk, 0))

    computed: list[Observation] = []
    # Départements (official or computed) → régions → France.
    departement_values: dict[tuple[int, str], tuple] = {}

    def keep(place, period, year, when, parts) -> None:
        value, numerator, denominator = parts
        computed.append(
            Observation(
                indicator=indicator,
                **_place_kwargs(place),
                year=year,
                date=when,
                period=period,
                value=value,
                numerator=numerator,
                denominator=denominator,
                is_computed=True,
                source_note="",
            )
        )

    for (place, period), (total, expected) in groups.items():
        if (place, period) in direct:
            continue
        parts = combine(indicator, total, expected)
        if parts is None:
            continue
        keep(place, period, total.year, total.date, parts)
        if place[0] == "t" and place[1] in geo.region_of_departement:
            departement_values[(place[1], period)] = (total.year, total.date, *parts)
    for ((kind, pk), period), values in direct.items():
        if kind == "t" and pk in geo.region_of_departement:
            departement_values[(pk, period)] = values

    region_totals: dict[tuple[str, str], Total] = {}
    for (departement_id, period), (year, when, value, numerator, denominator) in departement_values.items():
        total = region_totals.setdefault(
            (geo.region_of_departement[departement_id], period), Total(year, when)
        )
        total.add(1, value, numerator, numerator is not None, denominator, denominator is not None)
    region_values: dict[tuple[int, str], tuple] = {}
    for (region_code, period), total in region_totals.items():
        region_id = geo.region_ids.get(region_code)
        if region_id is None:
            continue
        if (("t", region_id), period) in direct:
            continue
        parts = combine(indicator, total, geo.departements_per_region[region_code])
        if parts is not None:
            keep(("t", region_id), period, total.year, total.date, parts)
            region_values[(region_id, period)] = (total.year, total.date, *parts)
    region_pks = set(geo.region_ids.values())
    for ((kind, pk), period), values in direct.items():
        if kind == "t" and pk in region_pks:
            region_values[(pk, period)] = values

    france_totals: dict[str, Total] = {}
    for (region_id, period), (year, when, value, numerator, denominator) in region_values.items():
        if region_id not in geo.france_region_ids:
            continue
        total = france_totals.setdefault(period, Total(year, when))
        total.add(1, value, numerator, numerator is not None, denominator, denominator is not None)
    for period, total in france_totals.items():
        if (("fr", 0), period) in direct:
            continue
        parts = combine(indicator, total, len(geo.france_region_ids))
        if parts is not None:
            keep(("fr", 0), period, total.year, total.date, parts)
    return computed


def aggregates_compute(*, indicator_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute every "calculé" value of these indicators (all aggregable ones by default).

    Returns {indicator code: number of computed values}. Call it inside a transaction (the services do).
    """
    indicators = Indicator.objects.exclude(aggregation=Indicator.Aggregation.NONE)
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=list(indicator_ids))
    geo = Geography.load()
    counts: dict[str, int] = {}
    for indicator in indicators:
        Observation.objects.filter(indicator=indicator, is_computed=True).delete()
        computed = _compute_indicator(indicator, geo)
        Observation.objects.bulk_create(computed, batch_size=BATCH_SIZE)
        counts[indicator.code] = len(computed)
    return counts
