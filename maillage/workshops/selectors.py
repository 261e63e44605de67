"""Reads of the workshops app: the live snapshot (a fixed number of queries whatever the number of post-its),
the JSON shapes of docs/WORKSHOPS_LIVE.md, the participation figures and the compte rendu."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from maillage.workshops.models import Cluster, Contribution, Participant, Phase, ProjectSheet, Vote, Workshop

PILOT, BOARD, PARTICIPANT = "pilot", "board", "participant"


@dataclass(frozen=True)
class Viewer:
    """Who looks at a workshop: the facilitator (pilot), the projector (board) or a participant."""

    kind: str
    participant_id: int | None = None

    @property
    def is_pilot(self) -> bool:
        return self.kind == PILOT


def phase_dict(phase: Phase | None) -> dict | None:
    if phase is None:
        return None
    return {
        "order": phase.order,
        "title": phase.title,
        "prompt": phase.prompt,
        "duration_minutes": phase.duration_minutes,
        **{f: getattr(phase, f) for f in Phase.PERMISSION_FIELDS},
    }


def workshop_dict(workshop: Workshop) -> dict:
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "id": workshop.pk,
        "title": workshop.title,
        "status": workshop.status,
        "join_code": workshop.join_code,
        "current_phase": workshop.current_phase,
        "phase_started_at": iso(workshop.phase_started_at),
        "phase_ends_at": iso(workshop.phase_ends_at),
        "paused_remaining": workshop.paused_remaining,
        "dots_per_participant": workshop.dots_per_participant,
        "votes_revealed": workshop.votes_revealed,
        "place": workshop.place,
        "starts_at": iso(workshop.starts_at),
    }


def contribution_dict(c: Contribution, *, phase_order: int, for_pilot: bool = False) -> dict:
    data = {
        "id": c.pk,
        "client_id": str(c.client_id),
        "phase_order": phase_order,
        "text": c.text,
        "author_id": c.author_id,
        "author_label": c.author.display_name,
        "typed_by_label": c.typed_by.display_label if c.typed_by_id else "",
        "cluster_id": c.cluster_id,
        "hidden": c.hidden or c.merged_into_id is not None,
        "merged_into_id": c.merged_into_id,
        "created_at": c.created_at.isoformat(),
    }
    if for_pilot:
        data["hidden_reason"] = c.hidden_reason
    return data


def cluster_dict(cluster: Cluster, *, phase_order: int) -> dict:
    return {
        "id": cluster.pk,
        "client_id": str(cluster.client_id),
        "phase_order": phase_order,
        "title": cluster.title,
        "suggested": cluster.suggested,
    }


def vote_totals(workshop_id: int) -> dict[str, int]:
    """{"contribution:<id>": n, "cluster:<id>": n} in one query."""
    rows = (
        Vote.objects.filter(workshop_id=workshop_id)
        .values("contribution_id", "cluster_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals = {}
    for row in rows:
        key = (
            f"contribution:{row['contribution_id']}"
            if row["contribution_id"]
            else f"cluster:{row['cluster_id']}"
        )
        totals[key] = row["n"]
    return totals


def dots_left(workshop: Workshop, participant_id: int | None, phase_id: int | None) -> int:
    if participant_id is None or phase_id is None:
        return 0
    used = Vote.objects.filter(participant_id=participant_id, phase_id=phase_id).count()
    return max(workshop.dots_per_participant - used, 0)


def current_phase(workshop: Workshop, phases: list[Phase] | None = None) -> Phase | None:
    if workshop.current_phase is None:
        return None
    if phases is not None:
        return next((p for p in phases if p.order == workshop.current_phase), None)
    return workshop.phases.filter(order=workshop.current_phase).first()


def visible_to(c: dict, viewer: Viewer, phase_private: bool) -> bool:
    """May `viewer` see this contribution (a CONTRIBUTION dict)?"""
    if viewer.is_pilot:
        return True
    if c["hidden"]:
        return False
    if phase_private:
        return viewer.kind == PARTICIPANT and c["author_id"] == viewer.participant_id
    return True


def snapshot(workshop: Workshop, viewer: Viewer) -> dict:
    """STATE of docs/WORKSHOPS_LIVE.md for this viewer: 5 queries whatever the size of the workshop."""
    phases = list(workshop.phases.all())
    by_id = {p.pk: p for p in phases}
    phase = current_phase(workshop, phases)
    contributions = [
        contribution_dict(c, phase_order=by_id[c.phase_id].order, for_pilot=viewer.is_pilot)
        for c in Contribution.objects.filter(workshop=workshop).select_related("author", "typed_by")
    ]
    private = {p.order for p in phases if not p.participants_see_posts}
    contributions = [c for c in contributions if visible_to(c, viewer, c["phase_order"] in private)]
    clusters = [cluster_dict(cl, phase_order=by_id[cl.phase_id].order) for cl in workshop.clusters.all()]
    state = {
        "workshop": workshop_dict(workshop),
        "phase": phase_dict(phase),
        "phases": [phase_dict(p) for p in phases],
        "contributions": contributions,
        "clusters": clusters,
        "votes": vote_totals(workshop.pk) if viewer.is_pilot or workshop.votes_revealed else {},
        "my_dots_left": dots_left(workshop, viewer.participant_id, phase.pk if phase else None),
    }
    return state


def seconds_left(workshop: Workshop) -> int | None:
    if workshop.paused_remaining is not None:
        return workshop.paused_remaining
    if workshop.phase_ends_at is None:
        return None
    return max(int((workshop.phase_ends_at - timezone.now()).total_seconds()), 0)


# --- Record, compte rendu -------------------------------------------------------------------------------


def participation_figures(workshop: Workshop) -> dict:
    """Participants by role, first-timers, contributions by phase: three queries."""
    by_role = dict(
        Participant.objects.filter(workshop=workshop)
        .values_list("role_as")
        .annotate(n=Count("id"))
        .order_by()
    )
    people = Participant.objects.filter(workshop=workshop).aggregate(
        total=Count("id"), first=Count("id", filter=Q(first_time=True))
    )
    per_phase = dict(
        Contribution.objects.filter(workshop=workshop, hidden=False)
        .values_list("phase__order")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "participants": people["total"],
        "first_timers": people["first"],
        "by_role": [(label, by_role.get(value, 0)) for value, label in Participant.RoleAs.choices],
        "by_phase": [(p, per_phase.get(p.order, 0)) for p in workshop.phases.all()],
    }


def votes_by_role(workshop: Workshop) -> dict[str, dict[str, int]]:
    """{"contribution:<id>": {role: n}} for the facilitator's results by role (one query)."""
    result: dict[str, Counter] = defaultdict(Counter)
    for contribution_id, cluster_id, role in Vote.objects.filter(workshop=workshop).values_list(
        "contribution_id", "cluster_id", "participant__role_as"
    ):
        key = f"contribution:{contribution_id}" if contribution_id else f"cluster:{cluster_id}"
        result[key][role] += 1
    return {k: dict(v) for k, v in result.items()}


