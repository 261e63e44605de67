"""Proposals, decisions and retours: every contribution learns what became of it."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives.models import (
    Attendance,
    Collective,
    Decision,
    Member,
    Notification,
    Proposal,
    Session,
)
from maillage.collectives.rules import member_of
from maillage.collectives.services._common import require as _require
from maillage.collectives.services.notifications import active_members, notify
from maillage.core.registry import timeline_changed


@transaction.atomic
def proposal_add(*, actor, collective: Collective, text: str, author: Member | None = None) -> Proposal:
    """A member's proposal. An animateur may type it for another member ("saisie pour")."""
    _require(actor, "collectives.add_proposal", collective)
    text = text.strip()
    if not text:
        raise ValidationError(_("Écrivez la proposition."))
    own = member_of(actor, collective) if actor is not None else None
    if author is None:
        author = own
    elif author.collective_id != collective.pk:
        raise ValidationError(_("Cette personne n'est pas membre du collectif."))
    elif own is None or author.pk != own.pk:
        _require(actor, "collectives.manage_collective", collective.workspace)
    return Proposal.objects.create(collective=collective, author=author, text=text, created_by=actor)


def _set_retour(proposal: Proposal, retour: str, actor, decision: Decision | None) -> None:
    retour = retour.strip()
    if not retour:
        raise ValidationError(
            _("Dites ce qu'est devenue la proposition « %(text)s ».") % {"text": proposal.text[:60]}
        )
    proposal.retour = retour
    proposal.retour_at = timezone.now()
    proposal.retour_by = actor
    proposal.decision = decision
    proposal.save(update_fields=["retour", "retour_at", "retour_by", "decision"])
    if proposal.author is not None:
        notify(
            collective=proposal.collective,
            kind=Notification.Kind.RETOUR,
            text=_("Votre proposition « %(p)s » a reçu un retour : %(r)s")
            % {"p": proposal.text[:60], "r": retour[:150]},
            url=proposal.collective.get_absolute_url() + "#propositions",
            members=[proposal.author],
        )


@transaction.atomic
def proposal_give_retour(*, actor, proposal: Proposal, retour: str) -> Proposal:
    """Tell the author what became of a proposal, without a decision (e.g. passed on to the town hall)."""
    _require(actor, "collectives.manage_collective", proposal.collective.workspace)
    _set_retour(proposal, retour, actor, proposal.decision)
    return proposal


@transaction.atomic
def decision_record(
    *,
    actor,
    collective: Collective,
    text: str,
    level: str,
    method: str,
    result: str = "",
    session: Session | None = None,
    decided_on: date | None = None,
    participants: Iterable[Member] | None = None,
    answers: Mapping[Proposal, str] | None = None,
) -> Decision:
    """Record a decision with its participation level; each proposal it answers gets its retour.

    Participants default to the members present at the session, when attendance was taken.
    """
    _require(actor, "collectives.manage_collective", collective.workspace)
    timeline_changed(collective.workspace_id)
    text = text.strip()
    if not text:
        raise ValidationError(_("Écrivez la décision."))
    if level not in Decision.Level.values:
        raise ValidationError(_("Niveau de participation inconnu : %(l)s") % {"l": level})
    if method not in Decision.Method.values:
        raise ValidationError(_("Façon de décider inconnue : %(m)s") % {"m": method})
    if session is not None and session.collective_id != collective.pk:
        raise ValidationError(_("Cette séance n'est pas celle du collectif."))
    answers = answers or {}
    if any(p.collective_id != collective.pk for p in answers):
        raise ValidationError(_("Une proposition n'appartient pas à ce collectif."))
    if participants is None:
        participants = (
            collective.members.filter(
                attendances__session=session, attendances__status=Attendance.Status.PRESENT
            )
            if session is not None
            else []
        )
    participants = list(participants)
    if any(m.collective_id != collective.pk for m in participants):
        raise ValidationError(_("Une personne n'est pas membre du collectif."))
    if decided_on is None:
        decided_on = timezone.localdate(session.starts_at) if session else timezone.localdate()
    decision = Decision.objects.create(
        collective=collective,
        session=session,
        text=text,
        level=level,
        method=method,
        result=result.strip()[:300],
        decided_on=decided_on,
        recorded_by=actor,
    )
    decision.participants.set(participants)
    notify(
        collective=collective,
        kind=Notification.Kind.DECISION,
        text=_("Décision (%(level)s) : %(text)s")
        % {"level": decision.get_level_display().lower(), "text": text[:200]},
        url=collective.get_absolute_url() + "#decisions",
        members=active_members(collective),
    )
    for proposal, retour in answers.items():
        _set_retour(proposal, retour, actor, decision)
    return decision
