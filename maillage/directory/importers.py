"""Import of data·inclusion files (v1 JSON or CSV; v0 through datainclusion_v0) into a workspace's directory.

Every record is validated with the package's pydantic models (`data_inclusion.schema.v1.Structure`, `.Service`)
and with Maillage's own rules (SIRET check digit, field lengths, structure of each service). The report gives
counts and, for each rejected record, its id and the reason in French. Without `keep_valid`, one invalid record
means nothing is written; with it, the valid records are written. Everything is written in one transaction.
Re-importing the same source updates the records found by (source, id) instead of duplicating them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pydantic
from data_inclusion.schema import v1 as di
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.services import audit_record
from maillage.directory import datainclusion_v0 as v0
from maillage.directory.choices import ContactKind
from maillage.directory.datainclusion_read import (  # noqa: F401  (read_records, parse_csv: the import API)
    ImportFileError,
    french_reason,
    parse_csv,
    read_records,
)
from maillage.directory.models import Category, Contact, ImportReport, Service, Structure
from maillage.directory.search_index import reindex_structures, service_facet_text
from maillage.directory.validators import siret_is_valid, validate_opening_hours
from maillage.territories.models import Territory
from maillage.territories.selectors import COMMUNE_KINDS

Progress = Callable[[str, int, int], None]


@dataclass
class Rejection:
    kind: str  # "structure" or "service"
    id: str
    reason: str


@dataclass
class ImportResult:
    source: str
    schema_version: int
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False
    report: ImportReport | None = None

    def summary(self) -> str:
        c = self.counts
        return _(
            "%(s_ok)d structures valides sur %(s_all)d, %(v_ok)d services valides sur %(v_all)d ; "
            "%(created)d structures créées, %(updated)d mises à jour ; %(v_created)d services créés, "
            "%(v_updated)d mis à jour ; %(rejected)d rejets."
        ) % {
            "s_ok": c.get("structures_valid", 0),
            "s_all": c.get("structures_read", 0),
            "v_ok": c.get("services_valid", 0),
            "v_all": c.get("services_read", 0),
            "created": c.get("structures_created", 0),
            "updated": c.get("structures_updated", 0),
            "v_created": c.get("services_created", 0),
            "v_updated": c.get("services_updated", 0),
            "rejected": len(self.rejected),
        }


def _length_problems(model, values: dict) -> list[str]:
    problems = []
    for key, value in values.items():
        model_field = model._meta.get_field(key)
        if (
            isinstance(model_field, CharField)
            and isinstance(value, str)
            and len(value) > model_field.max_length
        ):
            problems.append(f"{key} : trop long (au plus {model_field.max_length} caractères)")
    return problems


class _Territories:
    """Territory lookups by official code, in a few queries for a whole file."""

    def __init__(self, codes: set[str]):
        self.by_key: dict[tuple[str, str], Territory] = {}
        for territory in Territory.objects.filter(code__in={c.upper() for c in codes if c}).order_by("kind"):
            kind = "commune" if territory.kind in COMMUNE_KINDS else territory.kind
            if (kind, territory.code) not in self.by_key or territory.kind == Territory.Kind.COMMUNE:
                self.by_key[(kind, territory.code)] = territory

    def commune(self, code: str | None) -> Territory | None:
        return self.by_key.get(("commune", (code or "").upper()))

    def zone(self, code: str) -> Territory | None:
        code = code.upper()
        if len(code) == 5:
            return self.by_key.get(("commune", code))
        if len(code) == 9:
            return self.by_key.get((Territory.Kind.EPCI, code))
        return self.by_key.get((Territory.Kind.DEPARTEMENT, code))


def region_departements(code: str) -> list[str]:
    return list(
        Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT, region_code=code)
        .order_by("code")
        .values_list("code", flat=True)
    )


# ---- importing -------------------------------------------------------------------------------------------------


def import_datainclusion(
    *,
    actor,
    workspace,
    structures: list[dict],
    services: list[dict],
    source: str | None = None,
    keep_valid: bool = False,
    schema_version: int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate then write (one transaction). Returns the result; its report is stored in ImportReport."""
    if actor is not None and not actor.has_perm("directory.animate", workspace):
        raise PermissionDenied("directory.animate")
    progress = progress or (lambda stage, done, total: None)
    warnings: list[str] = []
    version = (
        schema_version
        if schema_version is not None
        else (0 if v0.is_v0(structures, "structure") or v0.is_v0(services, "service") else 1)
    )
    if version == 0:
        structures = [_with_warnings(v0.adapt_structure, r, warnings) for r in structures]
        services = [_with_warnings(v0.adapt_service, r, warnings, region_departements) for r in services]
    source_name = (
        source or next((r.get("source") for r in structures + services if r.get("source")), "") or "import"
    )[:100]
    result = ImportResult(source=source_name, schema_version=version, warnings=warnings)
    result.counts = {"structures_read": len(structures), "services_read": len(services)}
    codes = {r.get("code_insee") or "" for r in structures + services}
    codes |= {c for r in services for c in (r.get("zone_eligibilite") or []) if isinstance(c, str)}
    territories = _Territories(codes)

    valid_structures = _validate_structures(structures, territories, result, progress)
    existing_structure_ids = set(
        Structure.objects.filter(workspace=workspace, source=source_name).values_list("source_id", flat=True)
    )
    valid_services = _validate_services(
        services, territories, result, progress, set(valid_structures) | existing_structure_ids
    )
    result.counts |= {"structures_valid": len(valid_structures), "services_valid": len(valid_services)}
    if not result.rejected or keep_valid:
        with transaction.atomic():
            _write(workspace, actor, source_name, valid_structures, valid_services, result, progress)
        result.written = True
    result.report = ImportReport.objects.create(
        workspace=workspace,
        source=source_name,
        actor=actor if getattr(actor, "pk", None) else None,
        written=result.written,
        keep_valid=keep_valid,
        counts=result.counts,
        rejected=[r.__dict__ for r in result.rejected],
        warnings=result.warnings[:1000],
    )
    audit_record(
        actor=actor,
        action="directory.import",
        target=result.report,
        workspace=workspace,
        details={"source": source_name, "written": result.written, "rejected": len(result.rejected)},
    )
    return result


