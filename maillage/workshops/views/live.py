"""The participant's phone (join, post, dots, sign-up), the projector board and the polled live region."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core.qr import qr_svg
from maillage.workshops import forms, selectors, services
from maillage.workshops.models import ProjectSheet
from maillage.workshops.views._common import (
    check_board_key,
    current_participant,
    feedback,
    get_workshop,
    live_context,
    participant_token_for,
    remember_participant,
)


def join_by_code(request):
    form = forms.CodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            workshop = services.open_workshop_by_code(form.cleaned_data["code"])
            return redirect("workshops:participate", workshop.pk)
        except ValidationError as error:
            form.add_error("code", error)
    return render(request, "workshops/join_code.html", {"form": form}, status=400 if form.errors else 200)


def participate(request, pk):
    workshop = get_workshop(pk)
    participant = current_participant(request, workshop)
    if participant is None:
        return _join(request, workshop)
    context = live_context(workshop, selectors.Viewer(selectors.PARTICIPANT, participant.pk))
    context.update(
        participant=participant,
        post_form=forms.PostForm(),
        token=participant_token_for(request, workshop),
        projects=ProjectSheet.objects.filter(workshop=workshop).prefetch_related("signups"),
    )
    return render(request, "workshops/participant.html", context)


def _join(request, workshop):
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST" and request.POST.get("with_account") and request.user.is_authenticated:
        participant = services.workshop_join(workshop=workshop, user=request.user, consent=True)
        remember_participant(request, participant)
        return redirect("workshops:participate", workshop.pk)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.workshop_join(workshop=workshop, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            remember_participant(request, participant)
            return redirect("workshops:participate", workshop.pk)
    status = 400 if form.errors else 200
    return render(request, "workshops/join.html", {"workshop": workshop, "form": form}, status=status)


@require_POST
def participant_post(request, pk):
    workshop = get_workshop(pk)
    form = forms.PostForm(request.POST)
    if form.is_valid():
        try:
            services.contribution_post(
                workshop=workshop,
                participant=current_participant(request, workshop),
                actor=request.user,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(
                "text", error if isinstance(error, ValidationError) else _("Rejoignez l'atelier pour écrire.")
            )
        else:
            form = forms.PostForm()
            form.sent = True
    if request.headers.get("HX-Request"):
        response = render(request, "workshops/_post_form.html", {"workshop": workshop, "post_form": form})
        if getattr(form, "sent", False):
            response["HX-Trigger"] = "workshop-changed"
        return response
    if form.errors:
        return render(
            request, "workshops/post_error.html", {"workshop": workshop, "post_form": form}, status=400
        )
    return redirect("workshops:participate", workshop.pk)


@require_POST
def participant_vote(request, pk):
    workshop = get_workshop(pk)
    url = reverse("workshops:participate", args=[pk])
    try:
        _vote, _created, left = services.vote_cast(
            workshop=workshop,
            client_id=request.POST.get("client_id"),
            participant=current_participant(request, workshop),
            target_kind=request.POST.get("target_kind", ""),
            target_id=int(request.POST.get("target_id") or 0),
        )
    except (ValidationError, PermissionDenied, ValueError) as error:
        message = " ".join(getattr(error, "messages", [_("Vote impossible.")]))
        return feedback(request, url, message, error=True)
    return feedback(request, url, _("Gommette posée. Il vous en reste %(n)d.") % {"n": left})


@require_POST
def participant_signup(request, pk, project):
    workshop = get_workshop(pk)
    sheet = ProjectSheet.objects.filter(workshop=workshop, pk=project).first()
    url = reverse("workshops:participate", args=[pk])
    try:
        services.project_signup(
            project=sheet,
            participant=current_participant(request, workshop),
            join=request.POST.get("join") != "0",
        )
    except (ValidationError, PermissionDenied, AttributeError) as error:
        return feedback(
            request, url, " ".join(getattr(error, "messages", [_("Inscription impossible.")])), error=True
        )
    return feedback(request, url, _("C'est noté : merci !"))


def board(request, pk, key):
    workshop = get_workshop(pk)
    check_board_key(workshop, key)
    context = live_context(workshop, selectors.Viewer(selectors.BOARD))
    join_base = request.build_absolute_uri(reverse("workshops:join"))
    join_url = f"{join_base}?code={workshop.join_code}"
    title = _("Rejoindre l'atelier avec le code %(code)s") % {"code": workshop.join_code}
    context.update(join_base=join_base, board_key=key, qr=qr_svg(join_url, scale=8, title=title))
    return render(request, "workshops/board.html", context)


def state_partial(request, pk):
    """The live region, polled every 3 s by pages whose WebSocket is down (and refreshed on each event)."""
    workshop = get_workshop(pk)
    key = request.GET.get("board_key", "")
    if key:
        check_board_key(workshop, key)
        viewer, template = selectors.Viewer(selectors.BOARD), "workshops/_board_live.html"
    elif services.is_pilot(request.user, workshop):
        viewer, template = selectors.Viewer(selectors.PILOT), "workshops/_pilot_live.html"
    else:
        participant = current_participant(request, workshop)
        if participant is None:
            return redirect("workshops:participate", pk)
        viewer, template = (
            selectors.Viewer(selectors.PARTICIPANT, participant.pk),
            "workshops/_participant_live.html",
        )
    context = live_context(workshop, viewer)
    if viewer.is_pilot:
        from maillage.workshops.views.pilot import pilot_extra

        context.update(pilot_extra(workshop))
    elif viewer.kind == selectors.PARTICIPANT:
        context["projects"] = ProjectSheet.objects.filter(workshop=workshop).prefetch_related("signups")
        context["participant"] = current_participant(request, workshop)
    return render(request, template, context)
