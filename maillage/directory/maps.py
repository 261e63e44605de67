"""Cartes d'acteurs (OUTIL 4): every write (create, wizard steps, cartopartie proposals and their review) and the
reads of a map (members, links, inclusivity check).

Cartopartie: any member who may contribute proposes actors and links; an animateur's own additions are validated
at once, the others wait for an animateur. Each addition is its own row (no lost update); the map's own fields
are saved only if the version the person edited is still the current one (optimistic locking)."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core.services import audit_record
from maillage.directory.choices import LegalForm
from maillage.directory.models import (
    ActorMap,
    ActorMapLink,
    ActorMapMember,
    Category,
    Link,
    LinkKind,
    Person,
    PersonRoleKind,
    ProposalStatus,
    Scheme,
    Structure,
)

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 3.0  # WCAG 2.1 non-text contrast (1.4.11) of a node colour on the white background
MAX_LEGEND = 12
DEFAULT_LEGEND = [
    {"key": "porteur", "label": "Porteurs de projet", "colour": "#1d4ed8"},
    {"key": "financeur", "label": "Financeurs", "colour": "#b45309"},
    {"key": "habitants", "label": "Habitants et collectifs", "colour": "#047857"},
    {"key": "ressource", "label": "Ressources et appuis", "colour": "#7c3aed"},
]
MAP_FIELDS = ("name", "purpose", "perimeter_note", "legend", "step")


def _require(actor, perm: str, obj) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    high, low = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def clean_legend(items: list[dict]) -> list[dict]:
    """The group's legend: labels and colours, each colour visible on white (contrast ≥ 3:1)."""
    legend, errors, keys = [], [], set()
    for item in items:
        label = (item.get("label") or "").strip()[:60]
        colour = (item.get("colour") or "").strip().lower()
        if not label:  # a colour picker always has a value: a row without a name is an unused row
            continue
        if not HEX.match(colour):
            errors.append(_("« %(label)s » : couleur attendue au format #RRVVBB.") % {"label": label})
            continue
        ratio = contrast_ratio(colour)
        if ratio < MIN_CONTRAST:
            errors.append(
                _(
                    "« %(label)s » : la couleur %(colour)s est trop claire sur fond blanc (contraste %(ratio).1f:1, "
                    "il faut au moins 3:1). Choisissez une couleur plus foncée."
                )
                % {"label": label, "colour": colour, "ratio": ratio}
            )
            continue
        key = (item.get("key") or slugify(label) or "c")[:40]
        while key in keys:
            key += "-2"
        keys.add(key)
        legend.append({"key": key, "label": label, "colour": colour})
    if len(legend) > MAX_LEGEND:
        errors.append(_("Une légende lisible a au plus %(n)d couleurs.") % {"n": MAX_LEGEND})
    if errors:
        raise ValidationError(errors)
    return legend


@transaction.atomic
def actor_map_create(
    *, actor, workspace, name: str, purpose: str = "", legend: list[dict] | None = None
) -> ActorMap:
    """Step 1 of the wizard: a named map with its purpose, and a starting legend the group can change."""
    _require(actor, "directory.animate", workspace)
    actor_map = ActorMap(
        workspace=workspace,
        name=name.strip(),
        purpose=purpose.strip(),
        legend=clean_legend(legend) if legend is not None else [dict(item) for item in DEFAULT_LEGEND],
        step=2,
        created_by=_user(actor),
    )
    actor_map.full_clean(exclude=["workspace", "created_by"])
    actor_map.save()
    audit_record(actor=actor, action="directory.map_create", target=actor_map, workspace=workspace)
    return actor_map


