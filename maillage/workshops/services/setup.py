"""Templates, workshops, joining (by code, with or without an account) and participants typed by scribes."""

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.registry import timeline_changed
from maillage.core.services import audit_record
from maillage.workshops.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Participant,
    Phase,
    PhaseFields,
    Template,
    TemplatePhase,
    Workshop,
)
from maillage.workshops.services._common import require_pilot

MAX_PHASES = 12


def _clean_phases(phases: list[dict]) -> list[dict]:
    if not phases:
        raise ValidationError(_("Un modèle a au moins une phase."))
    if len(phases) > MAX_PHASES:
        raise ValidationError(_("Un modèle a %(max)d phases au plus.") % {"max": MAX_PHASES})
    cleaned = []
    for i, raw in enumerate(phases, start=1):
        title = " ".join(str(raw.get("title", "")).split())[:120]
        if not title:
            raise ValidationError(_("Donnez un titre à la phase %(n)d.") % {"n": i})
        duration = int(raw.get("duration_minutes") or 20)
        if not 1 <= duration <= 600:
            raise ValidationError(_("La durée d'une phase va de 1 à 600 minutes."))
        row = {
            "order": i,
            "title": title,
            "prompt": str(raw.get("prompt", "")).strip(),
            "duration_minutes": duration,
        }
        for flag in PhaseFields.PERMISSION_FIELDS:
            default = PhaseFields._meta.get_field(flag).default
            row[flag] = bool(raw.get(flag, default))
        cleaned.append(row)
    return cleaned


@transaction.atomic
def template_create(*, actor, workspace, name: str, description: str = "", phases: list[dict]) -> Template:
    """A workspace's own template (built by an animateur)."""
    if actor is None or not actor.has_perm("workspaces.animate", workspace):
        raise PermissionDenied("workspaces.animate")
    name = " ".join(name.split())[:120]
    if not name:
        raise ValidationError(_("Donnez un nom au modèle."))
    template = Template.objects.create(
        workspace=workspace, name=name, description=description.strip(), created_by=actor
    )
    TemplatePhase.objects.bulk_create(
        TemplatePhase(template=template, **row) for row in _clean_phases(phases)
    )
    return template


def templates_for(workspace):
    return Template.objects.filter(workspace__isnull=True) | Template.objects.filter(workspace=workspace)


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def workshop_create(
    *,
    actor,
    workspace,
    template: Template,
    title: str,
    dots_per_participant: int = 5,
    starts_at: datetime | None = None,
    place: str = "",
) -> Workshop:
    if actor is not None and not actor.has_perm("workspaces.animate", workspace):
        raise PermissionDenied("workspaces.animate")
    if template.workspace_id not in (None, workspace.pk):
        raise ValidationError(_("Ce modèle appartient à un autre espace."))
    title = " ".join(title.split())[:160]
    if not title:
        raise ValidationError(_("Donnez un titre à l'atelier."))
    if not 0 <= dots_per_participant <= 50:
        raise ValidationError(_("Le nombre de gommettes va de 0 à 50."))
    phases = list(template.phases.all())
    if not phases:
        raise ValidationError(_("Ce modèle n'a pas de phase."))
    for _attempt in range(20):
        try:
            with transaction.atomic():
                workshop = Workshop.objects.create(
                    workspace=workspace,
                    template=template,
                    title=title,
                    join_code=new_join_code(),
                    dots_per_participant=dots_per_participant,
                    starts_at=starts_at,
                    place=place.strip()[:200],
                    created_by=actor,
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 25**6 codes
        raise ValidationError(_("Impossible de trouver un code libre, réessayez."))
    Phase.objects.bulk_create(Phase(workshop=workshop, **p.copy_fields()) for p in phases)
    audit_record(actor=actor, action="workshop.create", target=workshop, workspace=workspace)
    timeline_changed(workspace.pk)
    return workshop


def open_workshop_by_code(code: str) -> Workshop:
    code = "".join(str(code).split()).upper()
    workshop = Workshop.objects.filter(join_code=code).exclude(status=Workshop.Status.CLOSED).first()
    if workshop is None:
        raise ValidationError(_("Aucun atelier en cours avec ce code. Vérifiez les 6 lettres et chiffres."))
    return workshop


def _clean_person(display_name: str, role_as: str) -> str:
    name = " ".join(str(display_name).split())[:60]
    if not name:
        raise ValidationError(_("Donnez un prénom ou un pseudonyme."))
    if role_as not in Participant.RoleAs.values:
        raise ValidationError(_("Dites en tant que quoi vous venez."))
    return name


@transaction.atomic
def workshop_join(
    *,
    workshop: Workshop,
    display_name: str = "",
    role_as: str = Participant.RoleAs.HABITANT,
    first_time: bool = False,
    consent: bool = False,
    contact: str = "",
    user=None,
) -> Participant:
    """Join a workshop. With an account: one participant per account (joining again returns it)."""
    if workshop.status == Workshop.Status.CLOSED:
        raise ValidationError(_("L'atelier est terminé."))
    if user is not None and getattr(user, "is_authenticated", False):
        existing = Participant.objects.filter(workshop=workshop, user=user).first()
        if existing is not None:
            return existing
        display_name = display_name or user.display_label
    else:
        user = None
    name = _clean_person(display_name, role_as)
    if not consent:
        raise ValidationError(
            _("Cochez la case d'accord : votre prénom et vos post-it apparaîtront pendant l'atelier.")
        )
    return Participant.objects.create(
        workshop=workshop,
        user=user,
        display_name=name,
        role_as=role_as,
        first_time=first_time,
        consent_at=timezone.now(),
        contact=contact.strip()[:200],
    )


@transaction.atomic
def participant_add_by_scribe(
    *,
    actor,
    workshop: Workshop,
    display_name: str,
    role_as: str,
    first_time: bool = False,
    consent: bool = False,
    contact: str = "",
) -> Participant:
    """A scribe (animateur) registers someone who does not write on a phone; the person agreed orally."""
    require_pilot(actor, workshop)
    name = _clean_person(display_name, role_as)
    if not consent:
        raise ValidationError(_("Confirmez que la personne est d'accord pour participer sous ce nom."))
    return Participant.objects.create(
        workshop=workshop,
        display_name=name,
        role_as=role_as,
        first_time=first_time,
        consent_at=timezone.now(),
        contact=contact.strip()[:200],
        created_via=Participant.Via.SCRIBE,
        created_by=actor,
    )


def participant_for_user(workshop: Workshop, user) -> Participant | None:
    """The account's participant row; animateurs get one on demand (as professionnel)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    participant = Participant.objects.filter(workshop=workshop, user=user).first()
    if participant is None and user.has_perm("workspaces.animate", workshop.workspace):
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    workshop=workshop,
                    user=user,
                    display_name=user.display_label[:60],
                    role_as=Participant.RoleAs.PROFESSIONNEL,
                    consent_at=timezone.now(),
                )
        except IntegrityError:
            participant = Participant.objects.get(workshop=workshop, user=user)
    return participant
