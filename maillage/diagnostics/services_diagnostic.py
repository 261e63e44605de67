"""Every write of the diagnostic partagé. Members contribute; animateurs manage (team, steps, contributions
to validate, validation). Any change to a validated diagnostic opens a new draft: the frozen version stays.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.registry import timeline_changed
from maillage.core.services import audit_record
from maillage.diagnostics.models_diagnostic import (
    Diagnostic,
    Item,
    Step,
    TeamMember,
    Theme,
)

PUBLIC_SECTIONS = (Item.Section.PAROLES, Item.Section.RESSOURCES)
MAX_DOTS = 20


def _require(actor, perm: str, obj) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _clean_text(value: str, *, max_length: int, label: str, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ValidationError({label: _("Ce champ est obligatoire.")})
    if len(value) > max_length:
        raise ValidationError({label: _("%(n)s caractères au plus.") % {"n": max_length}})
    return value


def _clean_themes(themes: Iterable[str]) -> list[str]:
    themes = list(dict.fromkeys(themes))
    unknown = [t for t in themes if t not in Theme.values]
    if unknown:
        raise ValidationError({"themes": _("Thème inconnu : %(t)s") % {"t": ", ".join(unknown)}})
    return themes


def _touch(diagnostic: Diagnostic) -> None:
    """After a change: a validated diagnostic becomes the draft of its next version."""
    if diagnostic.status == Diagnostic.Status.VALIDATED:
        diagnostic.status = Diagnostic.Status.DRAFT
        diagnostic.version_number += 1
    diagnostic.save(update_fields=["status", "version_number", "updated_at"])


# --- Diagnostic -------------------------------------------------------------------------------------------


@transaction.atomic
def diagnostic_create(
    *,
    actor,
    workspace,
    title: str,
    territory=None,
    perimeter=None,
    themes: Iterable[str] = (),
    summary: str = "",
    visibility: str = Diagnostic.Visibility.MEMBERS,
    reuse: Iterable[Item] = (),
) -> Diagnostic:
    """Start a diagnostic on a territory or a perimeter, with the five steps and its creator as animateur.
    `reuse`: items of other diagnostics to start from, copied with their provenance."""
    _require(actor, "diagnostics.create_diagnostic", workspace)
    title = _clean_text(title, max_length=200, label="title")
    if (territory is None) == (perimeter is None):
        raise ValidationError({"area": _("Choisissez un territoire ou un périmètre (l'un ou l'autre).")})
    if perimeter is not None and perimeter.workspace_id not in (None, workspace.pk):
        raise ValidationError({"area": _("Ce périmètre appartient à un autre espace.")})
    if visibility not in Diagnostic.Visibility.values:
        raise ValidationError({"visibility": _("Visibilité inconnue.")})
    diagnostic = Diagnostic.objects.create(
        workspace=workspace,
        title=title,
        summary=(summary or "").strip(),
        territory=territory,
        perimeter=perimeter,
        themes=_clean_themes(themes),
        visibility=visibility,
        created_by=actor,
    )
    Step.objects.bulk_create([Step(diagnostic=diagnostic, kind=kind) for kind in Step.Kind.values])
    if actor is not None:
        TeamMember.objects.create(diagnostic=diagnostic, user=actor, role=TeamMember.Role.ANIMATEUR)
    reuse = list(reuse)
    if reuse:
        items_copy(actor=actor, diagnostic=diagnostic, items=reuse)
    audit_record(actor=actor, action="diagnostic.create", target=diagnostic, workspace=workspace)
    timeline_changed(workspace.pk)
    return diagnostic


@transaction.atomic
def diagnostic_update(
    *,
    actor,
    diagnostic: Diagnostic,
    title: str,
    summary: str = "",
    themes: Iterable[str] = (),
    visibility: str = Diagnostic.Visibility.MEMBERS,
    restricted_sections: Iterable[str] = (),
    dots_per_person: int = 3,
    accepts_contributions: bool = True,
) -> Diagnostic:
    _require(actor, "diagnostics.manage_diagnostic", diagnostic)
    restricted = list(dict.fromkeys(restricted_sections))
    if any(code not in Item.Section.values for code in restricted):
        raise ValidationError({"restricted_sections": _("Section inconnue.")})
    if visibility not in Diagnostic.Visibility.values:
        raise ValidationError({"visibility": _("Visibilité inconnue.")})
    if not 1 <= dots_per_person <= MAX_DOTS:
        raise ValidationError({"dots_per_person": _("Entre 1 et %(n)s gommettes.") % {"n": MAX_DOTS}})
    diagnostic.title = _clean_text(title, max_length=200, label="title")
    diagnostic.summary = (summary or "").strip()
    diagnostic.themes = _clean_themes(themes)
    diagnostic.visibility = visibility
    diagnostic.restricted_sections = restricted
    diagnostic.dots_per_person = dots_per_person
    diagnostic.accepts_contributions = accepts_contributions
    diagnostic.save()
    _touch(diagnostic)
    timeline_changed(diagnostic.workspace_id)
    return diagnostic


@transaction.atomic
def step_set(
    *, actor, diagnostic: Diagnostic, kind: str, when: date | None, done: bool = False, note: str = ""
) -> Step:
    _require(actor, "diagnostics.manage_diagnostic", diagnostic)
    if kind not in Step.Kind.values:
        raise ValidationError({"kind": _("Étape inconnue.")})
    step, _created = Step.objects.get_or_create(diagnostic=diagnostic, kind=kind)
    step.date = when
    step.done = done
    step.note = _clean_text(note, max_length=200, label="note", required=False)
    step.save()
    timeline_changed(diagnostic.workspace_id)
    return step


@transaction.atomic
def team_add(
    *, actor, diagnostic: Diagnostic, role: str, user=None, name: str = "", organisation: str = ""
) -> TeamMember:
    _require(actor, "diagnostics.manage_diagnostic", diagnostic)
    if role not in TeamMember.Role.values:
        raise ValidationError({"role": _("Rôle inconnu.")})
    if user is None:
        name = _clean_text(name, max_length=120, label="name")
    elif not diagnostic.workspace.memberships.filter(user=user).exists():
        raise ValidationError({"user": _("Cette personne n'est pas membre de l'espace.")})
    elif diagnostic.team.filter(user=user).exists():
        raise ValidationError({"user": _("Cette personne fait déjà partie de l'équipe.")})
    return TeamMember.objects.create(
        diagnostic=diagnostic, user=user, name=name, organisation=organisation.strip()[:160], role=role
    )


@transaction.atomic
def team_remove(*, actor, member: TeamMember) -> None:
    _require(actor, "diagnostics.manage_diagnostic", member.diagnostic)
    member.delete()


# --- Items ------------------------------------------------------------------------------------------------


def _check_item_fields(diagnostic: Diagnostic, section: str, fields: dict) -> None:
    if section not in Item.Section.values:
        raise ValidationError({"section": _("Section inconnue.")})
    if fields.get("method") and fields["method"] not in Item.Method.values:
        raise ValidationError({"method": _("Manière de recueillir inconnue.")})
    if fields.get("resource_kind") and fields["resource_kind"] not in Item.ResourceKind.values:
        raise ValidationError({"resource_kind": _("Type de ressource inconnu.")})
    if fields.get("method") == Item.Method.ACCOMPAGNEMENT and (fields.get("speaker") or "").strip():
        raise ValidationError(
            {
                "speaker": _(
                    "Une parole recueillie en accompagnement individuel reste anonyme : laissez ce champ vide."
                )
            }
        )
    if section == Item.Section.DONNEES and fields.get("indicator") is None:
        raise ValidationError({"indicator": _("Choisissez l'indicateur dont vous proposez une lecture.")})
    collected_on = fields.get("collected_on")
    if collected_on and collected_on > timezone.localdate():
        raise ValidationError({"collected_on": _("La date de recueil ne peut pas être dans le futur.")})
    for name in ("structure", "place", "service"):
        linked = fields.get(name)
        if linked is not None and linked.workspace_id != diagnostic.workspace_id:
            raise ValidationError({name: _("Cette fiche de l'annuaire appartient à un autre espace.")})


def _set_enjeux(item: Item, enjeux: Iterable[Item]) -> None:
    enjeux = list(enjeux)
    if item.section != Item.Section.PRECONISATIONS:
        if enjeux:
            raise ValidationError({"enjeux": _("Seule une préconisation se rattache à des enjeux.")})
        return
    if not enjeux:
        raise ValidationError({"enjeux": _("Rattachez la préconisation à au moins un enjeu.")})
    if any(e.diagnostic_id != item.diagnostic_id or e.section != Item.Section.ENJEUX for e in enjeux):
        raise ValidationError({"enjeux": _("Choisissez des enjeux de ce diagnostic.")})
    item.enjeux.set(enjeux)


ITEM_FIELDS = (
    "body",
    "speaker",
    "method",
    "collected_on",
    "indicator",
    "resource_kind",
    "structure",
    "place",
    "service",
)


@transaction.atomic
def item_add(
    *, actor, diagnostic: Diagnostic, section: str, title: str, enjeux: Iterable[Item] = (), **fields
) -> Item:
    """Add an item. `speaker`: whom it comes from when the actor types it for someone else
    ("saisi par A pour B") — typing for someone else is an animateur's task (workspaces.animate)."""
    _require(actor, "diagnostics.contribute_diagnostic", diagnostic)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    _check_item_fields(diagnostic, section, fields)
    fields["body"] = _clean_text(fields.get("body", ""), max_length=5000, label="body", required=False)
    fields["speaker"] = _clean_text(
        fields.get("speaker", ""), max_length=160, label="speaker", required=False
    )
    if (
        fields["speaker"]
        and actor is not None
        and not actor.has_perm("diagnostics.manage_diagnostic", diagnostic)
    ):
        raise PermissionDenied("diagnostics.manage_diagnostic")
    last = diagnostic.items.filter(section=section).order_by("-position").values_list("position", flat=True)
    item = Item.objects.create(
        diagnostic=diagnostic,
        section=section,
        title=_clean_text(title, max_length=200, label="title"),
        created_by=actor,
        position=(last.first() or 0) + 1,
        **{k: v for k, v in fields.items() if v not in (None, "")},
    )
    _set_enjeux(item, enjeux)
    _touch(diagnostic)
    return item