@transaction.atomic
def actor_map_update(
    *,
    actor,
    actor_map: ActorMap,
    version: int,
    territories=None,
    perimeters=None,
    schemes=None,
    networks=None,
    **values,
) -> ActorMap:
    """Save the map's own fields if nobody saved them since `version` was read; else a French error."""
    _require(actor, "directory.animate", actor_map.workspace)
    unknown = set(values) - set(MAP_FIELDS)
    if unknown:
        raise ValueError(f"unknown map fields: {unknown}")
    if "legend" in values:
        values["legend"] = clean_legend(values["legend"])
    if "name" in values:
        values["name"] = values["name"].strip()
        if not values["name"]:
            raise ValidationError(_("La carte a besoin d'un nom."))
    if "step" in values:
        values["step"] = max(actor_map.step, values["step"])
    updated = ActorMap.objects.filter(pk=actor_map.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise ValidationError(
            _(
                "Quelqu'un d'autre a modifié la carte pendant que vous la modifiiez. Rechargez la page : vos "
                "ajouts d'acteurs et de liens sont gardés, seuls ces réglages sont à refaire."
            )
        )
    for relation, items in (
        ("perimeter_territories", territories),
        ("perimeter_perimeters", perimeters),
        ("schemes", schemes),
        ("networks", networks),
    ):
        if items is not None:
            getattr(actor_map, relation).set(items)
    actor_map.refresh_from_db()
    return actor_map


def _status_for(actor, workspace) -> str:
    if actor is None or actor.has_perm("directory.animate", workspace):
        return ProposalStatus.VALIDATED
    return ProposalStatus.PROPOSED


@transaction.atomic
def member_add(
    *,
    actor,
    actor_map: ActorMap,
    record: Structure | Person | Scheme,
    legend_key: str = "",
    theme: str = "",
    intervention: str = "",
    stage: str = "",
) -> ActorMapMember:
    """Put an actor on the map (a proposal when the person is not an animateur)."""
    workspace = actor_map.workspace
    _require(actor, "directory.contribute", workspace)
    if isinstance(record, Structure) and record.workspace_id == workspace.pk:
        sides = {"structure": record}
    elif isinstance(record, Person) and record.workspace_id == workspace.pk:
        sides = {"person": record}
    elif isinstance(record, Scheme) and record.workspace_id in (None, workspace.pk):
        sides = {"scheme": record}
    else:
        raise ValidationError(_("Cet acteur n'appartient pas à cet espace."))
    if legend_key and legend_key not in actor_map.legend_by_key:
        raise ValidationError(_("Cette catégorie n'est pas dans la légende de la carte."))
    member = ActorMapMember(
        actor_map=actor_map,
        legend_key=legend_key,
        theme=theme.strip()[:150],
        intervention=intervention,
        stage=stage,
        status=_status_for(actor, workspace),
        proposed_by=_user(actor),
        **sides,
    )
    member.full_clean(exclude=["actor_map", "proposed_by", "structure", "person", "scheme"])
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:
        raise ValidationError(_("« %(name)s » est déjà sur la carte.") % {"name": record}) from error
    return member


@transaction.atomic
def map_link_add(
    *,
    actor,
    actor_map: ActorMap,
    source: ActorMapMember,
    target: ActorMapMember,
    kind: LinkKind,
    scale: str = "",
    stage: str = "",
    note: str = "",
) -> ActorMapLink:
    """Draw a qualified link between two actors of the map (a proposal when not an animateur)."""
    workspace = actor_map.workspace
    _require(actor, "directory.contribute", workspace)
    if source.actor_map_id != actor_map.pk or target.actor_map_id != actor_map.pk:
        raise ValidationError(_("Les deux acteurs doivent être sur la carte."))
    if source.pk == target.pk:
        raise ValidationError(_("Un acteur ne peut pas être lié à lui-même."))
    link = ActorMapLink(
        actor_map=actor_map,
        source=source,
        target=target,
        kind=kind,
        scale=scale,
        stage=stage,
        note=note.strip()[:255],
        status=_status_for(actor, workspace),
        proposed_by=_user(actor),
    )
    link.full_clean(exclude=["actor_map", "source", "target", "kind", "proposed_by"])
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:
        raise ValidationError(_("Ce lien est déjà sur la carte.")) from error
    return link


@transaction.atomic
def proposal_review(
    *, actor, item: ActorMapMember | ActorMapLink, accept: bool
) -> ActorMapMember | ActorMapLink:
    """An animateur validates or sets aside a proposed actor or link."""
    _require(actor, "directory.animate", item.actor_map.workspace)
    item.status = ProposalStatus.VALIDATED if accept else ProposalStatus.REJECTED
    item.reviewed_by = _user(actor)
    item.save(update_fields=["status", "reviewed_by"])
    return item


@transaction.atomic
def import_directory_links(*, actor, actor_map: ActorMap) -> int:
    """Copy onto the map the directory's links between structures that are on it. Returns how many were added."""
    _require(actor, "directory.animate", actor_map.workspace)
    members = {
        m.structure_id: m for m in actor_map.members.exclude(status=ProposalStatus.REJECTED) if m.structure_id
    }
    existing = set(actor_map.links.values_list("source_id", "target_id", "kind_id"))
    links = Link.objects.filter(source_structure_id__in=members, target_structure_id__in=members)
    new = []
    for link in links:
        source, target = members[link.source_structure_id], members[link.target_structure_id]
        key = (source.pk, target.pk, link.kind_id)
        if key in existing:
            continue
        existing.add(key)
        new.append(
            ActorMapLink(
                actor_map=actor_map,
                source=source,
                target=target,
                kind_id=link.kind_id,
                scale=link.scale,
                stage=link.stage,
                note=link.note,
                status=ProposalStatus.VALIDATED,
                proposed_by=_user(actor),
            )
        )
    ActorMapLink.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def add_scheme_actors(*, actor, actor_map: ActorMap) -> int:
    """OUTIL 4, "quels sont les acteurs impliqués dans ces dispositifs ?": put the chosen schemes on the map with
    their pilots (co-pilote) and funders (financeur) of this workspace, linked to them. Returns the actors added."""
    _require(actor, "directory.animate", actor_map.workspace)
    kinds = {k.code: k for k in LinkKind.objects.filter(code__in=["co_pilote", "financeur"])}
    members = {(m.kind, m.record.pk): m for m in map_members(actor_map)}
    added = 0

    def member_for(record, kind: str, legend_key: str = "") -> ActorMapMember:
        nonlocal added
        if (kind, record.pk) not in members:
            legend = legend_key if legend_key in actor_map.legend_by_key else ""
            members[(kind, record.pk)] = member_add(
                actor=actor, actor_map=actor_map, record=record, legend_key=legend
            )
            added += 1
        return members[(kind, record.pk)]

    existing = set(actor_map.links.values_list("source_id", "target_id", "kind_id"))
    for scheme in actor_map.schemes.prefetch_related("pilots", "funders"):
        scheme_member = member_for(scheme, "scheme")
        for role, structures, legend in (
            ("co_pilote", scheme.pilots.all(), "porteur"),
            ("financeur", scheme.funders.all(), "financeur"),
        ):
            for structure in structures:
                if structure.workspace_id != actor_map.workspace_id or role not in kinds:
                    continue
                source = member_for(structure, "structure", legend)
                if (source.pk, scheme_member.pk, kinds[role].pk) not in existing:
                    existing.add((source.pk, scheme_member.pk, kinds[role].pk))
                    map_link_add(
                        actor=actor,
                        actor_map=actor_map,
                        source=source,
                        target=scheme_member,
                        kind=kinds[role],
                    )
    return added


# --- reads -----------------------------------------------------------------------------------------------------


def map_members(actor_map: ActorMap, *, statuses=(ProposalStatus.VALIDATED, ProposalStatus.PROPOSED)):
    return list(
        actor_map.members.filter(status__in=statuses)
        .select_related("structure", "person", "scheme", "proposed_by")
        .order_by("id")
    )


def map_links(actor_map: ActorMap, *, statuses=(ProposalStatus.VALIDATED, ProposalStatus.PROPOSED)):
    return list(
        actor_map.links.filter(status__in=statuses)
        .select_related(
            "kind",
            "proposed_by",
            "source__structure",
            "source__person",
            "source__scheme",
            "target__structure",
            "target__person",
            "target__scheme",
        )
        .order_by("id")
    )


def visible_to(user, member: ActorMapMember, *, can_see_private: bool) -> bool:
    """People appear outside the workspace only if they chose to be shown publicly."""
    return member.person_id is None or can_see_private or member.person.show_publicly


@dataclass
class Inclusivity:
    missing_headings: list[Category] = field(default_factory=list)
    missing_roles: list[PersonRoleKind] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing_headings and not self.missing_roles


def _heading_code(code: str) -> str:
    return code.split(".", 1)[0]


def inclusivity(actor_map: ActorMap) -> Inclusivity:
    """OUTIL 1 headings and OUTIL 2 roles with nobody on the map (validated actors). A fixed number of queries."""
    validated = actor_map.members.filter(status=ProposalStatus.VALIDATED)
    structure_ids = list(validated.filter(structure__isnull=False).values_list("structure_id", flat=True))
    person_ids = list(validated.filter(person__isnull=False).values_list("person_id", flat=True))
    category_codes = Category.objects.filter(structures__in=structure_ids).values_list("code", flat=True)
    present_headings = {_heading_code(c) for c in category_codes}
    role_codes = PersonRoleKind.objects.filter(
        Q(personrole__person_id__in=person_ids) | Q(personrole__structure_id__in=structure_ids)
    ).values_list("code", flat=True)
    present_roles = {_heading_code(c) for c in role_codes}
    if Structure.objects.filter(pk__in=structure_ids, legal_form=LegalForm.COLLECTIF).exists():
        present_roles.add("habitants")  # an inhabitants' collective brings the inhabitants onto the map
    return Inclusivity(
        missing_headings=[
            c
            for c in Category.objects.filter(parent__isnull=True)
            if _heading_code(c.code) not in present_headings
        ],
        missing_roles=[
            r
            for r in PersonRoleKind.objects.filter(parent__isnull=True)
            if _heading_code(r.code) not in present_roles
        ],
    )


def candidate_structures(actor_map: ActorMap):
    """Structures of the workspace not yet on the map, for the "add an actor" list."""
    taken = actor_map.members.filter(structure__isnull=False).values("structure_id")
    return (
        Structure.objects.filter(workspace=actor_map.workspace)
        .exclude(pk__in=taken)
        .order_by("sort_name", "id")
    )


def people_for(actor_map: ActorMap):
    return Person.objects.filter(workspace=actor_map.workspace).exclude(
        pk__in=actor_map.members.filter(person__isnull=False).values("person_id")
    )


def schemes_for(workspace):
    return Scheme.objects.filter(Q(workspace__isnull=True) | Q(workspace=workspace)).order_by("name")
