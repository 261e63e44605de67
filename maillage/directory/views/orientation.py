"""Orientation ("J'ai besoin de…"): a need and a commune give the services to go to, printable as a one-page sheet
to hand to the person (HTML with a print stylesheet, and PDF)."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.pdf import pdf_response
from maillage.directory.forms import CommuneField
from maillage.directory.orientation import MAX_RESULTS, need_choices, need_label, orient
from maillage.workspaces.rules import get_workspace_for_user

SHEET_RESULTS = 6  # what fits on one A4 page with how to mobilise each service


class OrientationForm(forms.Form):
    need = forms.ChoiceField(label=gettext_lazy("La personne a besoin de…"))
    commune = CommuneField(
        label=gettext_lazy("Elle habite à…"),
        help_text=gettext_lazy("Le nom de la commune ou son code INSEE, par exemple « Dolus » ou « 17140 »."),
        widget=forms.TextInput(attrs={"list": "commune-options", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", "—"), *need_choices()]


def _orientation(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    form = OrientationForm(request.GET if "need" in request.GET else None)
    results = None
    if form.is_bound and form.is_valid():
        results = orient(workspace, need=form.cleaned_data["need"], commune=form.cleaned_data["commune"])
    can_see_private = request.user.has_perm("directory.view_private", workspace)
    return workspace, form, results, can_see_private


def orientation(request, slug):
    workspace, form, results, can_see_private = _orientation(request, slug)
    context = {
        "workspace": workspace,
        "form": form,
        "results": results,
        "max_results": MAX_RESULTS,
        "need_label": need_label(form.cleaned_data["need"]) if results is not None else "",
        "can_see_private": can_see_private,
        "sheet_url": reverse("directory:orientation_sheet", args=[slug]) + "?" + request.GET.urlencode(),
        "crumbs": [
            (workspace.name, workspace.get_absolute_url()),
            (_("Qui fait quoi"), reverse("directory:search", args=[slug])),
            (_("Orienter une personne"), ""),
        ],
    }
    return render(request, "directory/orientation.html", context, status=400 if form.errors else 200)


def orientation_sheet(request, slug):
    workspace, form, results, can_see_private = _orientation(request, slug)
    if results is None:
        return orientation(request, slug)
    context = {
        "workspace": workspace,
        "results": results[:SHEET_RESULTS],
        "more": max(0, len(results) - SHEET_RESULTS),
        "need_label": need_label(form.cleaned_data["need"]),
        "commune": form.cleaned_data["commune"],
        "can_see_private": can_see_private,
    }
    return pdf_response(
        "directory/orientation_pdf.html",
        context,
        request=request,
        filename=f"orientation-{context['commune'].name}",
    )
