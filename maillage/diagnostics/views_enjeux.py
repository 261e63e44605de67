"""Pages of the team, continued: dot vote on the enjeux, steps and team, validation, hand-off to collectives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.diagnostics import selectors_diagnostic as selectors
from maillage.diagnostics import services_diagnostic as services
from maillage.diagnostics import services_enjeux
from maillage.diagnostics.forms_diagnostic import ParticipantVoteForm, StepForm, TeamForm
from maillage.diagnostics.models_diagnostic import Item, TeamMember
from maillage.diagnostics.rules import get_diagnostic_for_user
from maillage.diagnostics.views_diagnostic import add_form_errors, crumbs


def _vote_context(request, diagnostic, participant_form=None, error="", participant_item=None):
    enjeux = list(diagnostic.items.filter(section=Item.Section.ENJEUX, status=Item.Status.PUBLISHED))
    results = selectors.vote_results(diagnostic)
    mine = selectors.my_votes(diagnostic, request.user)
    rows = sorted(
        (
            {"item": e, "result": results.get(e.pk, selectors.VoteResult()), "mine": mine.get(e.pk, 0)}
            for e in enjeux
        ),
        key=lambda r: -r["result"].total,
    )
    return {
        "workspace": diagnostic.workspace,
        "diagnostic": diagnostic,
        "rows": rows,
        "roles": TeamMember.Role.choices,
        "left": diagnostic.dots_per_person - sum(mine.values()),
        "can_vote": request.user.has_perm("diagnostics.contribute_diagnostic", diagnostic),
        "can_manage": request.user.has_perm("diagnostics.manage_diagnostic", diagnostic),
        "participant_form": participant_form or ParticipantVoteForm(),
        "participant_item": participant_item,
        "error": error,
        "crumbs": crumbs(
            diagnostic.workspace,
            (diagnostic.title, diagnostic.get_absolute_url()),
            (_("Vote sur les enjeux"), ""),
        ),
    }


def vote_page(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.work_on_diagnostic")
    return render(request, "diagnostics/vote.html", _vote_context(request, diagnostic))


@login_required
@require_POST
def vote(request, slug, pk, item_pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.contribute_diagnostic")
    item = get_object_or_404(Item, pk=item_pk, diagnostic=diagnostic)
    item.diagnostic = diagnostic
    try:
        dots = int(request.POST.get("dots", ""))
        services_enjeux.vote_set(actor=request.user, item=item, dots=dots)
    except ValueError:
        error = _("Indiquez un nombre de gommettes.")
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        if request.headers.get("HX-Request"):
            return render(request, "diagnostics/_vote_table.html", _vote_context(request, diagnostic))
        messages.success(request, _("Vote enregistré."))
        return redirect("diagnostics:vote", slug=slug, pk=pk)
    context = _vote_context(request, diagnostic, error=error)
    if request.headers.get("HX-Request"):
        # HTMX does not swap 4xx answers: the fragment with its error message comes back as a 200.
        return render(request, "diagnostics/_vote_table.html", context)
    return render(request, "diagnostics/vote.html", context, status=400)


@login_required
@require_POST
def vote_participant(request, slug, pk, item_pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.manage_diagnostic")
    item = get_object_or_404(Item, pk=item_pk, diagnostic=diagnostic)
    item.diagnostic = diagnostic
    form = ParticipantVoteForm(request.POST)
    if form.is_valid():
        try:
            services_enjeux.vote_record_participant(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request, _("Gommettes de %(who)s enregistrées.") % {"who": form.cleaned_data["participant"]}
            )
            return redirect("diagnostics:vote", slug=slug, pk=pk)
    return render(
        request,
        "diagnostics/vote.html",
        _vote_context(request, diagnostic, form, participant_item=item.pk),
        status=400,
    )


@login_required
def steps(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.manage_diagnostic")
    steps = sorted(diagnostic.steps.all(), key=lambda s: s.order)
    forms = [StepForm(request.POST or None, step=s) for s in steps]
    team_form = TeamForm(
        request.POST if request.POST.get("action") == "team" else None, diagnostic=diagnostic
    )
    if request.method == "POST" and request.POST.get("action") == "team":
        if team_form.is_valid():
            try:
                services.team_add(actor=request.user, diagnostic=diagnostic, **team_form.cleaned_data)
            except ValidationError as error:
                add_form_errors(team_form, error)
            else:
                messages.success(request, _("Équipe mise à jour."))
                return redirect("diagnostics:steps", slug=slug, pk=pk)
    elif request.method == "POST" and all(f.is_valid() for f in forms):
        for form in forms:
            data = form.cleaned_data
            services.step_set(
                actor=request.user,
                diagnostic=diagnostic,
                kind=form.step.kind,
                when=data["date"],
                done=data["done"],
                note=data["note"],
            )
        messages.success(request, _("Étapes enregistrées."))
        return redirect("diagnostics:steps", slug=slug, pk=pk)
    failed = request.method == "POST" and (team_form.errors or any(f.errors for f in forms))
    context = {
        "workspace": diagnostic.workspace,
        "diagnostic": diagnostic,
        "forms": forms if request.POST.get("action") != "team" else [StepForm(step=s) for s in steps],
        "team_form": team_form,
        "team": selectors.team(diagnostic),
        "crumbs": crumbs(
            diagnostic.workspace,
            (diagnostic.title, diagnostic.get_absolute_url()),
            (_("Étapes et équipe"), ""),
        ),
    }
    return render(request, "diagnostics/steps.html", context, status=400 if failed else 200)


@login_required
@require_POST
def team_remove(request, slug, pk, member_pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.manage_diagnostic")
    member = get_object_or_404(TeamMember, pk=member_pk, diagnostic=diagnostic)
    services.team_remove(actor=request.user, member=member)
    return redirect("diagnostics:steps", slug=slug, pk=pk)


@login_required
@require_POST
def validate(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.manage_diagnostic")
    try:
        version = services_enjeux.diagnostic_validate(
            actor=request.user, diagnostic=diagnostic, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(n)s validée et figée.") % {"n": version.number})
    return redirect(diagnostic)


@login_required
@require_POST
def to_collective(request, slug, pk, item_pk):
    from maillage.collectives.models import Collective

    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.manage_diagnostic")
    item = get_object_or_404(Item, pk=item_pk, diagnostic=diagnostic)
    item.diagnostic = diagnostic
    kind = request.POST.get("kind") or Collective.Kind.GROUPE_PROJET
    try:
        collective = services_enjeux.preconisation_to_collective(
            actor=request.user, preconisation=item, kind=kind
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("diagnostics:diagnostic", args=[slug, pk]) + f"#element-{item.pk}")
    messages.success(request, _("Collectif proposé : %(name)s") % {"name": collective.name})
    return redirect(reverse("collectives:detail", args=[diagnostic.workspace.slug, collective.slug]))
