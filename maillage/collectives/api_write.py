"""Write API of the collectives (bearer token or session): members (with the person's consent when they
have no account), sessions and attendance, decisions with their retours, tasks. Same permissions as the
pages; French messages; typed 4xx errors (400 invalid, 401, 403 forbidden, 404 not visible)."""

import functools
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Schema, Status
from ninja.errors import HttpError

from maillage.accounts.api_auth import AUTHENTICATED
from maillage.collectives import services
from maillage.collectives.api import MemberOut, _collective, router
from maillage.collectives.models import Decision, Member, Session, Task
from maillage.workspaces.models import Membership

MAX_ID = 2_147_483_647
ID = Path(..., ge=1, le=MAX_ID)


def typed_errors(view):
    """Django's ValidationError → 400 with the French message(s)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            raise HttpError(400, " ".join(error.messages)) from None

    return wrapper


def _check_moment(value: datetime) -> datetime:
    if not 2000 <= value.year <= 2100:
        raise HttpError(400, "La date doit être comprise entre 2000 et 2100.")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class MemberIn(Schema):
    user_id: int | None = Field(None, ge=1, le=MAX_ID, description="Compte (membre de l'espace), ou rien")
    pseudonym: str = Field("", max_length=80, description="Pour une personne sans compte")
    consent: bool = Field(False, description="Sans compte : la personne a donné son accord (obligatoire)")
    contact: str = Field("", max_length=200, description="Sans compte : moyen de la joindre (facultatif)")
    category: Member.Category = Member.Category.HABITANT
    is_relay: bool = False
    joined_on: date | None = None


@router.post(
    "/{collective_id}/members",
    response={201: MemberOut},
    auth=AUTHENTICATED,
    summary="Ajouter un membre (animateurs) ; sans compte, l'accord de la personne est requis",
    operation_id="collectives_member_add",
)
@typed_errors
def member_add(request, payload: MemberIn, collective_id: int = ID):
    collective = _collective(request, collective_id)
    user = None
    if payload.user_id is not None:
        membership = Membership.objects.filter(
            workspace=collective.workspace, user_id=payload.user_id
        ).first()
        if membership is None:
            raise HttpError(400, "Cette personne n'est pas membre de l'espace.")
        user = membership.user
    elif not payload.consent:
        raise HttpError(400, "Une personne sans compte ne peut être inscrite qu'avec son accord (consent).")
    spec = services.MemberSpec(
        user=user,
        pseudonym=payload.pseudonym,
        category=payload.category,
        contact=payload.contact if user is None else "",
        consent_given_at=timezone.now() if user is None else None,
        is_relay=payload.is_relay,
        joined_on=payload.joined_on,
    )
    return Status(201, services.member_add(actor=request.auth, collective=collective, spec=spec))


class SessionIn(Schema):
    starts_at: datetime
    place: str = Field("", max_length=200)
    agenda: str = Field("", max_length=5000)
    objectives: str | None = Field(
        None, max_length=5000, description="Par défaut : ceux fixés à la séance précédente"
    )


class SessionCreated(Schema):
    id: int
    starts_at: datetime
    place: str
    objectives: str


@router.post(
    "/{collective_id}/sessions",
    response={201: SessionCreated},
    auth=AUTHENTICATED,
    summary="Programmer une séance (animateurs)",
    operation_id="collectives_session_add",
)
@typed_errors
def session_add(request, payload: SessionIn, collective_id: int = ID):
    collective = _collective(request, collective_id)
    session = services.session_create(
        actor=request.auth,
        collective=collective,
        starts_at=_check_moment(payload.starts_at),
        place=payload.place,
        agenda=payload.agenda,
        objectives=payload.objectives,
    )
    return Status(201, session)


class AttendanceIn(Schema):
    statuses: dict[int, str] = Field(..., description="id du membre → present, excuse ou absent")


class AttendanceOut(Schema):
    recorded: int


@router.post(
    "/{collective_id}/sessions/{session_id}/attendance",
    response=AttendanceOut,
    auth=AUTHENTICATED,
    summary="Relever les présences d'une séance, pour tous les membres attendus (animateurs)",
    operation_id="collectives_attendance",
)
@typed_errors
def attendance(request, payload: AttendanceIn, collective_id: int = ID, session_id: int = ID):
    collective = _collective(request, collective_id)
    session = get_object_or_404(Session, collective=collective, pk=session_id)
    session.collective = collective
    rows = services.session_record_attendance(actor=request.auth, session=session, statuses=payload.statuses)
    return {"recorded": len(rows)}


class RetourIn(Schema):
    proposal_id: int = Field(..., ge=1, le=MAX_ID)
    retour: str = Field(..., max_length=5000)


class DecisionIn(Schema):
    text: str = Field(..., max_length=5000)
    level: Decision.Level
    method: Decision.Method
    result: str = Field("", max_length=300)
    session_id: int | None = Field(None, ge=1, le=MAX_ID)
    decided_on: date | None = None
    answers: list[RetourIn] = Field(default_factory=list, max_length=200)


class DecisionCreated(Schema):
    id: int
    text: str
    level: str
    method: str
    decided_on: date
    answered: int


@router.post(
    "/{collective_id}/decisions",
    response={201: DecisionCreated},
    auth=AUTHENTICATED,
    summary="Enregistrer une décision et le retour fait à chaque proposition qu'elle traite (animateurs)",
    operation_id="collectives_decision_add",
)
@typed_errors
def decision_add(request, payload: DecisionIn, collective_id: int = ID):
    collective = _collective(request, collective_id)
    session = None
    if payload.session_id is not None:
        session = get_object_or_404(Session, collective=collective, pk=payload.session_id)
    proposals = {
        p.pk: p for p in collective.proposals.filter(pk__in=[a.proposal_id for a in payload.answers])
    }
    if len(proposals) != len({a.proposal_id for a in payload.answers}):
        raise HttpError(400, "Une proposition n'appartient pas à ce collectif.")
    decision = services.decision_record(
        actor=request.auth,
        collective=collective,
        text=payload.text,
        level=payload.level,
        method=payload.method,
        result=payload.result,
        session=session,
        decided_on=payload.decided_on,
        answers={proposals[a.proposal_id]: a.retour for a in payload.answers},
    )
    fields = {f: getattr(decision, f) for f in ("id", "text", "level", "method", "decided_on")}
    return Status(201, {**fields, "answered": len(proposals)})


class TaskIn(Schema):
    title: str = Field(..., max_length=200)
    owner_id: int | None = Field(None, ge=1, le=MAX_ID, description="Membre (avec ou sans compte)")
    due_on: date | None = None
    description: str = Field("", max_length=5000)


class TaskOut(Schema):
    id: int
    title: str
    owner_id: int | None
    owner: str | None
    due_on: date | None
    status: str
    overdue: bool

    @staticmethod
    def resolve_owner(obj: Task) -> str | None:
        return obj.owner.display_name if obj.owner else None

    @staticmethod
    def resolve_overdue(obj: Task) -> bool:
        return obj.is_overdue


class TaskStatusIn(Schema):
    status: Task.Status


@router.get(
    "/{collective_id}/tasks",
    response=list[TaskOut],
    summary="Le plan d'action : les tâches d'un collectif",
    operation_id="collectives_tasks",
)
def task_list(request, collective_id: int = ID):
    """Who owns each task is shown to workspace members only (like the member list)."""
    collective = _collective(request, collective_id)
    tasks = list(collective.tasks.select_related("owner__user")[:500])
    if not request.user.has_perm("collectives.view_members", collective.workspace):
        for t in tasks:
            t.owner, t.owner_id = None, None
    return tasks


@router.post(
    "/{collective_id}/tasks",
    response={201: TaskOut},
    auth=AUTHENTICATED,
    summary="Ajouter une tâche au plan d'action (animateurs)",
    operation_id="collectives_task_add",
)
@typed_errors
def task_add(request, payload: TaskIn, collective_id: int = ID):
    collective = _collective(request, collective_id)
    owner = None
    if payload.owner_id is not None:
        owner = collective.members.select_related("user").filter(pk=payload.owner_id).first()
        if owner is None:
            raise HttpError(400, "Cette personne n'est pas membre du collectif.")
    task = services.task_create(
        actor=request.auth,
        collective=collective,
        title=payload.title,
        owner=owner,
        due_on=payload.due_on,
        description=payload.description,
    )
    return Status(201, task)


@router.patch(
    "/{collective_id}/tasks/{task_id}",
    response=TaskOut,
    auth=AUTHENTICATED,
    summary="Changer l'état d'une tâche (animateurs, ou la personne qui s'en occupe)",
    operation_id="collectives_task_update",
)
@typed_errors
def task_update(request, payload: TaskStatusIn, collective_id: int = ID, task_id: int = ID):
    collective = _collective(request, collective_id)
    task = get_object_or_404(Task.objects.select_related("owner__user"), collective=collective, pk=task_id)
    task.collective = collective
    return services.task_update(actor=request.auth, task=task, status=str(payload.status.value))