def _require_item_editor(actor, item: Item) -> None:
    if actor is None:
        return
    if actor.has_perm("diagnostics.manage_diagnostic", item.diagnostic):
        return
    if item.created_by_id == actor.pk and actor.has_perm(
        "diagnostics.contribute_diagnostic", item.diagnostic
    ):
        return
    raise PermissionDenied("diagnostics.manage_diagnostic")


@transaction.atomic
def item_update(*, actor, item: Item, title: str, enjeux: Iterable[Item] | None = None, **fields) -> Item:
    _require_item_editor(actor, item)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    merged = {name: getattr(item, name) for name in ITEM_FIELDS} | fields
    _check_item_fields(item.diagnostic, item.section, merged)
    item.title = _clean_text(title, max_length=200, label="title")
    for name, value in fields.items():
        setattr(item, name, value if value is not None or name not in ("body", "speaker", "method") else "")
    item.body = _clean_text(item.body, max_length=5000, label="body", required=False)
    item.save()
    if enjeux is not None:
        _set_enjeux(item, enjeux)
    _touch(item.diagnostic)
    return item


@transaction.atomic
def item_delete(*, actor, item: Item) -> None:
    _require_item_editor(actor, item)
    diagnostic = item.diagnostic
    item.delete()
    _touch(diagnostic)


