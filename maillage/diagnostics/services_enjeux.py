"""Enjeux and what comes after them: the dot vote, validating a version, and the hand-offs to workshops
(an enjeu seeds a workshop) and to collectives (a préconisation becomes a proposed collective)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from maillage.core.registry import timeline_changed
from maillage.core.services import audit_record
from maillage.diagnostics import document
from maillage.diagnostics import selectors_diagnostic as selectors
from maillage.diagnostics.models_diagnostic import Diagnostic, DotVote, Item, TeamMember, Version
from maillage.diagnostics.services_diagnostic import _require, _touch


def _require_enjeu(item: Item) -> None:
    if item.section != Item.Section.ENJEUX or item.status != Item.Status.PUBLISHED:
        raise ValidationError({"item": _("On ne vote que sur les enjeux retenus.")})


def _check_budget(diagnostic: Diagnostic, votes, item: Item, dots: int) -> None:
    used = votes.exclude(item=item).aggregate(total=Sum("dots"))["total"] or 0
    if dots < 0 or used + dots > diagnostic.dots_per_person:
        raise ValidationError(
            {
                "dots": _("Chaque personne a %(n)s gommettes en tout ; il vous en reste %(left)s.")
                % {"n": diagnostic.dots_per_person, "left": max(diagnostic.dots_per_person - used, 0)}
            }
        )


@transaction.atomic
def vote_set(*, actor, item: Item, dots: int) -> DotVote | None:
    """A member puts `dots` of their gommettes on an enjeu (0 takes them back)."""
    diagnostic = item.diagnostic
    _require(actor, "diagnostics.contribute_diagnostic", diagnostic)
    _require_enjeu(item)
    mine = DotVote.objects.select_for_update().filter(item__diagnostic=diagnostic, user=actor)
    _check_budget(diagnostic, mine, item, dots)
    if dots == 0:
        DotVote.objects.filter(item=item, user=actor).delete()
        _touch(diagnostic)
        return None
    role = selectors.voter_role(diagnostic, actor)
    if role is None:
        raise PermissionDenied("no role")
    vote, _created = DotVote.objects.update_or_create(
        item=item, user=actor, defaults={"dots": dots, "role": role, "recorded_by": actor}
    )
    _touch(diagnostic)
    return vote


@transaction.atomic
def vote_record_participant(*, actor, item: Item, participant: str, role: str, dots: int) -> DotVote:
    """An animateur types the gommettes a participant stuck on the wall (restitution, atelier)."""
    diagnostic = item.diagnostic
    _require(actor, "diagnostics.manage_diagnostic", diagnostic)
    _require_enjeu(item)
    participant = (participant or "").strip()[:120]
    if not participant:
        raise ValidationError({"participant": _("Indiquez qui a voté (un prénom ou un pseudonyme suffit).")})
    if role not in TeamMember.Role.values:
        raise ValidationError({"role": _("Rôle inconnu.")})
    theirs = DotVote.objects.filter(item__diagnostic=diagnostic, user=None, participant=participant)
    if dots < 1:
        raise ValidationError({"dots": _("Au moins une gommette.")})
    _check_budget(diagnostic, theirs, item, dots)
    theirs.filter(item=item).delete()
    vote = DotVote.objects.create(item=item, participant=participant, role=role, dots=dots, recorded_by=actor)
    _touch(diagnostic)
    return vote


@transaction.atomic
def diagnostic_validate(*, actor, diagnostic: Diagnostic, note: str = "") -> Version:
    """Freeze the current draft: the rendered document is stored and the diagnostic is marked validated."""
    _require(actor, "diagnostics.manage_diagnostic", diagnostic)
    if diagnostic.status == Diagnostic.Status.VALIDATED:
        raise ValidationError(
            _("Cette version est déjà validée : modifiez le diagnostic pour ouvrir la suivante.")
        )
    snapshot = document.build_document(diagnostic)
    version = Version.objects.create(
        diagnostic=diagnostic,
        number=diagnostic.version_number,
        snapshot=snapshot,
        note=(note or "").strip()[:300],
        validated_by=actor,
    )
    diagnostic.status = Diagnostic.Status.VALIDATED
    diagnostic.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="diagnostic.validate",
        target=diagnostic,
        workspace=diagnostic.workspace,
        details={"version": version.number},
    )
    timeline_changed(diagnostic.workspace_id)
    return version


# --- Hand-offs --------------------------------------------------------------------------------------------


def item_url(item: Item) -> str:
    diagnostic = item.diagnostic
    return (
        reverse("diagnostics:diagnostic", kwargs={"slug": diagnostic.workspace.slug, "pk": diagnostic.pk})
        + f"#element-{item.pk}"
    )


def enjeu_to_workshop_seed(*, actor, enjeu: Item) -> dict:
    """What a workshop needs to start from an enjeu: a title, the question to work on, the area and the
    diagnostic it comes from. Read-only; the workshops app creates the workshop with it."""
    _require(actor, "diagnostics.work_on_diagnostic", enjeu.diagnostic)
    _require_enjeu(enjeu)
    diagnostic = enjeu.diagnostic
    prompt = _("Comment agir ensemble sur cet enjeu : « %(enjeu)s » ?") % {"enjeu": enjeu.title}
    if enjeu.body:
        prompt += "\n\n" + enjeu.body
    return {
        "title": Truncator(enjeu.title).chars(160),
        "prompt": prompt,
        "workspace": diagnostic.workspace,
        "territory": diagnostic.territory,
        "perimeter": diagnostic.perimeter,
        "themes": list(diagnostic.themes),
        "origin_label": _("Enjeu du diagnostic « %(title)s »") % {"title": diagnostic.title},
        "origin_url": item_url(enjeu),
    }


@transaction.atomic
def preconisation_to_collective(*, actor, preconisation: Item, kind: str):
    """Turn a préconisation into a proposed collective or action (collectives' own entry point)."""
    from maillage.collectives.models import Collective
    from maillage.collectives.services.collectives import collective_create

    diagnostic = preconisation.diagnostic
    _require(actor, "diagnostics.manage_diagnostic", diagnostic)
    if preconisation.section != Item.Section.PRECONISATIONS or preconisation.status != Item.Status.PUBLISHED:
        raise ValidationError({"item": _("Seule une préconisation retenue peut devenir un collectif.")})
    if preconisation.collective_id:
        raise ValidationError({"item": _("Cette préconisation a déjà donné naissance à un collectif.")})
    perimeter = diagnostic.perimeter
    if perimeter is not None and perimeter.workspace_id not in (None, diagnostic.workspace_id):
        perimeter = None
    themes = [str(label) for label in diagnostic.theme_labels()]
    collective = collective_create(
        actor=actor,
        workspace=diagnostic.workspace,
        name=Truncator(preconisation.title).chars(160),
        kind=kind,
        origin=Collective.Origin.DIAGNOSTIC,
        origin_label=Truncator(
            _("Préconisation du diagnostic « %(d)s » : %(p)s")
            % {"d": diagnostic.title, "p": preconisation.title}
        ).chars(200),
        origin_url=item_url(preconisation),
        purpose=preconisation.body,
        themes=themes,
        perimeter=perimeter,
        territory=diagnostic.territory,
    )
    preconisation.collective = collective
    preconisation.save(update_fields=["collective"])
    return collective