def compte_rendu(workshop: Workshop) -> dict:
    """Every visible post-it by phase and cluster, with its votes; projects and who signed up."""
    phases = list(workshop.phases.all())
    totals = vote_totals(workshop.pk)
    clusters = defaultdict(list)
    for cl in workshop.clusters.all():
        clusters[cl.phase_id].append(cl)
    posts = defaultdict(list)
    for c in Contribution.objects.filter(workshop=workshop, hidden=False, merged_into=None).select_related(
        "author", "typed_by"
    ):
        c.dots = totals.get(f"contribution:{c.pk}", 0)
        posts[(c.phase_id, c.cluster_id)].append(c)
    sections = []
    for phase in phases:
        groups = [
            {
                "cluster": cl,
                "dots": totals.get(f"cluster:{cl.pk}", 0),
                "posts": posts.get((phase.pk, cl.pk), []),
            }
            for cl in clusters[phase.pk]
        ]
        loose = posts.get((phase.pk, None), [])
        if groups or loose:
            sections.append({"phase": phase, "groups": groups, "loose": loose})
    projects = list(
        ProjectSheet.objects.filter(workshop=workshop)
        .select_related("collective")
        .prefetch_related("signups__participant")
    )
    return {"sections": sections, "projects": projects, "figures": participation_figures(workshop)}


def workshops_of(workspace):
    return (
        Workshop.objects.filter(workspace=workspace)
        .annotate(n_participants=Count("participants", distinct=True))
        .order_by("status", "-starts_at", "-created_at")
    )


def projects_of(workshop: Workshop):
    return (
        ProjectSheet.objects.filter(workshop=workshop)
        .select_related("collective__workspace", "cluster")
        .prefetch_related("signups__participant")
    )


def csv_rows(workshop: Workshop):
    """One row per post-it (hidden ones flagged), with its phase, group and dots: three queries."""
    totals = vote_totals(workshop.pk)
    for c in (
        Contribution.objects.filter(workshop=workshop, merged_into=None)
        .select_related("phase", "cluster", "author", "typed_by")
        .order_by("phase__order", "cluster_id", "pk")
    ):
        yield [
            c.phase.title,
            c.cluster.title if c.cluster_id else "",
            c.text,
            c.author.display_name,
            c.typed_by.display_label if c.typed_by_id else "",
            totals.get(f"contribution:{c.pk}", 0),
            "oui" if c.hidden else "",
        ]