@transaction.atomic
def item_review(*, actor, item: Item, accept: bool) -> Item:
    """An animateur keeps (retenu) or sets aside (écarté) a contribution waiting for validation."""
    _require(actor, "diagnostics.manage_diagnostic", item.diagnostic)
    item.status = Item.Status.PUBLISHED if accept else Item.Status.REJECTED
    item.save(update_fields=["status"])
    _touch(item.diagnostic)
    audit_record(
        actor=actor,
        action="diagnostic.contribution_" + ("accepted" if accept else "rejected"),
        target=item,
        workspace=item.diagnostic.workspace,
    )
    return item


@transaction.atomic
def items_copy(*, actor, diagnostic: Diagnostic, items: Iterable[Item]) -> list[Item]:
    """Reuse: copy items of other diagnostics the actor may read, saying where they come from."""
    _require(actor, "diagnostics.contribute_diagnostic", diagnostic)
    copies = []
    for source in items:
        origin = source.diagnostic
        if source.status != Item.Status.PUBLISHED or origin.pk == diagnostic.pk:
            raise ValidationError({"reuse": _("Cet élément ne peut pas être repris.")})
        if actor is not None:
            if not actor.has_perm("diagnostics.view_diagnostic", origin):
                raise PermissionDenied("diagnostics.view_diagnostic")
            if source.section in origin.restricted_sections and not actor.has_perm(
                "diagnostics.work_on_diagnostic", origin
            ):
                raise PermissionDenied("diagnostics.work_on_diagnostic")
        label = source.copied_from_label or _("diagnostic « %(title)s » (%(workspace)s, %(year)s)") % {
            "title": origin.title,
            "workspace": origin.workspace.name,
            "year": origin.year,
        }
        same_workspace = origin.workspace_id == diagnostic.workspace_id
        copy = Item.objects.create(
            diagnostic=diagnostic,
            section=source.section,
            title=source.title,
            body=source.body,
            position=source.position,
            created_by=source.created_by,
            speaker=source.speaker,
            method=source.method,
            collected_on=source.collected_on or timezone.localdate(source.created_at),
            consent_at=source.consent_at,
            copied_from=source,
            copied_from_label=label[:260],
            indicator=source.indicator,
            resource_kind=source.resource_kind,
            structure=source.structure if same_workspace else None,
            place=source.place if same_workspace else None,
            service=source.service if same_workspace else None,
        )
        copies.append(copy)
    # Préconisations follow the enjeux copied with them.
    by_source = {c.copied_from_id: c for c in copies}
    for copy in copies:
        if copy.section == Item.Section.PRECONISATIONS:
            linked = [by_source[e.pk] for e in copy.copied_from.enjeux.all() if e.pk in by_source]
            copy.enjeux.set(linked)
    if copies:
        _touch(diagnostic)
    return copies


