"""Every write of the directory. Each function checks the actor's right (PermissionDenied), validates (French
ValidationError) and keeps the search index up to date. `actor=None` is the system (commands, demo)."""

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.services import audit_record
from maillage.directory.choices import (
    MOBILISABLE_PAR_LABELS,
    MODE_ACCUEIL_LABELS,
    MODE_MOBILISATION_LABELS,
    PUBLIC_LABELS,
    RESEAU_PORTEUR_LABELS,
    THEMATIQUE_LABELS,
    ContactKind,
)
from maillage.directory.models import (
    Category,
    Contact,
    Link,
    LinkKind,
    Network,
    Person,
    PersonRole,
    PersonRoleKind,
    Place,
    Scheme,
    Service,
    Structure,
)
from maillage.directory.quality import QualityReport, quality_score  # noqa: F401  (part of the services API)
from maillage.directory.search_index import bump_version, reindex_structures, service_facet_text
from maillage.directory.validators import normalize_siret


def _require(actor, perm: str, obj) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _check_values(values: Sequence[str], allowed: dict, label: str) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError(
            _("%(label)s : valeur inconnue « %(values)s ».") % {"label": label, "values": ", ".join(unknown)}
        )
    return list(dict.fromkeys(values))


@dataclass
class ContactInput:
    kind: str
    value: str
    label: str = ""
    is_public: bool = True


@dataclass
class StructureInput:
    """Everything a person or an import may set on a structure."""

    name: str
    acronym: str = ""
    legal_form: str = ""
    description: str = ""
    address: str = ""
    address_extra: str = ""
    postal_code: str = ""
    commune: object = None  # territories.Territory
    commune_label: str = ""
    latitude: float | None = None
    longitude: float | None = None
    siret: str = ""
    website: str = ""
    opening_hours: str = ""
    categories: Sequence[Category] = ()
    reseaux_porteurs: Sequence[str] = ()
    action_territories: Sequence = ()
    action_perimeters: Sequence = ()
    update_frequency_days: int = 180
    contacts: Sequence[ContactInput] | None = None  # None: keep the existing ones on update
    source: str = ""
    source_id: str = ""

    SCALAR_FIELDS = (
        "name", "acronym", "legal_form", "description", "address", "address_extra", "postal_code", "commune",
        "commune_label", "latitude", "longitude", "siret", "website", "opening_hours", "update_frequency_days",
        "source", "source_id",
    )  # fmt: skip


def _apply_structure(structure: Structure, data: StructureInput) -> None:
    for name in StructureInput.SCALAR_FIELDS:
        value = getattr(data, name)
        setattr(structure, name, value.strip() if isinstance(value, str) else value)
    structure.siret = normalize_siret(structure.siret)
    structure.reseaux_porteurs = _check_values(
        data.reseaux_porteurs, RESEAU_PORTEUR_LABELS, _("Réseaux porteurs")
    )
    structure.full_clean(exclude=["workspace", "created_by", "search_text", "sort_name"])


def _save_relations(structure: Structure, data: StructureInput) -> None:
    structure.categories.set(data.categories)
    structure.action_territories.set(data.action_territories)
    structure.action_perimeters.set(data.action_perimeters)
    if data.contacts is not None:
        structure.contacts.all().delete()
        contacts = []
        for position, contact in enumerate(c for c in data.contacts if c.value.strip()):
            if contact.kind not in ContactKind.values:
                raise ValidationError(_("Type de coordonnée inconnu : %(kind)s.") % {"kind": contact.kind})
            item = Contact(
                structure=structure,
                kind=contact.kind,
                value=contact.value.strip(),
                label=contact.label.strip(),
                is_public=contact.is_public,
                position=position,
            )
            item.full_clean(exclude=["structure"])
            contacts.append(item)
        Contact.objects.bulk_create(contacts)


@transaction.atomic
def structure_create(*, actor, workspace, data: StructureInput) -> Structure:
    _require(actor, "directory.contribute", workspace)
    structure = Structure(workspace=workspace, created_by=actor if getattr(actor, "pk", None) else None)
    _apply_structure(structure, data)
    structure.save()
    _save_relations(structure, data)
    reindex_structures([structure.pk])
    return structure


@transaction.atomic
def structure_update(*, actor, structure: Structure, data: StructureInput) -> Structure:
    _require(actor, "directory.change_structure", structure)
    _apply_structure(structure, data)
    structure.save()
    _save_relations(structure, data)
    reindex_structures([structure.pk])
    return structure


