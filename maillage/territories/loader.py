"""Load the official territories from the npm package @etalab/decoupage-administratif.

Files read (in `<package>/data/`): regions.json, departements.json, epci.json, communes.json.

- Communes: `commune-actuelle` → commune; `commune-deleguee` and `commune-associee` (their `chefLieu` is the
  commune they belong to) and `arrondissement-municipal` (its `commune`) get `parent_commune_code`.
- EPCI: the commune → EPCI link only exists in each EPCI's `membres` list; communes déléguées, associées and
  arrondissements municipaux inherit the EPCI of their parent commune. An EPCI gets a département / région
  code only when all its communes share it.
- Population: a commune's `population` is the INSEE *population municipale* (the EPCI files' member rows
  carry both `populationMunicipale` and `populationTotale`: summing the communes' `population` over an EPCI
  is 2× closer to its `populationMunicipale` than to its `populationTotale`, the gap being the newer vintage
  of the communes file). So EPCI use `populationMunicipale`; départements and régions get the sum of their
  communes (kind commune only, so that arrondissements and communes déléguées are not counted twice).

The load is an upsert by (kind, code) in one transaction: rows referenced elsewhere (a workspace's
territory is PROTECT, perimeters list communes) keep their primary key. Rows that vanished from the
package are deleted unless something references them; those are kept with their old millésime.
"""

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError

from maillage.territories.models import ReferentialLoad, Territory
from maillage.territories.normalize import build_search_text

PACKAGE = "@etalab/decoupage-administratif"
DEFAULT_PATH = Path(settings.BASE_DIR) / "node_modules" / "@etalab" / "decoupage-administratif"
# Major version of the npm package → millésime (year of the Code officiel géographique it carries).
MILLESIMES = {6: "2026", 5: "2025", 4: "2024"}
BATCH_SIZE = 2000

Kind = Territory.Kind
COMMUNE_TYPES = {
    "commune-actuelle": Kind.COMMUNE,
    "commune-deleguee": Kind.COMMUNE_DELEGUEE,
    "commune-associee": Kind.COMMUNE_ASSOCIEE,
    "arrondissement-municipal": Kind.ARRONDISSEMENT_MUNICIPAL,
}
UPDATE_FIELDS = [
    "name",
    "subkind",
    "search_text",
    "postal_codes",
    "population",
    "region_code",
    "departement_code",
    "epci_code",
    "parent_commune_code",
    "millesime",
]
POSTAL_CODES_MAX = Territory._meta.get_field("postal_codes").max_length


class ReferentialError(Exception):
    """The package is missing, unreadable or of an unknown version. The message says how to fix it."""


@dataclass
class LoadResult:
    version: str
    millesime: str
    skipped: bool = False
    counts: dict = field(default_factory=dict)
    deleted: int = 0
    kept_obsolete: int = 0
    seconds: float = 0.0


def read_version(path: Path) -> tuple[str, str]:
    """(package version, millésime) read from the package's package.json."""
    package_json = path / "package.json"
    try:
        version = json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except FileNotFoundError as exc:
        raise ReferentialError(
            f"{package_json} introuvable : installez les paquets npm (`npm ci`) ou indiquez --path."
        ) from exc
    except (ValueError, KeyError) as exc:
        raise ReferentialError(f"{package_json} illisible ou sans « version » : {exc}") from exc
    try:
        major = int(str(version).split(".")[0])
        millesime = MILLESIMES[major]
    except (ValueError, KeyError) as exc:
        raise ReferentialError(
            f"Version {version} de {PACKAGE} inconnue : ajoutez son millésime dans "
            "maillage.territories.loader.MILLESIMES."
        ) from exc
    return str(version), millesime


