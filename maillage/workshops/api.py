"""Workshops API (/api/v1/workshops): every operation of a live workshop, per docs/WORKSHOPS_LIVE.md.

Account holders: bearer token (or the browser session, CSRF-checked for writes); participants without an
account: `X-Participant-Token` from `join`. Django ValidationError becomes a typed 400, never a 500.
"""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.utils import check_csrf

from maillage.accounts.api_auth import optional_user
from maillage.workshops import selectors, services
from maillage.workshops.models import (
    Cluster,
    Contribution,
    Participant,
    ProjectSheet,
    Workshop,
)
from maillage.workshops.schemas import (
    CloseOut,
    ClusterIn,
    DotsOut,
    HideIn,
    JoinIn,
    JoinOut,
    MoveIn,
    OkOut,
    PhaseActionIn,
    PostIn,
    ProjectIn,
    ProjectOut,
    SignupIn,
    SuggestionOut,
    TemplateIn,
    TemplateOut,
    VoteIn,
    VoteOut,
    WorkshopIn,
    WorkshopOut,
    WorkshopRecord,
    WriteOut,
)
from maillage.workspaces.rules import get_workspace_for_user

router = Router(tags=["ateliers"])


def typed_errors(view):
    """Django's ValidationError → 400 with the French message(s)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            raise HttpError(400, " ".join(error.messages)) from None

    return wrapper


def _user(request):
    """The bearer token's user, or the session's (CSRF-checked for writes)."""
    has_bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
    user = optional_user(request)
    writes = request.method not in ("GET", "HEAD", "OPTIONS")
    if user.is_authenticated and not has_bearer and writes and check_csrf(request) is not None:
        raise PermissionDenied("CSRF")
    return user if user.is_authenticated else None


def _participant(request, workshop: Workshop, user) -> Participant | None:
    token = request.headers.get("X-Participant-Token", "")
    if token:
        participant = services.participant_from_token(token, workshop.pk)
        if participant is None:
            raise AuthenticationError()
        return participant
    if user is not None:
        return Participant.objects.filter(workshop=workshop, user=user).first()
    return None


def _workshop(workshop_id: int) -> Workshop:
    workshop = Workshop.objects.select_related("workspace").filter(pk=workshop_id).first()
    if workshop is None:
        raise Http404("Atelier introuvable.")
    return workshop


def _pilot_workshop(request, workshop_id: int):
    workshop = _workshop(workshop_id)
    user = _user(request)
    if user is None:
        raise AuthenticationError()
    if not services.is_pilot(user, workshop):
        raise PermissionDenied("workspaces.animate")
    return workshop, user


def _workshop_out(workshop: Workshop, *, pilot: bool) -> dict:
    data = {
        "id": workshop.pk,
        "title": workshop.title,
        "workspace": workshop.workspace.slug,
        "status": workshop.status,
        "join_code": workshop.join_code,
        "current_phase": workshop.current_phase,
        "dots_per_participant": workshop.dots_per_participant,
        "votes_revealed": workshop.votes_revealed,
        "place": workshop.place,
        "starts_at": workshop.starts_at,
        "phases": list(workshop.phases.all()),
        "ws_path": f"/ws/ateliers/{workshop.pk}/",
    }
    if pilot:
        data["board_key"] = workshop.board_key
        data["board_url"] = reverse("workshops:board", args=[workshop.pk, workshop.board_key])
    return data


# --- Endpoints ------------------------------------------------------------------------------------------


@router.get("/templates", response=list[TemplateOut])
def template_list(request, workspace: str):
    ws = get_workspace_for_user(optional_user(request), workspace, "workspaces.view_workspace")
    return list(services.templates_for(ws).prefetch_related("phases"))


@router.post("/templates", response={201: TemplateOut})
@typed_errors
def template_create(request, payload: TemplateIn):
    user = _user(request)
    if user is None:
        raise AuthenticationError()
    ws = get_workspace_for_user(user, payload.workspace, "workspaces.animate")
    phases = [p.model_dump() for p in payload.phases]
    return Status(
        201,
        services.template_create(
            actor=user, workspace=ws, name=payload.name, description=payload.description, phases=phases
        ),
    )


@router.post("", response={201: WorkshopOut})
@typed_errors
def workshop_create(request, payload: WorkshopIn):
    user = _user(request)
    if user is None:
        raise AuthenticationError()
    ws = get_workspace_for_user(user, payload.workspace, "workspaces.animate")
    template = services.templates_for(ws).filter(pk=payload.template).first()
    if template is None:
        raise HttpError(400, "Modèle introuvable dans cet espace.")
    workshop = services.workshop_create(
        actor=user,
        workspace=ws,
        template=template,
        title=payload.title,
        dots_per_participant=payload.dots_per_participant,
        starts_at=payload.starts_at,
        place=payload.place,
    )
    return Status(201, _workshop_out(workshop, pilot=True))


@router.post("/join", response={201: JoinOut})
@typed_errors
def join(request, payload: JoinIn):
    user = optional_user(request)
    workshop = services.open_workshop_by_code(payload.code)
    participant = services.workshop_join(workshop=workshop, user=user, **payload.model_dump(exclude={"code"}))
    return Status(
        201,
        {
            "participant_id": participant.pk,
            "token": services.participant_token(participant),
            "workshop_id": workshop.pk,
            "ws_path": f"/ws/ateliers/{workshop.pk}/",
        },
    )


@router.get("/{int:workshop_id}", response=WorkshopRecord)
def workshop_record(request, workshop_id: int):
    workshop = _workshop(workshop_id)
    user = optional_user(request)
    if not user.has_perm("workspaces.view_workspace", workshop.workspace):
        raise Http404("Atelier introuvable.")
    figures = selectors.participation_figures(workshop)
    collectives = ProjectSheet.objects.filter(workshop=workshop).exclude(collective=None)
    return {
        **_workshop_out(workshop, pilot=services.is_pilot(user, workshop)),
        "figures": {
            "participants": figures["participants"],
            "first_timers": figures["first_timers"],
            "by_role": {str(label): n for label, n in figures["by_role"]},
            "contributions_by_phase": {p.title: n for p, n in figures["by_phase"]},
        },
        "collectives": [p.collective.name for p in collectives.select_related("collective")],
    }


@router.get("/{int:workshop_id}/state", response=dict)
def state(request, workshop_id: int, board_key: str = ""):
    """The snapshot (STATE) for a participant token, a member of the workspace, or the board key."""
    workshop = _workshop(workshop_id)
    if board_key:
        if not services.keys_match(board_key, workshop.board_key):
            raise Http404("Atelier introuvable.")
        return selectors.snapshot(workshop, selectors.Viewer(selectors.BOARD))
    user = optional_user(request)
    user = user if user.is_authenticated else None
    participant = _participant(request, workshop, user)
    if services.is_pilot(user, workshop):
        viewer = selectors.Viewer(selectors.PILOT, participant.pk if participant else None)
    elif participant is not None or (user and user.has_perm("workspaces.view_workspace", workshop.workspace)):
        viewer = selectors.Viewer(selectors.PARTICIPANT, participant.pk if participant else None)
    else:
        raise Http404("Atelier introuvable.")
    return selectors.snapshot(workshop, viewer)


@router.post("/{int:workshop_id}/contributions", response={200: WriteOut, 201: WriteOut})
@typed_errors
def post_contribution(request, workshop_id: int, payload: PostIn):
    workshop = _workshop(workshop_id)
    user = _user(request)
    participant = _participant(request, workshop, user)
    if participant is None and user is None:
        raise AuthenticationError()
    obj, created = services.contribution_post(
        workshop=workshop,
        client_id=payload.client_id,
        text=payload.text,
        participant=participant,
        actor=user,
        on_behalf_of=payload.on_behalf_of,
    )
    return Status(201 if created else 200, {"id": obj.pk, "client_id": obj.client_id, "created": created})


@router.post("/{int:workshop_id}/votes", response={200: VoteOut, 201: VoteOut})
@typed_errors
def vote(request, workshop_id: int, payload: VoteIn):
    workshop = _workshop(workshop_id)
    user = _user(request)
    participant = _participant(request, workshop, user)
    if participant is None and user is None:
        raise AuthenticationError()
    obj, created, left = services.vote_cast(
        workshop=workshop,
        client_id=payload.client_id,
        participant=participant,
        target_kind=payload.target_kind,
        target_id=payload.target_id,
        actor=user,
    )
    return Status(201 if created else 200, {"id": obj.pk, "created": created, "dots_left": left})


@router.delete("/{int:workshop_id}/votes/{int:vote_id}", response=DotsOut)
@typed_errors
def vote_delete(request, workshop_id: int, vote_id: int):
    workshop = _workshop(workshop_id)
    user = _user(request)
    participant = _participant(request, workshop, user)
    return {"dots_left": services.vote_remove(workshop=workshop, participant=participant, vote_id=vote_id)}


@router.post("/{int:workshop_id}/clusters", response={200: WriteOut, 201: WriteOut})
@typed_errors
def cluster_create(request, workshop_id: int, payload: ClusterIn):
    workshop, user = _pilot_workshop(request, workshop_id)
    obj, created = services.cluster_create(actor=user, workshop=workshop, **payload.model_dump())
    return Status(201 if created else 200, {"id": obj.pk, "client_id": obj.client_id, "created": created})


@router.put("/{int:workshop_id}/contributions/{int:contribution_id}/cluster", response=OkOut)
@typed_errors
def contribution_move(request, workshop_id: int, contribution_id: int, payload: MoveIn):
    workshop, user = _pilot_workshop(request, workshop_id)
    contribution = Contribution.objects.filter(workshop=workshop, pk=contribution_id).first()
    if contribution is None:
        raise Http404("Post-it introuvable.")
    cluster = None
    if payload.cluster_id is not None:
        cluster = Cluster.objects.filter(workshop=workshop, pk=payload.cluster_id).first()
        if cluster is None:
            raise Http404("Groupe introuvable.")
    services.contribution_move(actor=user, contribution=contribution, cluster=cluster)
    return {"ok": True}


@router.post("/{int:workshop_id}/suggestions", response=list[SuggestionOut])
@typed_errors
def suggestions(request, workshop_id: int):
    workshop, user = _pilot_workshop(request, workshop_id)
    return services.suggest_for_phase(actor=user, workshop=workshop)


@router.post("/{int:workshop_id}/phase", response=dict)
@typed_errors
def phase(request, workshop_id: int, payload: PhaseActionIn):
    workshop, user = _pilot_workshop(request, workshop_id)
    workshop = services.phase_control(
        actor=user, workshop=workshop, action=payload.action, phase_order=payload.phase_order
    )
    return selectors.workshop_dict(workshop)


@router.post("/{int:workshop_id}/reveal", response=dict)
@typed_errors
def reveal(request, workshop_id: int):
    workshop, user = _pilot_workshop(request, workshop_id)
    return selectors.workshop_dict(services.votes_reveal(actor=user, workshop=workshop))


@router.post("/{int:workshop_id}/contributions/{int:contribution_id}/hide", response=OkOut)
@typed_errors
def hide(request, workshop_id: int, contribution_id: int, payload: HideIn):
    workshop, user = _pilot_workshop(request, workshop_id)
    contribution = Contribution.objects.filter(workshop=workshop, pk=contribution_id).first()
    if contribution is None:
        raise Http404("Post-it introuvable.")
    services.contribution_hide(
        actor=user, contribution=contribution, reason=payload.reason, hidden=payload.hidden
    )
    return {"ok": True}


@router.post("/{int:workshop_id}/projects", response={201: ProjectOut})
@typed_errors
def project_create(request, workshop_id: int, payload: ProjectIn):
    workshop, user = _pilot_workshop(request, workshop_id)
    return Status(201, services.project_create(actor=user, workshop=workshop, **payload.model_dump()))


@router.post("/{int:workshop_id}/projects/{int:project_id}/signups", response=OkOut)
@typed_errors
def project_signup(request, workshop_id: int, project_id: int, payload: SignupIn):
    workshop = _workshop(workshop_id)
    project = ProjectSheet.objects.filter(workshop=workshop, pk=project_id).first()
    if project is None:
        raise Http404("Projet introuvable.")
    user = _user(request)
    participant = _participant(request, workshop, user)
    if payload.participant_id is not None:  # an animateur signs someone up
        if not services.is_pilot(user, workshop):
            raise PermissionDenied("workspaces.animate")
        participant = Participant.objects.filter(workshop=workshop, pk=payload.participant_id).first()
        if participant is None:
            raise Http404("Participant introuvable.")
    services.project_signup(actor=user, project=project, participant=participant, join=payload.join)
    return {"ok": True}


@router.post("/{int:workshop_id}/close", response=CloseOut)
@typed_errors
def close(request, workshop_id: int):
    workshop, user = _pilot_workshop(request, workshop_id)
    collectives = services.workshop_close(actor=user, workshop=workshop)
    return {
        "status": Workshop.Status.CLOSED,
        "collectives": [{"id": c.pk, "name": c.name, "url": c.get_absolute_url()} for c in collectives],
    }
