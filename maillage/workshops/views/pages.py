"""Workspace pages: the list of workshops, creation, the template editor, the record and its exports."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.core.pdf import pdf_response
from maillage.workshops import forms, selectors, services
from maillage.workshops.views._common import viewable_workshop
from maillage.workspaces.rules import get_workspace_for_user


def _crumbs(workspace, *extra):
    return [
        (workspace.name, workspace.get_absolute_url()),
        (_("Ateliers"), reverse("workshops:list", args=[workspace.slug])),
        *extra,
    ]


def workshop_list(request, ws):
    workspace = get_workspace_for_user(request.user, ws, "workspaces.view_workspace")
    context = {
        "workspace": workspace,
        "workshops": selectors.workshops_of(workspace),
        "can_animate": request.user.has_perm("workspaces.animate", workspace),
        "crumbs": _crumbs(workspace)[:-1] + [(_("Ateliers"), "")],
    }
    return render(request, "workshops/list.html", context)


@login_required
def workshop_create(request, ws):
    workspace = get_workspace_for_user(request.user, ws, "workspaces.animate")
    form = forms.WorkshopForm(request.POST or None, templates=services.templates_for(workspace))
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(actor=request.user, workspace=workspace, **form.cleaned_data)
            return redirect("workshops:pilot", workshop.pk)
        except ValidationError as error:
            form.add_error(None, error)
    context = {"workspace": workspace, "form": form, "crumbs": _crumbs(workspace, (_("Nouvel atelier"), ""))}
    return render(request, "workshops/create.html", context, status=400 if form.errors else 200)


@login_required
def template_create(request, ws):
    workspace = get_workspace_for_user(request.user, ws, "workspaces.animate")
    form = forms.TemplateForm(request.POST or None)
    phases = forms.PhaseFormSet(request.POST or None, prefix="phases")
    if request.method == "POST" and form.is_valid() and phases.is_valid():
        rows = [p.cleaned_data for p in phases if p.cleaned_data.get("title")]
        try:
            services.template_create(
                actor=request.user, workspace=workspace, phases=rows, **form.cleaned_data
            )
            return redirect("workshops:create", workspace.slug)
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "workspace": workspace,
        "form": form,
        "phases": phases,
        "crumbs": _crumbs(workspace, (_("Nouveau modèle"), "")),
    }
    return render(request, "workshops/template_form.html", context, status=400 if form.errors else 200)


def workshop_record(request, pk):
    workshop = viewable_workshop(request, pk)
    context = {
        "workshop": workshop,
        "workspace": workshop.workspace,
        "figures": selectors.participation_figures(workshop),
        "projects": selectors.projects_of(workshop),
        "can_animate": services.is_pilot(request.user, workshop),
        "crumbs": _crumbs(workshop.workspace, (workshop.title, "")),
    }
    return render(request, "workshops/record.html", context)


def workshop_pdf(request, pk):
    workshop = viewable_workshop(request, pk)
    context = {"workshop": workshop, **selectors.compte_rendu(workshop)}
    return pdf_response(
        "workshops/pdf.html", context, request=request, filename=f"compte-rendu-{workshop.title}"
    )


def workshop_csv(request, pk):
    workshop = viewable_workshop(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="atelier-{workshop.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["phase", "groupe", "post-it", "auteur", "saisi par", "gommettes", "masqué"])
    for row in selectors.csv_rows(workshop):
        writer.writerow([_safe_cell(v) for v in row])
    return response


def _safe_cell(value):
    """Neutralise spreadsheet formulas in user text (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
