import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.diagnostics import selectors, services
from maillage.diagnostics.forms import MappingForm, PortraitForm, UploadForm
from maillage.diagnostics.models import ImportBatch, Indicator
from maillage.diagnostics.rules import can_import_for_platform, get_batch_for_user
from maillage.territories.selectors import perimeter_get, territory_get, territory_search
from maillage.workspaces.models import Role, Workspace
from maillage.workspaces.rules import get_workspace_for_user


def _crumbs(*items):
    return [(_("Observatoire"), reverse("diagnostics:index")), *items]


def index(request):
    query = request.GET.get("q", "").strip()[:200]
    user = request.user
    context = {
        "query": query,
        "results": territory_search(query, limit=20) if query else [],
        "import_workspaces": Workspace.objects.filter(
            memberships__user=user, memberships__role__in=[Role.ADMINISTRATEUR, Role.ANIMATEUR]
        ).order_by("name")
        if user.is_authenticated
        else [],
        "can_import_platform": can_import_for_platform(user),
        "member_workspaces": Workspace.objects.filter(memberships__user=user).order_by("name")
        if user.is_authenticated
        else [],
        "crumbs": [(_("Observatoire"), "")],
    }
    return render(request, "diagnostics/index.html", context)


def indicator_list(request):
    themes = list(Indicator.Theme.values)
    indicators = sorted(selectors.indicators_catalogue(), key=lambda i: (themes.index(i.theme), i.position))
    context = {
        "indicators": indicators,
        "crumbs": _crumbs((_("Catalogue des indicateurs"), "")),
    }
    return render(request, "diagnostics/indicators.html", context)


def _portrait(request, main, comparisons, *, subject=None):
    indicators = selectors.indicators_catalogue()
    form = PortraitForm(request.GET or None, indicators=indicators)
    codes, notice = None, ""
    if form.is_bound and form.is_valid():
        codes = form.cleaned_data["indicateurs"] or None
        other = form.cleaned_data["avec"].strip()
        found = territory_search(other, limit=1) if other else []
        if found and all(p.territory_id != found[0].pk for p in [main, *comparisons]):
            comparisons = [*comparisons, selectors.place_for_territory(found[0])]
        elif other and not found:
            notice = _("Aucun territoire ne correspond à « %(q)s » : vérifiez le nom ou le code.") % {
                "q": other
            }
    context = {
        "main": main,
        "comparisons": comparisons,
        "subject": subject,
        "form": form,
        "notice": notice,
        "sections": selectors.portrait(main, comparisons, codes=codes, indicators=indicators),
        "crumbs": _crumbs((main.name, "")),
    }
    return render(request, "diagnostics/portrait.html", context, status=400 if form.errors else 200)


def territory_portrait(request, kind, code):
    territory = territory_get(kind, code)
    if territory is None:
        raise Http404(_("Territoire introuvable."))
    main = selectors.place_for_territory(territory)
    return _portrait(request, main, selectors.comparisons_for_territory(territory), subject=territory)


def france_portrait(request):
    return _portrait(request, selectors.france_place(), [])


def perimeter_portrait(request, pk):
    perimeter = perimeter_get(pk, user=request.user)
    if perimeter is None:
        raise Http404(_("Périmètre introuvable."))
    main = selectors.place_for_perimeter(perimeter)
    return _portrait(request, main, selectors.comparisons_for_perimeter(perimeter), subject=perimeter)


def _import_workspace(request, slug):
    if slug is None:
        if not can_import_for_platform(request.user):
            raise Http404
        return None
    return get_workspace_for_user(request.user, slug, "diagnostics.import_observations")


@login_required
def import_start(request, slug=None):
    workspace = _import_workspace(request, slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_batch_create(
                actor=request.user,
                workspace=workspace,
                upload=form.cleaned_data["file"],
                level=form.cleaned_data["level"],
                source_note=form.cleaned_data["source_note"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(batch)
    context = {
        "form": form,
        "workspace": workspace,
        "batches": selectors.recent_imports(workspace),
        "crumbs": _crumbs((_("Importer des données"), "")),
    }
    return render(request, "diagnostics/import_start.html", context, status=400 if form.errors else 200)


@login_required
def import_batch(request, pk):
    batch = get_batch_for_user(request.user, pk)
    if batch.status != ImportBatch.Status.PREVIEW:
        return _import_report(request, batch)
    indicators = selectors.indicators_catalogue()
    plan = selectors.import_plan(batch, indicators)
    form = None
    if plan is not None:
        form = MappingForm(request.POST or None, plan=plan, indicators=indicators, batch=batch)
        if request.method == "POST" and form.is_valid():
            options = {
                "mapping": form.mapping(),
                "keep_valid": form.cleaned_data["keep_valid"],
                "replace_existing": form.cleaned_data["replace_existing"],
            }
            try:
                if request.POST.get("action") == "import":
                    services.import_batch_queue(actor=request.user, batch=batch, **options)
                    return redirect(batch)
                services.import_batch_set_options(
                    actor=request.user, batch=batch, status=ImportBatch.Status.PREVIEW, **options
                )
            except ValidationError as error:  # launched meanwhile from another tab
                messages.error(request, " ".join(error.messages))
                return redirect(batch)
            form = MappingForm(plan=plan, indicators=indicators, batch=batch)
    context = {
        "batch": batch,
        "preview": selectors.import_preview(batch),
        "form": form,
        "crumbs": _crumbs((_("Importer des données"), _import_url(batch)), (batch.original_name, "")),
    }
    return render(request, "diagnostics/import_preview.html", context)


def _import_url(batch) -> str:
    if batch.workspace:
        return reverse("diagnostics:import_start", kwargs={"slug": batch.workspace.slug})
    return reverse("diagnostics:import_start_platform")


def _import_report(request, batch):
    if request.headers.get("HX-Request") == "true":
        response = render(request, "diagnostics/_import_status.html", {"batch": batch})
        if batch.is_finished:
            response["HX-Refresh"] = "true"
        return response
    context = {
        "batch": batch,
        "report": batch.report,
        "errors": (batch.report.get("errors") or [])[:200],
        "fmt": services.batch_format(batch),
        "import_url": _import_url(batch),
        "crumbs": _crumbs((_("Importer des données"), _import_url(batch)), (batch.original_name, "")),
    }
    return render(request, "diagnostics/import_report.html", context)


def _no_formula(text: str) -> str:
    """Column names come from the uploaded file: never let a spreadsheet read one as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@login_required
def import_errors_csv(request, pk):
    batch = get_batch_for_user(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="erreurs-import-{batch.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("ligne"), _("colonne"), _("erreur")])
    for error in batch.report.get("errors") or []:
        writer.writerow([error["line"], _no_formula(error["column"]), _no_formula(error["message"])])
    return response
