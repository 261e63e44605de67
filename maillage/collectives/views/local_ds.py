"""Collectifs locaux de développement social: candidatures, the departmental body's decision, the
three-year funding follow-up and the pooling of results per département."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.collectives import forms_work as forms
from maillage.collectives import selectors_work as selectors
from maillage.collectives import services
from maillage.collectives.models import LocalDSApplication, LocalDSFunding, LocalDSProgramme
from maillage.collectives.services.local_ds import approval_problems, check_composition, rules
from maillage.collectives.views._common import add_form_error, form_status
from maillage.workspaces.rules import get_workspace_for_user

VIEW, APPLY, DECIDE = (
    "collectives.view_collective",
    "collectives.apply_local_ds",
    "collectives.decide_local_ds",
)


def _crumbs(workspace, *extra):
    return [
        (workspace.name, workspace.get_absolute_url()),
        (
            _("Collectifs locaux de développement social"),
            reverse("collectives:local_ds", args=[workspace.slug]),
        ),
        *extra,
    ]


def _render(request, template, workspace, context, *, status=200, crumbs=()):
    base = {"workspace": workspace, "crumbs": _crumbs(workspace, *crumbs), "rules": rules()}
    return render(request, template, {**base, **context}, status=status)


def local_ds_list(request, ws):
    workspace = get_workspace_for_user(request.user, ws, VIEW)
    can_decide = request.user.has_perm(DECIDE, workspace)
    form = forms.ProgrammeForm(request.POST or None) if can_decide else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.programme_set(actor=request.user, workspace=workspace, **form.cleaned_data)
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Le programme départemental est enregistré."))
            return redirect("collectives:local_ds", ws=ws)
    context = {
        "applications": selectors.local_ds_applications(workspace),
        "programmes": LocalDSProgramme.objects.filter(workspace=workspace),
        "programme_form": form,
        "can_apply": request.user.has_perm(APPLY, workspace),
    }
    status = form_status(form) if form else 200
    return _render(request, "collectives/local_ds_list.html", workspace, context, status=status, crumbs=[])


@login_required
def local_ds_create(request, ws):
    workspace = get_workspace_for_user(request.user, ws, APPLY)
    form = forms.ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=request.user, workspace=workspace, **form.cleaned_data
            )
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(
                request, _("La candidature est déposée. Ajoutez maintenant les membres du collectif local.")
            )
            return redirect(application)
    context = {"form": form, "title": _("Déposer une candidature"), "submit": _("Déposer la candidature")}
    return _render(
        request,
        "collectives/local_ds_form.html",
        workspace,
        context,
        status=form_status(form),
        crumbs=[(_("Nouvelle candidature"), "")],
    )


def _application(request, ws, pk, perm=VIEW):
    workspace = get_workspace_for_user(request.user, ws, perm)
    application = get_object_or_404(LocalDSApplication, workspace=workspace, pk=pk)
    application.workspace = workspace
    return workspace, application


def local_ds_detail(request, ws, pk):
    workspace, application = _application(request, ws, pk)
    participants = list(application.participants.all())
    can_decide = request.user.has_perm(DECIDE, workspace)
    context = {
        "application": application,
        "participants": participants,
        "check": check_composition(participants),
        "problems": approval_problems(application) if can_decide else [],
        "fundings": list(application.fundings.all()),
        "can_apply": request.user.has_perm(APPLY, workspace),
        "can_decide": can_decide,
        "participant_form": forms.ParticipantForm(),
        "decide_form": forms.DecideForm(),
        "results_form": forms.ResultsForm(initial={"results": application.results}),
        "funding_form": forms.FundingReportForm(),
    }
    return _render(
        request, "collectives/local_ds_detail.html", workspace, context, crumbs=[(application.name, "")]
    )


def _post_and_back(request, application, form, call, success):
    if form.is_valid():
        try:
            call(form.cleaned_data)
            messages.success(request, success)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Vérifiez les champs du formulaire."))
    return redirect(application)


@login_required
@require_POST
def local_ds_participant(request, ws, pk):
    _workspace, application = _application(request, ws, pk, APPLY)
    return _post_and_back(
        request,
        application,
        forms.ParticipantForm(request.POST),
        lambda d: services.participant_add(actor=request.user, application=application, **d),
        _("Le membre est ajouté à la composition."),
    )


@login_required
@require_POST
def local_ds_decide(request, ws, pk):
    _workspace, application = _application(request, ws, pk, DECIDE)
    return _post_and_back(
        request,
        application,
        forms.DecideForm(request.POST),
        lambda d: services.application_decide(
            actor=request.user,
            application=application,
            approve=d["verdict"] == "approve",
            reasons=d["reasons"],
        ),
        _("La décision de l'instance départementale est enregistrée."),
    )


@login_required
@require_POST
def local_ds_results(request, ws, pk):
    _workspace, application = _application(request, ws, pk, APPLY)
    return _post_and_back(
        request,
        application,
        forms.ResultsForm(request.POST),
        lambda d: services.application_results(actor=request.user, application=application, **d),
        _("Les résultats sont partagés avec le département."),
    )


@login_required
@require_POST
def local_ds_funding(request, ws, pk, year):
    _workspace, application = _application(request, ws, pk, DECIDE)
    funding = get_object_or_404(LocalDSFunding, application=application, year=year)
    funding.application = application
    return _post_and_back(
        request,
        application,
        forms.FundingReportForm(request.POST),
        lambda d: services.funding_report(actor=request.user, funding=funding, **d),
        _("Le suivi de l'année %(y)d est enregistré.") % {"y": year},
    )


def departement_pool(request, ws, code):
    """Pooling at département level: approved local collectives and their results, across the
    workspaces this person may see."""
    workspace = get_workspace_for_user(request.user, ws, VIEW)
    items = list(selectors.departement_pool(code, selectors.readable_workspaces(request.user)))
    context = {"items": items, "code": code.upper()}
    label = _("Département %(code)s") % {"code": code.upper()}
    return _render(request, "collectives/local_ds_pool.html", workspace, context, crumbs=[(label, "")])