def _with_warnings(adapter, record: dict, warnings: list[str], *args) -> dict:
    local: list[str] = []
    adapted = adapter(record, local, *args)
    warnings += [f"{record.get('id')} : {w}" for w in local]
    return adapted


def _validate_structures(
    records, territories: _Territories, result: ImportResult, progress: Progress
) -> dict:
    """{id: (validated model, Maillage values)} of the valid structures; rejections added to result."""
    valid: dict = {}
    seen: set[str] = set()
    for index, record in enumerate(records, 1):
        record_id = str(record.get("id") or f"ligne {index}")
        try:
            item = di.Structure.model_validate(record)
        except pydantic.ValidationError as error:
            result.rejected.append(Rejection("structure", record_id, french_reason(error)))
            continue
        problems = []
        if item.id in seen:
            problems.append("identifiant en double dans le fichier")
        if item.siret and not siret_is_valid(item.siret):
            problems.append(
                f"siret : « {item.siret} » a une clé de contrôle fausse (numéro SIRET inexistant)"
            )
        values = _structure_values(item, territories, record, result.warnings)
        problems += _length_problems(Structure, {k: v for k, v in values.items() if k != "contacts"})
        seen.add(item.id)
        if problems:
            result.rejected.append(Rejection("structure", item.id, " ; ".join(problems)))
            continue
        valid[item.id] = values
        if index % 500 == 0:
            progress("structures (validation)", index, len(records))
    progress("structures (validation)", len(records), len(records))
    return valid


def _opening_hours(value: str | None, record_id: str, warnings: list[str]) -> str:
    if not value:
        return ""
    try:
        validate_opening_hours(value)
    except Exception:  # noqa: BLE001 - any validation failure: keep the record, drop the field
        warnings.append(
            f"{record_id} : horaires_accueil « {value[:60]} » ignorés (pas au format OpenStreetMap)"
        )
        return ""
    return value


def _structure_values(
    item: di.Structure, territories: _Territories, record: dict, warnings: list[str]
) -> dict:
    commune = territories.commune(item.code_insee)
    if item.code_insee and commune is None:
        warnings.append(f"{item.id} : code_insee « {item.code_insee} » absent du référentiel des territoires")
    contact_public = record.get("_contact_public", True)
    contacts = [(ContactKind.PHONE, item.telephone), (ContactKind.EMAIL, item.courriel)]
    return {
        "name": item.nom,
        "description": item.description or "",
        "siret": item.siret or "",
        "address": item.adresse or "",
        "address_extra": item.complement_adresse or "",
        "postal_code": item.code_postal or "",
        "commune": commune,
        "commune_label": "" if commune else (item.commune or ""),
        "latitude": item.latitude,
        "longitude": item.longitude,
        "website": str(item.site_web) if item.site_web else "",
        "opening_hours": _opening_hours(item.horaires_accueil, item.id, warnings),
        "reseaux_porteurs": sorted(r.value for r in item.reseaux_porteurs or []),
        "contacts": [(kind, str(value), contact_public) for kind, value in contacts if value],
    }