def structure_input_from(structure: Structure) -> StructureInput:
    """The current values of a structure, to change a few of them and call structure_update."""
    values = {
        f.name: getattr(structure, f.name)
        for f in fields(StructureInput)
        if f.name in StructureInput.SCALAR_FIELDS
    }
    return StructureInput(
        **values,
        categories=list(structure.categories.all()),
        reseaux_porteurs=list(structure.reseaux_porteurs),
        action_territories=list(structure.action_territories.all()),
        action_perimeters=list(structure.action_perimeters.all()),
        contacts=None,
    )


@transaction.atomic
def structure_mark_checked(*, actor, structure: Structure) -> Structure:
    """ "These details are still right": resets the freshness of the record."""
    _require(actor, "directory.change_structure", structure)
    structure.last_checked_at = timezone.now()
    structure.save(update_fields=["last_checked_at", "updated_at"])
    return structure


@transaction.atomic
def structure_delete(*, actor, structure: Structure) -> None:
    _require(actor, "directory.change_structure", structure)
    audit_record(
        actor=actor,
        action="directory.structure_delete",
        target=structure,
        workspace=structure.workspace,
        details={"name": structure.name},
    )
    workspace_id = structure.workspace_id
    structure.delete()
    bump_version(workspace_id)


@dataclass
class ServiceInput:
    """A service, with data·inclusion v1's fields and vocabulary."""

    nom: str
    description: str
    type: str = ""
    thematiques: Sequence[str] = ()
    publics: Sequence[str] = ()
    publics_precisions: str = ""
    conditions_acces: str = ""
    frais: str = ""
    frais_precisions: str = ""
    modes_accueil: Sequence[str] = ()
    modes_mobilisation: Sequence[str] = ()
    mobilisable_par: Sequence[str] = ()
    mobilisation_precisions: str = ""
    lien_mobilisation: str = ""
    telephone: str = ""
    courriel: str = ""
    contact_public: bool = True
    address: str = ""
    address_extra: str = ""
    postal_code: str = ""
    commune: object = None
    latitude: float | None = None
    longitude: float | None = None
    horaires_accueil: str = ""
    zone_france: bool = False
    zone_territories: Sequence = field(default_factory=list)
    volume_horaire_hebdomadaire: float | None = None
    nombre_semaines: int | None = None
    source: str = ""
    source_id: str = ""

    LIST_FIELDS = {
        "thematiques": (THEMATIQUE_LABELS, "Thématiques"),
        "publics": (PUBLIC_LABELS, "Publics"),
        "modes_accueil": (MODE_ACCUEIL_LABELS, "Modes d'accueil"),
        "modes_mobilisation": (MODE_MOBILISATION_LABELS, "Modes de mobilisation"),
        "mobilisable_par": (MOBILISABLE_PAR_LABELS, "Mobilisable par"),
    }


def apply_service(service: Service, data: ServiceInput) -> None:
    """Set and validate a service's fields (without saving): shared by the services below and the importer."""
    for f in fields(ServiceInput):
        if f.name == "zone_territories":
            continue
        value = getattr(data, f.name)
        if f.name in ServiceInput.LIST_FIELDS:
            allowed, label = ServiceInput.LIST_FIELDS[f.name]
            value = _check_values(value or [], allowed, _(label))
        elif isinstance(value, str):
            value = value.strip()
        setattr(service, f.name, value)
    if "tous-publics" in service.publics and len(service.publics) > 1:
        raise ValidationError(_("« Tous publics » ne peut pas être choisi avec d'autres publics."))
    service.facet_text = service_facet_text(service)
    service.full_clean(exclude=["workspace", "structure", "created_by", "facet_text"])