@transaction.atomic
def public_contribution(
    *,
    diagnostic: Diagnostic,
    section: str,
    text: str,
    pseudonym: str,
    consent: bool,
    title: str = "",
    resource_kind: str = "",
) -> Item:
    """An inhabitant without an account leaves an observation or a resource; it waits for an animateur."""
    if not diagnostic.accepts_contributions:
        raise PermissionDenied("contributions closed")
    if section not in PUBLIC_SECTIONS:
        raise ValidationError({"section": _("Choisissez une observation ou une ressource.")})
    if not consent:
        raise ValidationError(
            {"consent": _("Cochez la case pour accepter que votre contribution soit utilisée.")}
        )
    text = _clean_text(text, max_length=2000, label="text")
    pseudonym = _clean_text(pseudonym, max_length=80, label="pseudonym")
    if resource_kind and resource_kind not in Item.ResourceKind.values:
        raise ValidationError({"resource_kind": _("Type de ressource inconnu.")})
    title = (title or "").strip()[:200] or (text if len(text) <= 80 else text[:77].rsplit(" ", 1)[0] + "…")
    return Item.objects.create(
        diagnostic=diagnostic,
        section=section,
        title=title,
        body=text,
        status=Item.Status.PENDING,
        speaker=pseudonym,
        method=Item.Method.FORMULAIRE,
        collected_on=timezone.localdate(),
        consent_at=timezone.now(),
        resource_kind=resource_kind if section == Item.Section.RESSOURCES else "",
    )