def _validate_services(
    records, territories, result: ImportResult, progress: Progress, structure_ids: set[str]
) -> dict:
    valid: dict = {}
    rejected_structures = {r.id for r in result.rejected if r.kind == "structure"}
    seen: set[str] = set()
    for index, record in enumerate(records, 1):
        record_id = str(record.get("id") or f"ligne {index}")
        try:
            item = di.Service.model_validate(record)
        except pydantic.ValidationError as error:
            result.rejected.append(Rejection("service", record_id, french_reason(error)))
            continue
        problems = []
        if item.id in seen:
            problems.append("identifiant en double dans le fichier")
        if item.structure_id in rejected_structures:
            problems.append(f"structure_id : sa structure « {item.structure_id} » est rejetée")
        elif item.structure_id not in structure_ids:
            problems.append(
                f"structure_id : structure « {item.structure_id} » inconnue (ni dans le fichier, ni déjà importée)"
            )
        values = _service_values(item, territories, record, result.warnings)
        problems += _length_problems(Service, {k: v for k, v in values.items() if isinstance(v, str)})
        seen.add(item.id)
        if problems:
            result.rejected.append(Rejection("service", item.id, " ; ".join(problems)))
            continue
        valid[item.id] = (item.structure_id, values)
        if index % 1000 == 0:
            progress("services (validation)", index, len(records))
    progress("services (validation)", len(records), len(records))
    return valid


def _service_values(item: di.Service, territories: _Territories, record: dict, warnings: list[str]) -> dict:
    zone, france = [], False
    for code in item.zone_eligibilite or []:
        if code in ("france", "99100"):
            france = True
            continue
        territory = territories.zone(code)
        if territory is None:
            warnings.append(f"{item.id} : zone_eligibilite « {code} » absente du référentiel, ignorée")
        else:
            zone.append(territory)
    commune = territories.commune(item.code_insee)

    def values(enums) -> list[str]:
        return sorted(e.value for e in enums or [])

    return {
        "nom": item.nom,
        "description": item.description,
        "type": item.type.value if item.type else "",
        "thematiques": values(item.thematiques),
        "publics": values(item.publics),
        "publics_precisions": item.publics_precisions or "",
        "conditions_acces": item.conditions_acces or "",
        "frais": item.frais.value if item.frais else "",
        "frais_precisions": item.frais_precisions or "",
        "modes_accueil": values(item.modes_accueil),
        "modes_mobilisation": values(item.modes_mobilisation),
        "mobilisable_par": values(item.mobilisable_par),
        "mobilisation_precisions": item.mobilisation_precisions or "",
        "lien_mobilisation": str(item.lien_mobilisation) if item.lien_mobilisation else "",
        "telephone": item.telephone or "",
        "courriel": item.courriel or "",
        "contact_public": record.get("_contact_public", True),
        "address": item.adresse or "",
        "address_extra": item.complement_adresse or "",
        "postal_code": item.code_postal or "",
        "commune": commune,
        "latitude": item.latitude,
        "longitude": item.longitude,
        "horaires_accueil": _opening_hours(item.horaires_accueil, item.id, warnings),
        "zone_france": france,
        "zone": list(dict.fromkeys(zone)),
        "volume_horaire_hebdomadaire": item.volume_horaire_hebdomadaire,
        "nombre_semaines": item.nombre_semaines,
    }


# ---- writing ---------------------------------------------------------------------------------------------------


def export_source(workspace) -> str:
    """The `source` of records created in Maillage, in exports: re-importing an export finds them again."""
    return f"maillage-{workspace.slug}"[:100]


def _native_pk(record_id: str, source: str, workspace) -> int | None:
    prefix = export_source(workspace) + "--"
    if (
        source == export_source(workspace)
        and record_id.startswith(prefix)
        and record_id[len(prefix) :].isdigit()
    ):
        return int(record_id[len(prefix) :])
    return None


