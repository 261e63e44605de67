"""Typed schemas of the workshops API (docs/WORKSHOPS_LIVE.md)."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from maillage.workshops.models import MAX_TEXT, ProjectSheet, Template

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]  # a database id: anything else is a 422, not a 500


class PhaseIn(Schema):
    title: str = Field(..., max_length=120)
    prompt: str = Field("", max_length=2000)
    duration_minutes: int = Field(20, ge=1, le=600)
    can_post: bool = True
    can_vote: bool = False
    can_group: bool = False
    can_comment: bool = False
    can_sign_up: bool = False
    participants_see_posts: bool = True


class PhaseOut(PhaseIn):
    order: int


class TemplateIn(Schema):
    workspace: str = Field(..., max_length=100)
    name: str = Field(..., max_length=120)
    description: str = Field("", max_length=2000)
    phases: list[PhaseIn] = Field(..., max_length=12)


class TemplateOut(Schema):
    id: int
    key: str
    name: str
    description: str
    source: str
    builtin: bool
    phases: list[PhaseOut]

    @staticmethod
    def resolve_builtin(obj: Template) -> bool:
        return obj.is_builtin

    @staticmethod
    def resolve_phases(obj: Template) -> list:
        return list(obj.phases.all())


class WorkshopIn(Schema):
    workspace: str = Field(..., max_length=100)
    template: Id
    title: str = Field(..., max_length=160)
    dots_per_participant: int = Field(5, ge=0, le=50)
    starts_at: datetime | None = None
    place: str = Field("", max_length=200)


class WorkshopOut(Schema):
    id: int
    title: str
    workspace: str
    status: str
    join_code: str
    board_key: str | None = None
    current_phase: int | None
    dots_per_participant: int
    votes_revealed: bool
    place: str
    starts_at: datetime | None
    phases: list[PhaseOut]
    ws_path: str
    board_url: str | None = None


class Figures(Schema):
    participants: int
    first_timers: int
    by_role: dict[str, int]
    contributions_by_phase: dict[str, int]


class WorkshopRecord(WorkshopOut):
    figures: Figures
    collectives: list[str]


class JoinIn(Schema):
    code: str = Field(..., max_length=20)
    display_name: str = Field("", max_length=60)
    role_as: Literal["habitant", "professionnel", "elu", "benevole"] = "habitant"
    first_time: bool = False
    consent: bool = False
    contact: str = Field("", max_length=200)


class JoinOut(Schema):
    participant_id: int
    token: str
    workshop_id: int
    ws_path: str


class PostIn(Schema):
    client_id: uuid.UUID
    text: str = Field(..., max_length=MAX_TEXT)
    on_behalf_of: Id | None = None


class WriteOut(Schema):
    id: int
    client_id: uuid.UUID
    created: bool


class VoteIn(Schema):
    client_id: uuid.UUID
    target_kind: Literal["contribution", "cluster"]
    target_id: Id


class VoteOut(Schema):
    id: int
    created: bool
    dots_left: int


class DotsOut(Schema):
    dots_left: int


class ClusterIn(Schema):
    client_id: uuid.UUID
    title: str = Field(..., max_length=160)
    contribution_ids: list[Id] = Field([], max_length=1000)
    suggested: bool = False


class MoveIn(Schema):
    cluster_id: Id | None = None


class SuggestionOut(Schema):
    title: str
    contribution_ids: list[int]


class PhaseActionIn(Schema):
    action: Literal["start", "next", "pause", "goto"]
    phase_order: int | None = Field(None, ge=1, le=1000)


class HideIn(Schema):
    reason: str = Field("", max_length=300)
    hidden: bool = True


class ProjectIn(Schema):
    title: str = Field(..., max_length=160)
    cluster_id: Id | None = None
    objective: str = Field("", max_length=2000)
    first_steps: str = Field("", max_length=2000)
    resources: str = Field("", max_length=2000)


class ProjectOut(Schema):
    id: int
    title: str
    objective: str
    first_steps: str
    resources: str
    cluster_id: int | None
    signups: int
    collective_id: int | None

    @staticmethod
    def resolve_signups(obj: ProjectSheet) -> int:
        return obj.signups.count()


class SignupIn(Schema):
    participant_id: Id | None = None
    join: bool = True


class CollectiveRef(Schema):
    id: int
    name: str
    url: str


class CloseOut(Schema):
    status: str
    collectives: list[CollectiveRef]


class OkOut(Schema):
    ok: bool = True
