"""The constructive phase and the end: suggested groups, project sheets, sign-ups, closing (project groups)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from maillage.core.registry import timeline_changed
from maillage.core.services import audit_record
from maillage.workshops import selectors
from maillage.workshops.models import (
    Cluster,
    Contribution,
    Participant,
    ProjectSheet,
    ProjectSignup,
    Workshop,
)
from maillage.workshops.services._common import broadcast, is_pilot, phase_now, require_pilot


def suggest_for_phase(*, actor, workshop: Workshop, max_groups: int | None = None) -> list[dict]:
    """Suggested groups for the loose, visible post-its of the current phase (nothing is saved: the
    facilitator accepts a suggestion by creating a cluster with `suggested=True`)."""
    require_pilot(actor, workshop)
    from maillage.workshops.suggest import suggest_groups

    phase = phase_now(workshop)
    texts = list(
        Contribution.objects.filter(
            workshop=workshop, phase=phase, hidden=False, merged_into=None, cluster=None
        ).values_list("pk", "text")
    )
    if len(texts) < 2:
        return []
    return [
        {"title": g.title, "contribution_ids": list(g.contribution_ids)}
        for g in suggest_groups(texts, max_groups=max_groups)
        if g.contribution_ids
    ]


def _project_event(project: ProjectSheet) -> None:
    broadcast(project.workshop_id, {"type": "project", "project": {"id": project.pk, "title": project.title}})


def _clean_sheet(title: str, objective: str, first_steps: str, resources: str) -> dict:
    title = " ".join(str(title).split())[:160]
    if not title:
        raise ValidationError(_("Donnez un titre au projet."))
    return {
        "title": title,
        "objective": str(objective).strip()[:2000],
        "first_steps": str(first_steps).strip()[:2000],
        "resources": str(resources).strip()[:2000],
    }


@transaction.atomic
def project_create(
    *,
    actor,
    workshop: Workshop,
    title: str,
    cluster_id: int | None = None,
    objective: str = "",
    first_steps: str = "",
    resources: str = "",
) -> ProjectSheet:
    require_pilot(actor, workshop)
    if workshop.status == Workshop.Status.CLOSED:
        raise ValidationError(_("L'atelier est terminé."))
    cluster = None
    if cluster_id is not None:
        cluster = Cluster.objects.filter(workshop=workshop, pk=cluster_id).first()
        if cluster is None:
            raise ValidationError(_("Ce groupe n'existe pas dans cet atelier."))
    project = ProjectSheet.objects.create(
        workshop=workshop, cluster=cluster, **_clean_sheet(title, objective, first_steps, resources)
    )
    _project_event(project)
    return project


@transaction.atomic
def project_update(
    *,
    actor,
    project: ProjectSheet,
    title: str,
    objective: str = "",
    first_steps: str = "",
    resources: str = "",
) -> ProjectSheet:
    require_pilot(actor, project.workshop)
    for field, value in _clean_sheet(title, objective, first_steps, resources).items():
        setattr(project, field, value)
    project.save()
    _project_event(project)
    return project


@transaction.atomic
def project_signup(
    *, actor=None, project: ProjectSheet, participant: Participant | None, join: bool = True
) -> ProjectSignup | None:
    """A participant signs up to a project (or withdraws); an animateur may sign someone up at any time."""
    workshop = Workshop.objects.select_related("workspace").get(pk=project.workshop_id)  # fresh phase
    if participant is None or participant.workshop_id != workshop.pk:
        raise PermissionDenied(_("Rejoignez l'atelier pour vous inscrire."))
    if workshop.status == Workshop.Status.CLOSED:
        raise ValidationError(_("L'atelier est terminé."))
    if not is_pilot(actor, workshop) and not phase_now(workshop).can_sign_up:
        raise ValidationError(_("Les inscriptions aux projets ne sont pas ouvertes pendant cette phase."))
    signup = None
    if join:
        try:
            with transaction.atomic():
                signup, _created = ProjectSignup.objects.get_or_create(
                    project=project, participant=participant
                )
        except IntegrityError:
            signup = ProjectSignup.objects.get(project=project, participant=participant)
    else:
        ProjectSignup.objects.filter(project=project, participant=participant).delete()
    _project_event(project)
    return signup


def _member_specs(project: ProjectSheet) -> list:
    """Account holders who belong to the workspace as `user=`; the others as a pseudonym with their contact
    (only those who left one: a project group must be able to reach its members)."""
    from maillage.collectives.services.collectives import MemberSpec

    workspace_users = set(project.workshop.workspace.memberships.values_list("user_id", flat=True))
    specs = []
    for signup in project.signups.select_related("participant__user"):
        p = signup.participant
        category = p.role_as  # the four roles are also collective member categories
        if p.user_id and p.user_id in workspace_users:
            specs.append(MemberSpec(user=p.user, category=category))
        elif p.contact or p.user_id:
            contact = p.contact or (p.user.email if p.user_id else "")
            specs.append(
                MemberSpec(
                    pseudonym=p.display_name,
                    contact=contact,
                    consent_given_at=p.consent_at,
                    category=category,
                )
            )
    return specs


@transaction.atomic
def projects_create_groups(*, actor, workshop: Workshop) -> list:
    """One project group (collective) per project sheet that has none yet, with its members."""
    from maillage.collectives.models import Collective
    from maillage.collectives.services.collectives import collective_create

    require_pilot(actor, workshop)
    label = _("Atelier « %(title)s »") % {"title": workshop.title}
    if workshop.starts_at:
        label += " — " + formats.date_format(timezone.localtime(workshop.starts_at), "j F Y")
    created = []
    for project in ProjectSheet.objects.filter(workshop=workshop, collective=None).select_related(
        "workshop__workspace"
    ):
        collective = collective_create(
            actor=actor,
            workspace=workshop.workspace,
            name=project.title,
            kind=Collective.Kind.GROUPE_PROJET,
            origin=Collective.Origin.WORKSHOP,
            origin_label=label,
            origin_url=reverse("workshops:record", args=[workshop.pk]),
            purpose=project.objective,
            members=_member_specs(project),
        )
        project.collective = collective
        project.save(update_fields=["collective"])
        created.append(collective)
    return created


@transaction.atomic
def workshop_close(*, actor, workshop: Workshop, next_meeting_at=None) -> list:
    """Close the workshop; create the project groups. Returns every collective born from it."""
    require_pilot(actor, workshop)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    projects_create_groups(actor=actor, workshop=workshop)
    if workshop.status != Workshop.Status.CLOSED:
        workshop.status = Workshop.Status.CLOSED
        workshop.closed_at = timezone.now()
        workshop.phase_ends_at = None
        workshop.paused_remaining = None
        if next_meeting_at is not None:
            workshop.next_meeting_at = next_meeting_at
        workshop.save()
        audit_record(actor=actor, action="workshop.close", target=workshop, workspace=workshop.workspace)
        timeline_changed(workshop.workspace_id)
        phase = selectors.current_phase(workshop)
        broadcast(
            workshop.pk,
            {
                "type": "phase",
                "phase": selectors.phase_dict(phase),
                "status": workshop.status,
                "workshop": selectors.workshop_dict(workshop),
            },
        )
    from maillage.collectives.models import Collective

    ids = (
        ProjectSheet.objects.filter(workshop=workshop)
        .exclude(collective=None)
        .values_list("collective_id", flat=True)
    )
    return list(Collective.objects.filter(pk__in=list(ids)))