def _write(
    workspace, actor, source: str, structures: dict, services: dict, result: ImportResult, progress
) -> None:
    creator = actor if getattr(actor, "pk", None) else None
    existing = {
        s.source_id: s
        for s in Structure.objects.filter(workspace=workspace, source=source, source_id__in=list(structures))
    }
    native_ids = {sid: pk for sid in structures if (pk := _native_pk(sid, source, workspace))}
    existing |= {
        sid: s
        for s in Structure.objects.filter(workspace=workspace, source="", pk__in=native_ids.values())
        for sid, pk in native_ids.items()
        if pk == s.pk
    }
    to_create, to_update = [], []
    for source_id, values in structures.items():
        fields = {k: v for k, v in values.items() if k != "contacts"}
        structure = existing.get(source_id)
        if structure is None:
            structure = Structure(
                workspace=workspace, source=source, source_id=source_id, created_by=creator, **fields
            )
            to_create.append(structure)
            existing[source_id] = structure
        else:
            for key, value in fields.items():
                setattr(structure, key, value)
            to_update.append(structure)
    Structure.objects.bulk_create(to_create, batch_size=500)
    update_fields = [k for k in next(iter(structures.values()), {}) if k != "contacts"] + ["updated_at"]
    if to_update:
        now = timezone.now()
        for structure in to_update:
            structure.updated_at = now
        Structure.objects.bulk_update(to_update, update_fields, batch_size=500)
    progress("structures (écriture)", len(structures), len(structures))
    result.counts |= {"structures_created": len(to_create), "structures_updated": len(to_update)}

    written = [existing[sid] for sid in structures]
    Contact.objects.filter(structure__in=[s.pk for s in to_update]).delete()
    Contact.objects.bulk_create(
        [
            Contact(
                structure=existing[sid],
                kind=kind,
                value=value,
                label="data·inclusion",
                is_public=public,
                position=i,
            )
            for sid, values in structures.items()
            for i, (kind, value, public) in enumerate(values["contacts"])
        ],
        batch_size=1000,
    )
    _categories_from_reseaux(written, structures, existing)

    all_structures = dict(existing)
    missing = {sid for sid, _v in services.values()} - set(all_structures)
    all_structures |= {
        s.source_id: s
        for s in Structure.objects.filter(workspace=workspace, source=source, source_id__in=missing)
    }
    existing_services = {
        s.source_id: s
        for s in Service.objects.filter(workspace=workspace, source=source, source_id__in=list(services))
    }
    native_services = {sid: pk for sid in services if (pk := _native_pk(sid, source, workspace))}
    for service in Service.objects.filter(workspace=workspace, source="", pk__in=native_services.values()):
        existing_services |= {sid: service for sid, pk in native_services.items() if pk == service.pk}
    new_services, updated_services, zones = [], [], []
    for count, (source_id, (structure_id, values)) in enumerate(services.items(), 1):
        fields = {k: v for k, v in values.items() if k != "zone"}
        service = existing_services.get(source_id)
        if service is None:
            service = Service(
                workspace=workspace, source=source, source_id=source_id, created_by=creator, **fields
            )
            new_services.append(service)
        else:
            for key, value in fields.items():
                setattr(service, key, value)
            updated_services.append(service)
        service.structure = all_structures[structure_id]
        service.facet_text = service_facet_text(service)
        zones.append((service, values["zone"]))
        if count % 5000 == 0:
            progress("services (écriture)", count, len(services))
    Service.objects.bulk_create(new_services, batch_size=500)
    if updated_services:
        service_fields = [k for k in next(iter(services.values()))[1] if k != "zone"] + [
            "structure",
            "facet_text",
        ]
        Service.objects.bulk_update(updated_services, service_fields, batch_size=500)
    Through = Service.zone_territories.through
    Through.objects.filter(service_id__in=[s.pk for s in updated_services]).delete()
    Through.objects.bulk_create(
        [Through(service_id=s.pk, territory_id=t.pk) for s, territories in zones for t in territories],
        batch_size=2000,
    )
    progress("services (écriture)", len(services), len(services))
    result.counts |= {"services_created": len(new_services), "services_updated": len(updated_services)}
    touched = {s.pk for s in written} | {s.structure_id for s, _t in zones}
    reindex_structures(touched)
    progress("index de recherche", len(touched), len(touched))


def _categories_from_reseaux(written: list[Structure], structures: dict, existing: dict) -> None:
    """A data·inclusion reseau porteur that exactly one OUTIL 1 category implies gives that category."""
    by_reseau: dict[str, list[int]] = {}
    for category in Category.objects.only("id", "reseaux_porteurs"):
        for value in category.reseaux_porteurs or []:
            by_reseau.setdefault(value, []).append(category.pk)
    Through = Structure.categories.through
    rows = [
        Through(structure_id=existing[sid].pk, category_id=by_reseau[value][0])
        for sid, values in structures.items()
        for value in values["reseaux_porteurs"]
        if len(by_reseau.get(value, [])) == 1
    ]
    Through.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
