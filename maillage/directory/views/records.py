from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.directory import exporters, selectors, services
from maillage.directory.forms import LinkForm, ServiceForm, StructureForm
from maillage.directory.quality import quality_score
from maillage.directory.rules import get_structure_for_user
from maillage.directory.search_index import FACETS
from maillage.directory.services import ContactInput
from maillage.territories.selectors import COMMUNE_KINDS, territory_search
from maillage.workspaces.rules import get_workspace_for_user


def _crumbs(workspace, *more):
    return [
        (workspace.name, workspace.get_absolute_url()),
        (_("Qui fait quoi"), reverse("directory:search", args=[workspace.slug])),
        *more,
    ]


def _form_status(form) -> int:
    return 400 if form.errors else 200


def index(request):
    workspaces = selectors.visible_workspaces(request.user).order_by("name")
    return render(
        request, "directory/index.html", {"workspaces": workspaces, "crumbs": [(_("Qui fait quoi"), "")]}
    )


def search(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    params = selectors.SearchParams(**{k: request.GET.get(k, "").strip()[:200] for k in ("q", *FACETS)})
    result = selectors.directory_search(workspace, params, page=request.GET.get("page", 1))
    active = {k: v for k, v in [("q", params.q), *params.filters().items()] if v}
    for facet, values in result.facets.items():
        for value in values:  # a facet link toggles its value and keeps the other filters
            chosen = {k: v for k, v in active.items() if k != facet} | (
                {} if value.selected else {facet: value.value}
            )
            value.url = "?" + urlencode(chosen)
    labels = {(f, v.value): v.label for f, values in result.facets.items() for v in values}
    removable = [
        (
            selectors.FACET_TITLES[f],
            labels.get((f, v), v),
            "?" + urlencode({k: x for k, x in active.items() if k != f}),
        )
        for f, v in params.filters().items()
    ]
    blocks = [(f, selectors.FACET_TITLES[f], values) for f, values in result.facets.items() if values]
    context = {
        "workspace": workspace,
        "params": params,
        "result": result,
        "page_obj": result.page,
        "query_string": urlencode(active),
        "active": active,
        "removable": removable,
        "facet_blocks": blocks,
        "crumbs": [(workspace.name, workspace.get_absolute_url()), (_("Qui fait quoi"), "")],
    }
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    response = render(request, "directory/_results.html" if partial else "directory/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def structure_detail(request, slug, pk):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    structure = get_structure_for_user(request.user, workspace, pk)
    can_edit = request.user.has_perm("directory.change_structure", structure)
    detail = selectors.structure_detail(
        structure, can_see_private=request.user.has_perm("directory.view_private", workspace)
    )
    context = {
        "workspace": workspace,
        "detail": detail,
        "structure": detail.structure,
        "can_edit": can_edit,
        "can_add": request.user.has_perm("directory.add_to_structure", structure),
        "quality": quality_score(detail.structure) if can_edit else None,
        "crumbs": _crumbs(workspace, (structure.name, "")),
    }
    return render(request, "directory/structure_detail.html", context)


@login_required
def structure_create(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.contribute")
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            structure = services.structure_create(
                actor=request.user, workspace=workspace, data=form.to_input()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La structure « %(name)s » est ajoutée.") % {"name": structure.name})
            return redirect(structure)
    context = {
        "workspace": workspace,
        "form": form,
        "crumbs": _crumbs(workspace, (_("Ajouter une structure"), "")),
    }
    return render(request, "directory/structure_form.html", context, status=_form_status(form))


@login_required
def structure_edit(request, slug, pk):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    structure = get_structure_for_user(request.user, workspace, pk, "directory.change_structure")
    form = StructureForm(request.POST or None, initial=StructureForm.initial_for(structure))
    if request.method == "POST" and form.is_valid():
        contacts = list(structure.contacts.all())
        # The form edits the first phone and e-mail; the other contacts stay as they are.
        first = {kind: next((c for c in contacts if c.kind == kind), None) for kind in ("phone", "email")}
        extra = [
            ContactInput(c.kind, c.value, c.label, c.is_public) for c in contacts if c not in first.values()
        ]
        try:
            services.structure_update(
                actor=request.user, structure=structure, data=form.to_input(extra_contacts=extra)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect(structure)
    crumbs = _crumbs(workspace, (structure.name, structure.get_absolute_url()), (_("Modifier"), ""))
    context = {"workspace": workspace, "form": form, "structure": structure, "crumbs": crumbs}
    return render(request, "directory/structure_form.html", context, status=_form_status(form))


@login_required
@require_POST
def structure_check(request, slug, pk):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    structure = get_structure_for_user(request.user, workspace, pk, "directory.change_structure")
    services.structure_mark_checked(actor=request.user, structure=structure)
    messages.success(request, _("Merci : la fiche est notée comme vérifiée aujourd'hui."))
    return redirect(structure)


@login_required
def service_add(request, slug, pk):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    structure = get_structure_for_user(request.user, workspace, pk, "directory.add_to_structure")
    initial = {"zone_codes": structure.commune.code if structure.commune_id else ""}
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_create(actor=request.user, structure=structure, data=form.to_input())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le service est ajouté."))
            return redirect(structure.get_absolute_url() + "#services")
    crumbs = _crumbs(workspace, (structure.name, structure.get_absolute_url()), (_("Ajouter un service"), ""))
    context = {"workspace": workspace, "form": form, "structure": structure, "crumbs": crumbs}
    return render(request, "directory/service_form.html", context, status=_form_status(form))


@login_required
def link_add(request, slug, pk):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    structure = get_structure_for_user(request.user, workspace, pk, "directory.add_to_structure")
    form = LinkForm(request.POST or None, structure=structure)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        other, direction = data.pop("other"), data.pop("direction")
        source, target = (structure, other) if direction == "out" else (other, structure)
        try:
            services.link_create(
                actor=request.user, workspace=workspace, source=source, target=target, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le lien est ajouté."))
            return redirect(structure.get_absolute_url() + "#liens")
    crumbs = _crumbs(workspace, (structure.name, structure.get_absolute_url()), (_("Ajouter un lien"), ""))
    context = {"workspace": workspace, "form": form, "structure": structure, "crumbs": crumbs}
    return render(request, "directory/link_form.html", context, status=_form_status(form))


EXPORT_FIELDS = {"structures": exporters.STRUCTURE_FIELDS, "services": exporters.SERVICE_FIELDS}


def export(request, slug, kind, fmt):
    """data·inclusion v1 export of the workspace's structures or services, as JSON or CSV (public data only)."""
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    if kind not in EXPORT_FIELDS or fmt not in ("json", "csv"):
        raise Http404
    records = exporters.export_datainclusion(workspace)[kind]
    if fmt == "json":
        response = HttpResponse(exporters.to_json(records), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            exporters.to_csv(records, EXPORT_FIELDS[kind]), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-{kind}-data-inclusion.{fmt}"'
    return response


def commune_options(request):
    """<option>s for the commune field's <datalist>, refreshed by HTMX as the person types."""
    query = request.GET.get("commune", "").strip()
    communes = territory_search(query, kinds=COMMUNE_KINDS, limit=10) if len(query) >= 2 else []
    return render(request, "directory/_commune_options.html", {"communes": communes})