@transaction.atomic
def service_create(*, actor, structure: Structure, data: ServiceInput) -> Service:
    _require(actor, "directory.add_to_structure", structure)
    service = Service(
        workspace_id=structure.workspace_id,
        structure=structure,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    apply_service(service, data)
    service.save()
    service.zone_territories.set(data.zone_territories)
    reindex_structures([structure.pk])
    return service


@transaction.atomic
def service_update(*, actor, service: Service, data: ServiceInput) -> Service:
    _require(actor, "directory.change_structure", service.structure)
    apply_service(service, data)
    service.save()
    service.zone_territories.set(data.zone_territories)
    reindex_structures([service.structure_id])
    return service


def _side(value, workspace, role: str) -> dict:
    if isinstance(value, Structure):
        if value.workspace_id != workspace.pk:
            raise ValidationError(_("La structure liée doit appartenir à cet espace."))
        return {f"{role}_structure": value}
    if isinstance(value, Scheme):
        if value.workspace_id not in (None, workspace.pk):
            raise ValidationError(
                _("Le dispositif lié doit appartenir à cet espace ou être un dispositif de référence.")
            )
        return {f"{role}_scheme": value}
    raise ValidationError(_("Un lien relie deux structures ou dispositifs."))


@transaction.atomic
def link_create(
    *,
    actor,
    workspace,
    kind: LinkKind,
    source: Structure | Scheme,
    target: Structure | Scheme,
    scale: str = "",
    stage: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    note: str = "",
) -> Link:
    """A qualified link: "source est <kind> de target" (e.g. the CAF, financeur of the centre social)."""
    _require(actor, "directory.contribute", workspace)
    sides = _side(source, workspace, "source") | _side(target, workspace, "target")
    if source == target:
        raise ValidationError(_("Une structure ne peut pas être liée à elle-même."))
    if Link.objects.filter(workspace=workspace, kind=kind, **sides).exists():
        raise ValidationError(_("Ce lien existe déjà."))
    link = Link(
        workspace=workspace,
        kind=kind,
        scale=scale,
        stage=stage,
        start_date=start_date,
        end_date=end_date,
        note=note.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
        **sides,
    )
    link.full_clean(exclude=["workspace", "created_by"])
    link.save()
    return link


@transaction.atomic
def link_delete(*, actor, link: Link) -> None:
    structure = link.source_structure or link.target_structure
    if structure is not None:
        _require(actor, "directory.change_structure", structure)
    else:
        _require(actor, "directory.animate", link.workspace)
    link.delete()


@transaction.atomic
def place_create(
    *,
    actor,
    workspace,
    name: str,
    structure: Structure | None = None,
    description: str = "",
    address: str = "",
    commune=None,
    capacity: int | None = None,
    accessible: bool = False,
    accessibility: str = "",
    cost: str = "",
    who_to_ask: str = "",
) -> Place:
    _require(actor, "directory.contribute", workspace)
    if structure is not None and structure.workspace_id != workspace.pk:
        raise ValidationError(_("La structure gestionnaire doit appartenir à cet espace."))
    place = Place(
        workspace=workspace,
        name=name.strip(),
        structure=structure,
        description=description,
        address=address,
        commune=commune,
        capacity=capacity,
        accessible=accessible,
        accessibility=accessibility,
        cost=cost,
        who_to_ask=who_to_ask,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    place.full_clean(exclude=["workspace", "created_by"])
    place.save()
    return place


@dataclass
class RoleInput:
    structure: Structure
    kind: PersonRoleKind | None = None
    title: str = ""
    is_relay: bool = False


@transaction.atomic
def person_create(
    *,
    actor,
    workspace,
    display_name: str,
    consent_given_at: datetime | None,
    consent_scope: str,
    show_publicly: bool = False,
    roles: Sequence[RoleInput] = (),
    user=None,
) -> Person:
    """Record a person, only with their consent (date and what they agreed to). Audited."""
    _require(actor, "directory.animate", workspace)
    if consent_given_at is None or not consent_scope.strip():
        raise ValidationError(
            _(
                "Une personne n'est inscrite dans l'annuaire qu'avec son accord : notez la date de son "
                "consentement et ce qu'elle a accepté."
            )
        )
    person = Person(
        workspace=workspace,
        display_name=display_name.strip(),
        consent_given_at=consent_given_at,
        consent_scope=consent_scope.strip(),
        show_publicly=show_publicly,
        user=user,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    person.full_clean(exclude=["workspace", "created_by", "user"])
    person.save()
    for role in roles:
        if role.structure.workspace_id != workspace.pk:
            raise ValidationError(_("La structure doit appartenir à cet espace."))
        PersonRole.objects.create(
            person=person, structure=role.structure, kind=role.kind, title=role.title, is_relay=role.is_relay
        )
    audit_record(actor=actor, action="directory.person_create", target=person, workspace=workspace)
    return person


@transaction.atomic
def person_delete(*, actor, person: Person) -> None:
    """Consent withdrawn: the person and their roles disappear. Audited (without the name)."""
    if actor is None or actor.pk != person.user_id:
        _require(actor, "directory.animate", person.workspace)
    audit_record(
        actor=actor, action="directory.person_delete", workspace=person.workspace, details={"id": person.pk}
    )
    person.delete()


@transaction.atomic
def network_create(
    *,
    actor,
    workspace,
    name: str,
    scale: str = "",
    description: str = "",
    structures: Sequence[Structure] = (),
) -> Network:
    _require(actor, "directory.contribute", workspace)
    if any(s.workspace_id != workspace.pk for s in structures):
        raise ValidationError(_("Les membres d'un réseau doivent appartenir à cet espace."))
    network = Network(
        workspace=workspace,
        name=name.strip(),
        scale=scale,
        description=description,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    network.full_clean(exclude=["workspace", "created_by"])
    network.save()
    network.structures.set(structures)
    return network
