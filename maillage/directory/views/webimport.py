"""Web import of structures from a spreadsheet: upload → preview with the per-row error report → import (all or
nothing, or keeping the valid rows). The parsed rows wait in the session between the two steps."""

import secrets

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.directory import webimport
from maillage.workspaces.rules import get_workspace_for_user

SESSION_KEY = "directory_webimport"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou XLSX"),
        help_text=gettext_lazy(
            "Une ligne par structure, les noms de colonnes sur la première ligne : nom (obligatoire), siret, adresse, "
            "code_postal, code_insee, commune, telephone, courriel, site_web, description, latitude, longitude."
        ),
    )
    source = forms.SlugField(
        label=gettext_lazy("Nom de la source"),
        max_length=60,
        initial="tableur",
        help_text=gettext_lazy(
            "Réimporter avec le même nom met à jour les structures au lieu de les dupliquer."
        ),
    )


def _crumbs(workspace, label):
    return [
        (workspace.name, workspace.get_absolute_url()),
        (_("Qui fait quoi"), reverse("directory:search", args=[workspace.slug])),
        (label, ""),
    ]


@login_required
def import_upload(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.animate")
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"workspace": workspace, "form": form, "crumbs": _crumbs(workspace, _("Importer un tableau"))}
    if request.method == "POST" and form.is_valid():
        try:
            rows = webimport.read_table(form.cleaned_data["file"])
            result = webimport.preview(webimport.records_from_rows(rows, source=form.cleaned_data["source"]))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {
                "token": token,
                "workspace": workspace.pk,
                "source": form.cleaned_data["source"],
                "records": result.records,
                "lines": result.lines,
            }
            context |= {"preview": result, "token": token, "sample": result.records[:10]}
            return render(request, "directory/import_preview.html", context)
    return render(request, "directory/import_upload.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def import_confirm(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.animate")
    pending = request.session.get(SESSION_KEY) or {}
    if pending.get("token") != request.POST.get("token") or pending.get("workspace") != workspace.pk:
        context = {
            "workspace": workspace,
            "form": UploadForm(),
            "stale": _("Cet aperçu n'est plus disponible : déposez le fichier à nouveau."),
            "crumbs": _crumbs(workspace, _("Importer un tableau")),
        }
        return render(request, "directory/import_upload.html", context, status=400)
    keep_valid = request.POST.get("keep_valid") == "1"
    result = webimport.import_structures(
        actor=request.user,
        workspace=workspace,
        records=pending["records"],
        source=pending["source"],
        keep_valid=keep_valid,
    )
    names = {r["id"]: r.get("nom", "") for r in pending["records"]}
    rejected = sorted((pending["lines"].get(r.id, 0), names.get(r.id, ""), r.reason) for r in result.rejected)
    if result.written:
        request.session.pop(SESSION_KEY, None)
    context = {
        "workspace": workspace,
        "result": result,
        "rejected": rejected,
        "token": pending["token"],
        "crumbs": _crumbs(workspace, _("Résultat de l'import")),
    }
    return render(request, "directory/import_result.html", context, status=200 if result.written else 400)
