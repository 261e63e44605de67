"""Export of a workspace's directory as data·inclusion v1 (JSON and CSV), each record validated by the package.

Only public data leaves: private contacts, people and the services' private contacts are never exported.
Records created in Maillage get source "maillage-<workspace>" and id "<source>--<pk>"; imported ones keep
their source and id, so re-importing an export updates instead of duplicating.
"""

import csv
import io
import json
from datetime import date

import pydantic
from data_inclusion.schema import v1 as di
from django.db.models import Prefetch
from django.utils import timezone

from maillage.directory.choices import ContactKind
from maillage.directory.importers import export_source
from maillage.directory.models import Category, Contact, Service, Structure
from maillage.territories.models import Territory

STRUCTURE_FIELDS = list(di.Structure.model_fields)
SERVICE_FIELDS = list(di.Service.model_fields)


def _record_id(obj, workspace) -> tuple[str, str]:
    if obj.source and obj.source_id:
        return obj.source, obj.source_id
    source = export_source(workspace)
    return source, f"{source}--{obj.pk}"


def _day(moment) -> date:
    return min(timezone.localdate(moment), date.today()) if moment else date.today()


def _valid(model, record: dict) -> dict | None:
    """The record as the package dumps it; optional fields the package refuses are dropped (twice at most)."""
    record = {k: v for k, v in record.items() if v not in (None, "", [])}
    for _attempt in range(3):
        try:
            dumped = model.model_validate(record).model_dump(mode="json", exclude_none=True)
            return {
                k: sorted(v) if isinstance(v, list) and k != "zone_eligibilite" else v
                for k, v in dumped.items()
            }
        except pydantic.ValidationError as error:
            bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            required = {name for name, f in model.model_fields.items() if f.is_required()}
            if not bad or bad & required:
                return None
            record = {k: v for k, v in record.items() if k not in bad}
    return None


def _code(value: str, length: int) -> str | None:
    return value if value and len(value) == length else None


def export_datainclusion(workspace) -> dict[str, list[dict]]:
    """{"structures": [...], "services": [...]}: data·inclusion v1 records, valid against the package."""
    categories = {c.pk: c for c in Category.objects.only("id", "reseaux_porteurs")}
    public_contacts = Prefetch(
        "contacts", queryset=Contact.objects.filter(is_public=True).order_by("position", "id")
    )
    structures_qs = (
        Structure.objects.filter(workspace=workspace)
        .select_related("commune")
        .prefetch_related(public_contacts, Prefetch("categories", queryset=Category.objects.only("id")))
        .order_by("pk")
    )
    structure_ids: dict[int, str] = {}
    structures = []
    for s in structures_qs:
        source, record_id = _record_id(s, workspace)
        structure_ids[s.pk] = record_id
        contacts = list(s.contacts.all())
        reseaux = set(s.reseaux_porteurs) | {
            r for c in s.categories.all() for r in categories[c.pk].reseaux_porteurs
        }
        record = _valid(
            di.Structure,
            {
                "source": source,
                "id": record_id,
                "nom": s.name,
                "date_maj": _day(s.checked_at),
                "description": s.description if len(s.description.strip()) >= 5 else None,
                "siret": s.siret or None,
                "commune": s.commune_name or None,
                "code_postal": _code(s.postal_code, 5),
                "code_insee": s.commune.code if s.commune_id else None,
                "adresse": s.address,
                "complement_adresse": s.address_extra,
                "longitude": s.longitude,
                "latitude": s.latitude,
                "telephone": next((c.value for c in contacts if c.kind == ContactKind.PHONE), None),
                "courriel": next((c.value for c in contacts if c.kind == ContactKind.EMAIL), None),
                "site_web": s.website,
                "horaires_accueil": s.opening_hours,
                "reseaux_porteurs": sorted(reseaux),
            },
        )
        if record is not None:
            structures.append(record)
    region_departements: dict[str, list[str]] = {}
    for code, region in Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT).values_list(
        "code", "region_code"
    ):
        region_departements.setdefault(region, []).append(code)
    services = []
    services_qs = (
        Service.objects.filter(workspace=workspace, structure_id__in=structure_ids)
        .select_related("commune")
        .prefetch_related("zone_territories")
        .order_by("pk")
    )
    for s in services_qs:
        source, record_id = _record_id(s, workspace)
        zone = ["france"] if s.zone_france else []
        for t in s.zone_territories.all():
            zone += region_departements.get(t.code, []) if t.kind == Territory.Kind.REGION else [t.code]
        record = _valid(
            di.Service,
            {
                "source": source,
                "id": record_id,
                "structure_id": structure_ids[s.structure_id],
                "nom": s.nom,
                "description": s.description,
                "date_maj": _day(s.updated_at),
                "type": s.type or None,
                "thematiques": s.thematiques,
                "frais": s.frais or None,
                "frais_precisions": s.frais_precisions,
                "publics": s.publics,
                "publics_precisions": s.publics_precisions,
                "conditions_acces": s.conditions_acces,
                "commune": s.commune.name if s.commune_id else None,
                "code_postal": _code(s.postal_code, 5),
                "code_insee": s.commune.code if s.commune_id else None,
                "adresse": s.address,
                "complement_adresse": s.address_extra,
                "longitude": s.longitude,
                "latitude": s.latitude,
                "telephone": s.telephone if s.contact_public else None,
                "courriel": s.courriel if s.contact_public else None,
                "modes_accueil": s.modes_accueil,
                "zone_eligibilite": list(dict.fromkeys(zone)),
                "lien_mobilisation": s.lien_mobilisation,
                "modes_mobilisation": s.modes_mobilisation,
                "mobilisable_par": s.mobilisable_par,
                "mobilisation_precisions": s.mobilisation_precisions,
                "volume_horaire_hebdomadaire": s.volume_horaire_hebdomadaire,
                "nombre_semaines": s.nombre_semaines,
                "horaires_accueil": s.horaires_accueil,
            },
        )
        if record is not None:
            services.append(record)
    return {"structures": structures, "services": services}


def to_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)


def to_csv(records: list[dict], fields: list[str]) -> str:
    """One row per record; lists joined by commas (what read_records splits again)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ",".join(map(str, v)) if isinstance(v, list) else v for k, v in record.items()})
    return out.getvalue()
