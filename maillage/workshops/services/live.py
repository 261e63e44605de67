"""What happens during the workshop: post-its, dots, clusters, moderation, phases. Every write is idempotent
by `client_id` where the client makes one, and broadcasts on commit."""

import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.registry import timeline_changed
from maillage.core.services import audit_record
from maillage.workshops import selectors
from maillage.workshops.models import MAX_TEXT, Cluster, Contribution, Participant, Phase, Vote, Workshop
from maillage.workshops.services._common import broadcast, is_pilot, phase_now, require_pilot
from maillage.workshops.services.setup import participant_for_user


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(_("Identifiant client invalide (un UUID est attendu).")) from None


def _order(phase_id: int) -> int:
    return Phase.objects.values_list("order", flat=True).get(pk=phase_id)


def _contribution_event(c: Contribution, phase: Phase | None = None) -> None:
    """One event for everyone, or a full one for facilitators and a trimmed one for the others."""
    phase = phase if phase is not None and phase.pk == c.phase_id else Phase.objects.get(pk=c.phase_id)
    data = selectors.contribution_dict(c, phase_order=phase.order, for_pilot=True)
    if data["hidden"]:  # the others only learn that it is gone
        trimmed = {**data, "text": "", "hidden_reason": ""}
        broadcast(c.workshop_id, {"type": "contribution", "contribution": data}, audience="pilot")
        broadcast(c.workshop_id, {"type": "contribution", "contribution": trimmed}, audience="nonpilot")
    elif not phase.participants_see_posts:
        broadcast(c.workshop_id, {"type": "contribution", "contribution": data}, audience="pilot")
        broadcast(
            c.workshop_id,
            {"type": "contribution", "contribution": data},
            audience="private",
            author_id=c.author_id,
        )
    else:
        broadcast(c.workshop_id, {"type": "contribution", "contribution": data})


def _votes_event(workshop: Workshop, *, target: dict | None = None) -> None:
    """Vote totals: for one target after a single dot (one indexed COUNT, clients merge the keys), or all
    of them after a merge or a reveal. Before the reveal only facilitators receive them."""
    if target is not None:
        ((kind, obj),) = target.items()
        totals = {f"{kind}:{obj.pk}": Vote.objects.filter(**{kind: obj}).count()}
    else:
        totals = selectors.vote_totals(workshop.pk)
    broadcast(
        workshop.pk,
        {"type": "votes", "totals": totals},
        audience="all" if workshop.votes_revealed else "pilot",
    )