def _read(path: Path, name: str) -> list[dict]:
    try:
        with (path / "data" / name).open(encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise ReferentialError(f"Impossible de lire {path / 'data' / name} : {exc}") from exc


def _postal_codes(codes: list[str] | None) -> str:
    out = ""
    for code in codes or ():
        candidate = f"{out} {code}" if out else code
        if len(candidate) > POSTAL_CODES_MAX:
            break
        out = candidate
    return out


def build_territories(path: Path, millesime: str) -> list[Territory]:
    """Unsaved Territory objects for every region, département, EPCI and commune of the package."""
    regions = _read(path, "regions.json")
    departements = _read(path, "departements.json")
    epcis = _read(path, "epci.json")
    communes = _read(path, "communes.json")

    epci_of = {member["code"]: epci["code"] for epci in epcis for member in epci.get("membres", ())}
    rows: list[Territory] = []
    dep_population: dict[str, int] = defaultdict(int)
    region_population: dict[str, int] = defaultdict(int)
    epci_deps: dict[str, set] = defaultdict(set)
    epci_regions: dict[str, set] = defaultdict(set)

    for item in communes:
        kind = COMMUNE_TYPES.get(item.get("type"))
        if kind is None:
            continue
        code = item["code"]
        parent = "" if kind == Kind.COMMUNE else (item.get("chefLieu") or item.get("commune") or "")
        epci_code = epci_of.get(code if kind == Kind.COMMUNE else parent, "")
        population = item.get("population")
        dep, region = item.get("departement", ""), item.get("region", "")
        if kind == Kind.COMMUNE:
            if population is not None:
                dep_population[dep] += population
                region_population[region] += population
            if epci_code:
                epci_deps[epci_code].add(dep)
                epci_regions[epci_code].add(region)
        rows.append(
            Territory(
                kind=kind,
                code=code,
                name=item["nom"],
                search_text=build_search_text(item["nom"]),
                postal_codes=_postal_codes(item.get("codesPostaux")),
                population=population,
                region_code=region,
                departement_code=dep,
                epci_code=epci_code,
                parent_commune_code=parent,
                millesime=millesime,
            )
        )

    for item in epcis:
        code = item["code"]
        deps, regs = epci_deps.get(code, set()), epci_regions.get(code, set())
        rows.append(
            Territory(
                kind=Kind.EPCI,
                code=code,
                name=item["nom"],
                subkind=item.get("type", ""),
                search_text=build_search_text(item["nom"], is_epci=True),
                population=item.get("populationMunicipale", item.get("populationTotale")),
                departement_code=next(iter(deps)) if len(deps) == 1 else "",
                region_code=next(iter(regs)) if len(regs) == 1 else "",
                millesime=millesime,
            )
        )
    for item in departements:
        rows.append(
            Territory(
                kind=Kind.DEPARTEMENT,
                code=item["code"],
                name=item["nom"],
                search_text=build_search_text(item["nom"]),
                population=dep_population.get(item["code"]),
                region_code=item.get("region", ""),
                millesime=millesime,
            )
        )
    for item in regions:
        rows.append(
            Territory(
                kind=Kind.REGION,
                code=item["code"],
                name=item["nom"],
                search_text=build_search_text(item["nom"]),
                population=region_population.get(item["code"]),
                millesime=millesime,
            )
        )
    return rows


def is_loaded(version: str) -> bool:
    """True when the latest load is this version and no row was added or removed since (two cheap queries)."""
    latest = ReferentialLoad.objects.filter(source=PACKAGE).order_by("-loaded_at", "-pk").first()
    return (
        latest is not None
        and latest.version == version
        and latest.counts.get("total_rows") == Territory.objects.count()
    )


def load_referential(*, path: Path | str | None = None, force: bool = False) -> LoadResult:
    """Load (or reload) the referential; a no-op when the same version is already in the database."""
    started = time.perf_counter()
    path = Path(path) if path else DEFAULT_PATH
    version, millesime = read_version(path)
    if not force and is_loaded(version):
        return LoadResult(version=version, millesime=millesime, skipped=True)
    rows = build_territories(path, millesime)
    result = _replace(rows, version=version, millesime=millesime)
    result.seconds = time.perf_counter() - started
    return result


@transaction.atomic
def _replace(rows: list[Territory], *, version: str, millesime: str) -> LoadResult:
    existing = {(kind, code): pk for pk, kind, code in Territory.objects.values_list("pk", "kind", "code")}
    if existing:
        Territory.objects.bulk_create(
            rows,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["kind", "code"],
            update_fields=UPDATE_FIELDS,
        )
    else:  # first load: nothing can conflict, a plain insert will do
        Territory.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    fresh = {(row.kind, row.code) for row in rows}
    vanished = [pk for key, pk in existing.items() if key not in fresh]
    deleted = kept = 0
    if vanished:
        deletable = Territory.objects.filter(
            pk__in=vanished, workspaces__isnull=True, perimeters__isnull=True
        )
        deletable_ids = list(deletable.values_list("pk", flat=True).distinct())
        try:
            with transaction.atomic():
                for start in range(0, len(deletable_ids), BATCH_SIZE):
                    deleted += (
                        Territory.objects.filter(pk__in=deletable_ids[start : start + BATCH_SIZE])
                        .delete()[1]
                        .get(Territory._meta.label, 0)
                    )
        except ProtectedError:  # another app protects some of them: keep every vanished row
            deleted = 0
        kept = len(vanished) - deleted

    counts = dict(sorted(Counter(str(row.kind) for row in rows).items()))
    counts["total_rows"] = Territory.objects.count()
    counts["deleted"] = deleted
    counts["kept_obsolete"] = kept
    ReferentialLoad.objects.create(source=PACKAGE, version=version, millesime=millesime, counts=counts)
    return LoadResult(
        version=version, millesime=millesime, counts=counts, deleted=deleted, kept_obsolete=kept
    )
