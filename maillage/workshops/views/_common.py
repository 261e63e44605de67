"""Helpers shared by the workshops' views: who is looking, the live context, HTMX answers."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html

from maillage.workshops import selectors, services
from maillage.workshops.models import Participant, Workshop

SESSION_KEY = "workshop_tokens"


def get_workshop(pk: int) -> Workshop:
    return get_object_or_404(Workshop.objects.select_related("workspace"), pk=pk)


def pilot_workshop(request, pk: int) -> Workshop:
    """The workshop if the user animates its workspace; 404 otherwise (no existence leak)."""
    workshop = get_workshop(pk)
    if not services.is_pilot(request.user, workshop):
        raise Http404("Atelier introuvable")
    return workshop


def viewable_workshop(request, pk: int) -> Workshop:
    workshop = get_workshop(pk)
    if not request.user.has_perm("workspaces.view_workspace", workshop.workspace):
        raise Http404("Atelier introuvable")
    return workshop


def check_board_key(workshop: Workshop, key: str) -> None:
    if not services.keys_match(str(key), workshop.board_key):
        raise Http404("Atelier introuvable")


def remember_participant(request, participant: Participant) -> None:
    tokens = request.session.get(SESSION_KEY, {})
    tokens[str(participant.workshop_id)] = services.participant_token(participant)
    request.session[SESSION_KEY] = tokens


def current_participant(request, workshop: Workshop) -> Participant | None:
    token = request.session.get(SESSION_KEY, {}).get(str(workshop.pk))
    if token:
        return services.participant_from_token(token, workshop.pk)
    if request.user.is_authenticated:
        return Participant.objects.filter(workshop=workshop, user=request.user).first()
    return None


def participant_token_for(request, workshop: Workshop) -> str:
    return request.session.get(SESSION_KEY, {}).get(str(workshop.pk), "")


def live_context(workshop: Workshop, viewer: selectors.Viewer) -> dict:
    """The snapshot arranged for the templates: the current phase's clusters with their post-its."""
    state = selectors.snapshot(workshop, viewer)
    order = workshop.current_phase
    votes = state["votes"]
    posts = [dict(c, dots=votes.get(f"contribution:{c['id']}", 0)) for c in state["contributions"]]
    here = [c for c in posts if c["phase_order"] == order]
    clusters = [
        dict(
            cl,
            dots=votes.get(f"cluster:{cl['id']}", 0),
            posts=[c for c in here if c["cluster_id"] == cl["id"]],
        )
        for cl in state["clusters"]
        if cl["phase_order"] == order
    ]
    known = {cl["id"] for cl in clusters}
    return {
        "workshop": workshop,
        "state": state,
        "phase": state["phase"],
        "clusters": clusters,
        "all_clusters": state["clusters"],
        "loose": [c for c in here if c["cluster_id"] not in known],
        "here": here,
        "seconds_left": selectors.seconds_left(workshop),
        "viewer": viewer,
    }


def feedback(request, url: str, message: str = "", *, error: bool = False) -> HttpResponse:
    """After a pilot or participant action. HTMX: a short status fragment (200, so htmx swaps it) and an
    event that refreshes the live region. Without JS: a message and a redirect back to the page."""
    if request.headers.get("HX-Request"):
        css = "alert alert--error" if error else "alert alert--success"
        role = "alert" if error else "status"
        response = HttpResponse(
            format_html('<p class="{}" role="{}">{}</p>', css, role, message) if message else ""
        )
        if not error:
            response["HX-Trigger"] = "workshop-changed"
        patch_vary_headers(response, ["HX-Request"])
        return response
    if message:
        (messages.error if error else messages.success)(request, message)
    return redirect(url)