def _get_or_create(model, workshop: Workshop, client_id: uuid.UUID, **fields):
    """(object, created): a replayed client_id returns the first object, even under a race."""
    existing = model.objects.filter(workshop=workshop, client_id=client_id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return model.objects.create(workshop=workshop, client_id=client_id, **fields), True
    except IntegrityError:
        return model.objects.get(workshop=workshop, client_id=client_id), False


@transaction.atomic
def contribution_post(
    *,
    workshop: Workshop,
    client_id,
    text: str,
    participant: Participant | None,
    actor=None,
    on_behalf_of: int | None = None,
) -> tuple[Contribution, bool]:
    """Post a post-it as `participant`, or, for a scribe (`actor` animateur), for participant `on_behalf_of`."""
    client_id = _uuid(client_id)
    existing = Contribution.objects.filter(workshop=workshop, client_id=client_id).first()
    if existing is not None:
        return existing, False
    typed_by = None
    if on_behalf_of is not None:
        if not is_pilot(actor, workshop):
            raise PermissionDenied("workspaces.animate")
        author = Participant.objects.filter(workshop=workshop, pk=on_behalf_of).first()
        if author is None:
            raise ValidationError(_("Cette personne ne participe pas à cet atelier."))
        typed_by = actor
    else:
        author = participant
        if author is None and is_pilot(actor, workshop):
            author = participant_for_user(workshop, actor)
    if author is None or author.workshop_id != workshop.pk:
        raise PermissionDenied(_("Rejoignez l'atelier pour écrire."))
    phase = phase_now(workshop)
    if not phase.can_post and typed_by is None and not is_pilot(actor, workshop):
        raise ValidationError(_("On n'écrit pas de post-it pendant cette phase."))
    text = str(text).strip()
    if not text:
        raise ValidationError(_("Le post-it est vide."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Un post-it fait %(max)d caractères au plus.") % {"max": MAX_TEXT})
    contribution, created = _get_or_create(
        Contribution, workshop, client_id, phase=phase, text=text, author=author, typed_by=typed_by
    )
    if created:
        _contribution_event(contribution, phase)
    return contribution, created


@transaction.atomic
def vote_cast(
    *,
    workshop: Workshop,
    client_id,
    participant: Participant | None,
    target_kind: str,
    target_id: int,
    actor=None,
) -> tuple[Vote, bool, int]:
    """Place one dot. Returns (vote, created, dots left in the current phase)."""
    client_id = _uuid(client_id)
    if participant is None and is_pilot(actor, workshop):
        participant = participant_for_user(workshop, actor)
    if participant is None or participant.workshop_id != workshop.pk:
        raise PermissionDenied(_("Rejoignez l'atelier pour voter."))
    existing = Vote.objects.filter(workshop=workshop, client_id=client_id).first()
    if existing is not None:
        return existing, False, selectors.dots_left(workshop, participant.pk, existing.phase_id)
    phase = phase_now(workshop)
    if not phase.can_vote:
        raise ValidationError(_("On ne vote pas pendant cette phase."))
    target = {}
    if target_kind == "contribution":
        obj = Contribution.objects.filter(
            workshop=workshop, pk=target_id, hidden=False, merged_into=None
        ).first()
        target["contribution"] = obj
    elif target_kind == "cluster":
        obj = Cluster.objects.filter(workshop=workshop, pk=target_id).first()
        target["cluster"] = obj
    else:
        raise ValidationError(_("On vote pour un post-it ou pour un groupe."))
    if obj is None:
        raise ValidationError(_("Ce post-it ou ce groupe n'existe pas (ou plus)."))
    Participant.objects.select_for_update().filter(pk=participant.pk).first()  # one dot at a time per person
    left = selectors.dots_left(workshop, participant.pk, phase.pk)
    if left <= 0:
        raise ValidationError(_("Vous avez posé toutes vos gommettes pour cette phase."))
    vote, created = _get_or_create(Vote, workshop, client_id, participant=participant, phase=phase, **target)
    if created:
        left -= 1
        _votes_event(workshop, target=target)
    return vote, created, left


@transaction.atomic
def vote_remove(*, workshop: Workshop, participant: Participant | None, vote_id: int) -> int:
    if participant is None:
        raise PermissionDenied(_("Rejoignez l'atelier pour voter."))
    vote = Vote.objects.filter(workshop=workshop, pk=vote_id, participant=participant).first()
    if vote is None:
        raise Http404(_("Gommette introuvable."))
    phase_id = vote.phase_id
    target = {"contribution": vote.contribution} if vote.contribution_id else {"cluster": vote.cluster}
    vote.delete()
    _votes_event(workshop, target=target)
    return selectors.dots_left(workshop, participant.pk, phase_id)


def _cluster_event(cluster: Cluster) -> None:
    broadcast(
        cluster.workshop_id,
        {"type": "cluster", "cluster": selectors.cluster_dict(cluster, phase_order=_order(cluster.phase_id))},
    )


@transaction.atomic
def cluster_create(
    *, actor, workshop: Workshop, client_id, title: str, contribution_ids=(), suggested: bool = False
) -> tuple[Cluster, bool]:
    require_pilot(actor, workshop)
    client_id = _uuid(client_id)
    title = " ".join(str(title).split())[:160]
    if not title:
        raise ValidationError(_("Donnez un titre au groupe."))
    existing = Cluster.objects.filter(workshop=workshop, client_id=client_id).first()
    if existing is not None:
        return existing, False
    phase = phase_now(workshop)
    cluster, created = _get_or_create(
        Cluster, workshop, client_id, phase=phase, title=title, suggested=suggested
    )
    if created:
        _cluster_event(cluster)
        for c in Contribution.objects.filter(workshop=workshop, pk__in=list(contribution_ids)).select_related(
            "author", "typed_by"
        ):
            c.cluster = cluster
            c.save(update_fields=["cluster"])
            _contribution_event(c)
    return cluster, created


@transaction.atomic
def cluster_rename(*, actor, cluster: Cluster, title: str) -> Cluster:
    require_pilot(actor, cluster.workshop)
    title = " ".join(str(title).split())[:160]
    if not title:
        raise ValidationError(_("Donnez un titre au groupe."))
    cluster.title = title
    cluster.save(update_fields=["title"])
    _cluster_event(cluster)
    return cluster


@transaction.atomic
def cluster_delete(*, actor, cluster: Cluster) -> None:
    """Dissolve a group: its post-its stay, loose."""
    workshop = cluster.workshop
    require_pilot(actor, workshop)
    members = list(cluster.contributions.select_related("author", "typed_by"))
    pk = cluster.pk
    cluster.delete()
    broadcast(workshop.pk, {"type": "cluster_deleted", "id": pk})
    for c in members:
        c.cluster_id = None
        _contribution_event(c)


@transaction.atomic
def contribution_move(*, actor, contribution: Contribution, cluster: Cluster | None) -> Contribution:
    require_pilot(actor, contribution.workshop)
    if cluster is not None and cluster.workshop_id != contribution.workshop_id:
        raise ValidationError(_("Ce groupe appartient à un autre atelier."))
    contribution.cluster = cluster
    contribution.save(update_fields=["cluster"])
    _contribution_event(contribution)
    return contribution


@transaction.atomic
def contribution_hide(*, actor, contribution: Contribution, reason: str, hidden: bool = True) -> Contribution:
    """Moderation: hide (or show again) a post-it; the reason is kept in the audit log."""
    workshop = contribution.workshop
    require_pilot(actor, workshop)
    reason = " ".join(str(reason).split())[:300]
    if hidden and not reason:
        raise ValidationError(_("Donnez la raison du masquage (elle reste dans le journal)."))
    contribution.hidden = hidden
    contribution.hidden_reason = reason if hidden else ""
    contribution.save(update_fields=["hidden", "hidden_reason"])
    audit_record(
        actor=actor,
        action="workshop.hide" if hidden else "workshop.unhide",
        target=contribution,
        workspace=workshop.workspace,
        details={"reason": reason, "workshop": workshop.pk},
    )
    _contribution_event(contribution)
    return contribution


@transaction.atomic
def contribution_merge(*, actor, contribution: Contribution, into: Contribution) -> Contribution:
    """Merge a duplicate into another post-it: its dots move to the kept one, it disappears from boards."""
    require_pilot(actor, contribution.workshop)
    if into.workshop_id != contribution.workshop_id or into.pk == contribution.pk or into.merged_into_id:
        raise ValidationError(_("On fusionne un post-it avec un autre post-it du même atelier."))
    Vote.objects.filter(contribution=contribution).update(contribution=into)
    Contribution.objects.filter(merged_into=contribution).update(merged_into=into)
    contribution.merged_into = into
    contribution.save(update_fields=["merged_into"])
    _contribution_event(contribution)
    _votes_event(contribution.workshop)
    return contribution


def _set_timer(workshop: Workshop, phase: Phase | None, now) -> None:
    workshop.phase_started_at = now if phase else None
    workshop.phase_ends_at = now + timedelta(minutes=phase.duration_minutes) if phase else None
    workshop.paused_remaining = None


@transaction.atomic
def phase_control(*, actor, workshop: Workshop, action: str, phase_order: int | None = None) -> Workshop:
    """start (first phase, or resume after a pause), next, pause (freeze the timer), goto (phase_order)."""
    require_pilot(actor, workshop)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status == Workshop.Status.CLOSED:
        raise ValidationError(_("L'atelier est terminé."))
    orders = list(workshop.phases.values_list("order", flat=True))
    now = timezone.now()
    if action == "start":
        if workshop.paused_remaining is not None and workshop.current_phase is not None:
            workshop.phase_ends_at = now + timedelta(seconds=workshop.paused_remaining)
            workshop.paused_remaining = None
        else:
            action, phase_order = "goto", workshop.current_phase or orders[0]
    elif action == "pause":
        if workshop.current_phase is None or workshop.paused_remaining is not None:
            raise ValidationError(_("Aucune phase ne tourne."))
        workshop.paused_remaining = selectors.seconds_left(workshop) or 0
    elif action == "next":
        later = [o for o in orders if o > (workshop.current_phase or 0)]
        if not later:
            raise ValidationError(_("C'était la dernière phase : vous pouvez clore l'atelier."))
        action, phase_order = "goto", later[0]
    elif action != "goto":
        raise ValidationError(_("Action inconnue : %(a)s") % {"a": action})
    if action == "goto":
        if phase_order not in orders:
            raise ValidationError(_("Cette phase n'existe pas."))
        if workshop.status != Workshop.Status.OPEN:
            timeline_changed(workshop.workspace_id)
        workshop.current_phase = phase_order
        workshop.status = Workshop.Status.OPEN
        _set_timer(workshop, workshop.phases.get(order=phase_order), now)
    workshop.save()
    phase = workshop.phases.get(order=workshop.current_phase)
    broadcast(
        workshop.pk,
        {
            "type": "phase",
            "phase": selectors.phase_dict(phase),
            "status": workshop.status,
            "workshop": selectors.workshop_dict(workshop),
        },
    )
    return workshop


@transaction.atomic
def votes_reveal(*, actor, workshop: Workshop, revealed: bool = True) -> Workshop:
    require_pilot(actor, workshop)
    workshop.votes_revealed = revealed
    workshop.save(update_fields=["votes_revealed"])
    broadcast(workshop.pk, {"type": "workshop", "workshop": selectors.workshop_dict(workshop)})
    _votes_event(workshop)
    return workshop
