"""Read API of the collectives: /api/v1/collectives. Same visibility as the pages: anyone for a public
workspace, members otherwise. Members are listed by the name they chose (pseudonym or display name), to
workspace members only, and never with a contact or an e-mail address."""

from datetime import date, datetime

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Schema

from maillage.accounts.api_auth import optional_user
from maillage.collectives import selectors
from maillage.collectives.models import Collective, Member
from maillage.workspaces.rules import get_workspace_for_user

router = Router(tags=["collectifs"])


class CollectiveOut(Schema):
    id: int
    slug: str
    name: str
    workspace: str
    kind: str
    kind_label: str
    stage: str
    stage_label: str
    origin: str
    origin_label: str
    origin_url: str
    themes: list[str]
    work_model: str
    member_count: int
    next_session_at: datetime | None
    url: str

    @staticmethod
    def resolve_workspace(obj: Collective) -> str:
        return obj.workspace.slug

    @staticmethod
    def resolve_kind_label(obj: Collective) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_stage_label(obj: Collective) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_url(obj: Collective) -> str:
        return reverse("collectives:detail", args=[obj.workspace.slug, obj.slug])


class CollectiveList(Schema):
    items: list[CollectiveOut]
    count: int


class MemberOut(Schema):
    id: int
    name: str
    category: str
    has_account: bool
    is_relay: bool
    joined_on: date
    left_on: date | None

    @staticmethod
    def resolve_name(obj: Member) -> str:
        return obj.display_name


class CompositionRow(Schema):
    category: str
    label: str
    count: int
    percent: int


class CompositionOut(Schema):
    total: int
    people_count: int
    people_percent: int
    target: int | None
    below_target: bool
    rows: list[CompositionRow]


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    note: str
    changed_at: datetime


class NextSessionOut(Schema):
    id: int
    starts_at: datetime
    place: str
    objectives: str


class CollectiveDetail(CollectiveOut):
    purpose: str
    perimeter: str | None
    composition: CompositionOut
    members: list[MemberOut] | None
    next_session: NextSessionOut | None
    next_objectives: str
    stage_history: list[StageChangeOut]

    # `collective_detail` puts what it selected on the collective (api_*) before serialising.
    @staticmethod
    def resolve_perimeter(obj: Collective) -> str | None:
        return obj.perimeter.name if obj.perimeter else None

    @staticmethod
    def resolve_composition(obj: Collective) -> dict:
        comp = obj.api_composition
        rows = [{"category": c, "label": label, "count": n, "percent": p} for c, label, n, p in comp.rows]
        return {**comp.__dict__, "below_target": comp.below_target, "rows": rows}

    @staticmethod
    def resolve_members(obj: Collective) -> list[Member] | None:
        return obj.api_members

    @staticmethod
    def resolve_member_count(obj: Collective) -> int:
        return obj.api_composition.total

    @staticmethod
    def resolve_next_session_at(obj: Collective) -> datetime | None:
        return obj.next_session.starts_at if obj.next_session else None

    @staticmethod
    def resolve_stage_history(obj: Collective) -> list:
        return list(obj.stage_changes.all())


class SessionOut(Schema):
    id: int
    starts_at: datetime
    place: str
    agenda: str
    objectives: str
    minutes: str
    next_objectives: str
    closed: bool
    present_count: int
    recorded_count: int

    @staticmethod
    def resolve_closed(obj) -> bool:
        return obj.is_closed


class SessionList(Schema):
    items: list[SessionOut]
    count: int


class AnsweredProposalOut(Schema):
    id: int
    text: str
    author: str | None
    retour: str
    retour_at: datetime | None


class DecisionOut(Schema):
    id: int
    text: str
    level: str
    method: str
    result: str
    decided_on: date
    session_id: int | None
    participant_count: int
    answered_proposals: list[AnsweredProposalOut]


class DecisionList(Schema):
    items: list[DecisionOut]
    count: int


def _collective(request, collective_id: int) -> Collective:
    user = optional_user(request)
    collective = Collective.objects.select_related("workspace", "perimeter").filter(pk=collective_id).first()
    if collective is None or not user.has_perm("collectives.view_collective", collective.workspace):
        raise Http404("Collectif introuvable (ou non visible pour vous).")
    return collective


@router.get(
    "", response=CollectiveList, summary="Les collectifs d'un espace", operation_id="collectives_list"
)
def collective_list(request, workspace: str):
    """`workspace`: the workspace's short address (slug). Public workspaces need no authentication."""
    ws = get_workspace_for_user(optional_user(request), workspace, "collectives.view_collective")
    items = list(selectors.collectives_of(ws))
    for c in items:
        c.workspace = ws
    return {"items": items, "count": len(items)}


@router.get(
    "/{collective_id}",
    response=CollectiveDetail,
    summary="Un collectif : composition, membres (sans coordonnées), prochaine séance, étapes",
    operation_id="collectives_detail",
)
def collective_detail(request, collective_id: int):
    collective = _collective(request, collective_id)
    members = list(collective.members.select_related("user").order_by("pk"))
    collective.api_composition = selectors.composition(
        [m for m in members if m.is_active], collective.composition_target
    )
    collective.api_members = (
        members if request.user.has_perm("collectives.view_members", collective.workspace) else None
    )
    collective.next_session = selectors.next_session(collective)
    collective.next_objectives = selectors.next_objectives(
        collective.next_session, selectors.last_closed_session(collective)
    )
    return collective


@router.get(
    "/{collective_id}/sessions",
    response=SessionList,
    summary="Les séances d'un collectif (les plus récentes d'abord)",
    operation_id="collectives_sessions",
)
def session_list(
    request, collective_id: int, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=10**6)
):
    collective = _collective(request, collective_id)
    qs = selectors.sessions_of(collective)
    return {"items": list(qs[offset : offset + limit]), "count": collective.sessions.count()}


@router.get(
    "/{collective_id}/decisions",
    response=DecisionList,
    summary="Les décisions d'un collectif, leur niveau de participation et les retours aux propositions",
    operation_id="collectives_decisions",
)
def decision_list(
    request, collective_id: int, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=10**6)
):
    collective = _collective(request, collective_id)
    qs = selectors.decisions_of(collective)
    items = [
        {
            **{
                f: getattr(d, f)
                for f in ("id", "text", "level", "method", "result", "decided_on", "session_id")
            },
            "participant_count": d.participant_count,
            "answered_proposals": [
                {
                    "id": p.pk,
                    "text": p.text,
                    "author": p.author.display_name if p.author else None,
                    "retour": p.retour,
                    "retour_at": p.retour_at,
                }
                for p in d.answered_proposals.all()
            ],
        }
        for d in qs[offset : offset + limit]
    ]
    return {"items": items, "count": collective.decisions.count()}


from maillage.collectives import api_write  # noqa: E402, F401  (write endpoints on the same router)
