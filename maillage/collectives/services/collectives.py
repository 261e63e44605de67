"""Collectives and their members: creation (the one entry point), settings, life stage, joining, leaving."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.collectives.models import Collective, Member, StageChange
from maillage.collectives.rules import forget_member_cache
from maillage.collectives.services._common import require as _require
from maillage.core.services import audit_record
from maillage.workspaces.models import Workspace

MAX_THEMES = 12
MAX_THEME_LENGTH = 40
_DEFAULT = object()
RESERVED_SLUGS = {
    "nouveau",
    "developpement-social",
}  # URL words next to collective slugs (collectives/urls.py)
# Steering and coordination bodies are not expected to be half inhabitants; groups are (parity, egts).
KINDS_WITHOUT_DEFAULT_TARGET = (
    Collective.Kind.COMITE_PILOTAGE,
    Collective.Kind.COMITE_COORDINATION,
    Collective.Kind.INSTANCE,
)


@dataclass(frozen=True)
class MemberSpec:
    """A member to add: a `user` (account, must belong to the workspace), or a `pseudonym` with the
    moment the person agreed to be listed (`consent_given_at`) and an optional `contact`."""

    user: object | None = None
    pseudonym: str = ""
    category: str = Member.Category.HABITANT
    contact: str = ""
    consent_given_at: datetime | None = None
    is_relay: bool = False
    joined_on: date | None = None


def normalise_themes(themes: Iterable[str] | str) -> list[str]:
    """Short free tags: trimmed, deduplicated (case-insensitive), at most 12 of 40 characters."""
    if isinstance(themes, str):
        themes = themes.split(",")
    seen, result = set(), []
    for raw in themes:
        theme = " ".join(str(raw).split())
        if not theme or theme.casefold() in seen:
            continue
        if len(theme) > MAX_THEME_LENGTH:
            raise ValidationError(
                _("Le thème « %(theme)s » est trop long : %(max)d caractères au plus.")
                % {"theme": theme[:50], "max": MAX_THEME_LENGTH}
            )
        seen.add(theme.casefold())
        result.append(theme)
    if len(result) > MAX_THEMES:
        raise ValidationError(_("Donnez %(max)d thèmes au plus.") % {"max": MAX_THEMES})
    return result


def _check_origin_url(url: str) -> str:
    url = url.strip()
    if url and not (
        (url.startswith("/") and not url.startswith("//")) or url.startswith(("https://", "http://"))
    ):
        raise ValidationError(
            _("Le lien vers l'origine doit commencer par « / », « https:// » ou « http:// ».")
        )
    return url


def _unique_slug(workspace: Workspace, name: str) -> str:
    base = slugify(name)[:70] or "collectif"
    taken = set(
        Collective.objects.filter(workspace=workspace, slug__startswith=base).values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def default_composition_target(kind: str) -> int | None:
    return None if kind in KINDS_WITHOUT_DEFAULT_TARGET else 50


def _build_member(collective: Collective, spec: MemberSpec, actor) -> Member:
    if spec.category not in Member.Category.values:
        raise ValidationError(_("Catégorie de membre inconnue : %(c)s") % {"c": spec.category})
    joined_on = spec.joined_on or timezone.localdate()
    if spec.user is not None:
        if not collective.workspace.memberships.filter(user=spec.user).exists():
            raise ValidationError(
                _(
                    "%(name)s n'est pas membre de l'espace : invitez d'abord la personne dans l'espace, "
                    "ou ajoutez-la sans compte."
                )
                % {"name": spec.user.display_label}
            )
        return Member(
            collective=collective,
            user=spec.user,
            category=spec.category,
            is_relay=spec.is_relay,
            joined_on=joined_on,
            added_by=actor,
        )
    pseudonym = " ".join(spec.pseudonym.split())[:80]
    if not pseudonym:
        raise ValidationError(_("Donnez un prénom ou un pseudonyme pour une personne sans compte."))
    if spec.consent_given_at is None:
        raise ValidationError(
            _("La personne doit avoir donné son accord pour figurer dans le collectif (%(name)s).")
            % {"name": pseudonym}
        )
    return Member(
        collective=collective,
        pseudonym=pseudonym,
        consent_given_at=spec.consent_given_at,
        contact=spec.contact.strip()[:200],
        category=spec.category,
        is_relay=spec.is_relay,
        joined_on=joined_on,
        added_by=actor,
    )


@transaction.atomic
def collective_create(
    *,
    actor,
    workspace: Workspace,
    name: str,
    kind: str,
    origin: str = Collective.Origin.SPONTANEOUS,
    origin_label: str = "",
    origin_url: str = "",
    members: Iterable[MemberSpec] = (),
    purpose: str = "",
    themes: Iterable[str] | str = (),
    perimeter=None,
    territory=None,
    work_model: str = "",
    composition_target=_DEFAULT,
    retour_delay_days: int = 30,
) -> Collective:
    """Create a collective (and its members) in a workspace. The one way in, for every module."""
    _require(actor, "collectives.manage_collective", workspace)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Donnez un nom au collectif."))
    if kind not in Collective.Kind.values:
        raise ValidationError(_("Type de collectif inconnu : %(k)s") % {"k": kind})
    if origin not in Collective.Origin.values:
        raise ValidationError(_("Origine inconnue : %(o)s") % {"o": origin})
    if work_model and work_model not in Collective.WorkModel.values:
        raise ValidationError(_("Modèle de travail collectif inconnu : %(m)s") % {"m": work_model})
    if perimeter is not None and perimeter.workspace_id not in (None, workspace.pk):
        raise ValidationError(_("Ce périmètre appartient à un autre espace."))
    if composition_target is _DEFAULT:
        composition_target = default_composition_target(kind)
    if composition_target is not None and not 0 <= composition_target <= 100:
        raise ValidationError(_("La part visée doit être comprise entre 0 et 100 %."))
    collective = Collective.objects.create(
        workspace=workspace,
        name=name[:160],
        slug=_unique_slug(workspace, name),
        purpose=purpose.strip(),
        kind=kind,
        origin=origin,
        origin_label=origin_label.strip()[:200],
        origin_url=_check_origin_url(origin_url),
        themes=normalise_themes(themes),
        perimeter=perimeter,
        territory=territory,
        work_model=work_model,
        composition_target=composition_target,
        retour_delay_days=retour_delay_days,
        created_by=actor,
    )
    StageChange.objects.create(
        collective=collective, from_stage="", to_stage=collective.stage, changed_by=actor
    )
    built, users = [], set()
    for spec in members:
        if spec.user is not None:
            if spec.user.pk in users:
                continue
            users.add(spec.user.pk)
        built.append(_build_member(collective, spec, actor))
    Member.objects.bulk_create(built)
    audit_record(
        actor=actor,
        action="collective.create",
        target=collective,
        workspace=workspace,
        details={"origin": origin, "members": len(built)},
    )
    return collective


@transaction.atomic
def collective_update_settings(
    *, actor, collective: Collective, composition_target: int | None, retour_delay_days: int
) -> Collective:
    _require(actor, "collectives.manage_collective", collective.workspace)
    if composition_target is not None and not 0 <= composition_target <= 100:
        raise ValidationError(_("La part visée doit être comprise entre 0 et 100 %."))
    if retour_delay_days < 1:
        raise ValidationError(_("Le délai de retour doit être d'au moins un jour."))
    collective.composition_target = composition_target
    collective.retour_delay_days = retour_delay_days
    collective.save(update_fields=["composition_target", "retour_delay_days"])
    return collective


@transaction.atomic
def collective_change_stage(*, actor, collective: Collective, stage: str, note: str = "") -> StageChange:
    """Move the collective to another life stage (forward or back); the history keeps who, when, why."""
    _require(actor, "collectives.manage_collective", collective.workspace)
    if stage not in Collective.Stage.values:
        raise ValidationError(_("Étape inconnue : %(s)s") % {"s": stage})
    if stage == collective.stage:
        raise ValidationError(_("Le collectif est déjà à cette étape."))
    change = StageChange.objects.create(
        collective=collective,
        from_stage=collective.stage,
        to_stage=stage,
        note=note.strip(),
        changed_by=actor,
    )
    collective.stage = stage
    collective.save(update_fields=["stage"])
    audit_record(
        actor=actor,
        action="collective.stage_change",
        target=collective,
        workspace=collective.workspace,
        details={"from": change.from_stage, "to": stage},
    )
    return change


@transaction.atomic
def member_add(*, actor, collective: Collective, spec: MemberSpec) -> Member:
    """Add a member; a person with an account who had left comes back (same row, history kept)."""
    _require(actor, "collectives.manage_collective", collective.workspace)
    if spec.user is not None:
        existing = Member.objects.filter(collective=collective, user=spec.user).first()
        if existing is not None:
            if existing.is_active:
                raise ValidationError(
                    _("%(name)s fait déjà partie du collectif.") % {"name": spec.user.display_label}
                )
            existing.left_on = None
            existing.category = spec.category
            existing.is_relay = spec.is_relay
            existing.save(update_fields=["left_on", "category", "is_relay"])
            forget_member_cache(spec.user)
            return existing
    member = _build_member(collective, spec, actor)
    member.save()
    if spec.user is not None:
        forget_member_cache(spec.user)
    audit_record(
        actor=actor,
        action="collective.member_add",
        target=member,
        workspace=collective.workspace,
        details={"has_account": member.has_account, "category": member.category},
    )
    return member


@transaction.atomic
def member_leave(
    *,
    actor,
    member: Member,
    left_on: date | None = None,
    handover_note: str = "",
    handover_to: Member | None = None,
) -> Member:
    """A member leaves; the group's history stays. A professional leaving writes a handover note (what
    the group needs to know), shown to the group and to the binôme or new référent (`handover_to`)."""
    collective = member.collective
    _require(actor, "collectives.manage_collective", collective.workspace)
    left_on = left_on or timezone.localdate()
    if left_on < member.joined_on:
        raise ValidationError(_("La date de départ ne peut pas précéder la date d'arrivée."))
    handover_note = handover_note.strip()
    if member.category == Member.Category.PROFESSIONNEL and not handover_note:
        raise ValidationError(
            _(
                "Un professionnel qui part laisse une note de passation : où en est le groupe, "
                "les contacts utiles, ce qui reste à faire."
            )
        )
    if handover_to is not None and (
        handover_to.collective_id != collective.pk or handover_to.pk == member.pk or not handover_to.is_active
    ):
        raise ValidationError(_("Le relais doit être passé à un autre membre actuel du collectif."))
    successor = handover_to or (member.binome if member.binome_id and member.binome.is_active else None)
    member.left_on = left_on
    member.handover_note = handover_note
    member.handover_to = successor
    member.save(update_fields=["left_on", "handover_note", "handover_to"])
    if collective.referent_id == member.pk:
        collective.referent = successor
        collective.save(update_fields=["referent"])
    Member.objects.filter(binome=member).update(binome=None)
    if member.user is not None:
        forget_member_cache(member.user)
    if handover_note:
        from maillage.collectives.models import Notification
        from maillage.collectives.services.notifications import active_members, notify

        notify(
            collective=collective,
            kind=Notification.Kind.HANDOVER,
            text=_("%(name)s quitte le collectif et laisse une note de passation.")
            % {"name": member.display_name},
            url=collective.get_absolute_url() + "#passations",
            members=[m for m in active_members(collective) if m.pk != member.pk],
        )
    audit_record(actor=actor, action="collective.member_leave", target=member, workspace=collective.workspace)
    return member


@transaction.atomic
def member_set_binome(*, actor, member: Member, binome: Member | None) -> Member:
    """Pair a professional with a binôme (another current member), who keeps the group's memory."""
    collective = member.collective
    _require(actor, "collectives.manage_collective", collective.workspace)
    if member.category != Member.Category.PROFESSIONNEL:
        raise ValidationError(_("Le binôme concerne les membres professionnels."))
    if binome is not None and (
        binome.collective_id != collective.pk or binome.pk == member.pk or not binome.is_active
    ):
        raise ValidationError(_("Le binôme doit être un autre membre actuel du collectif."))
    member.binome = binome
    member.save(update_fields=["binome"])
    return member


@transaction.atomic
def collective_set_referent(*, actor, collective: Collective, referent: Member | None) -> Collective:
    """The référent signs the attestations and is the group's contact."""
    _require(actor, "collectives.manage_collective", collective.workspace)
    if referent is not None and (referent.collective_id != collective.pk or not referent.is_active):
        raise ValidationError(_("Le référent doit être un membre actuel du collectif."))
    collective.referent = referent
    collective.save(update_fields=["referent"])
    return collective


@transaction.atomic
def coordination_set(*, actor, committee: Collective, collectives: Iterable[Collective]) -> Collective:
    """A comité de coordination lists the collectives it coordinates (same workspace)."""
    _require(actor, "collectives.manage_collective", committee.workspace)
    if committee.kind != Collective.Kind.COMITE_COORDINATION:
        raise ValidationError(_("Seul un comité de coordination coordonne d'autres collectifs."))
    collectives = list(collectives)
    if any(c.workspace_id != committee.workspace_id or c.pk == committee.pk for c in collectives):
        raise ValidationError(_("Un comité coordonne d'autres collectifs du même espace."))
    committee.coordinates.set(collectives)
    return committee
