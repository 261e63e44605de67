"""Pages of a workspace's practices: the hub, document upload, and the field-by-field review of an import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.practices import porteurs
from maillage.practices import selectors_review as review
from maillage.practices import services_import as imports
from maillage.practices.forms_network import UploadForm
from maillage.practices.models import ImportBatch, Practice
from maillage.workspaces.rules import get_workspace_for_user


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _batch(request, ws: str, pk: int) -> ImportBatch:
    workspace = get_workspace_for_user(request.user, ws, "practices.add_to_workspace")
    batch = ImportBatch.objects.filter(workspace=workspace, pk=pk).first()
    if batch is None:
        raise Http404("Import introuvable")
    batch.workspace = workspace
    return batch


def _review_url(batch: ImportBatch, index: int) -> str:
    return reverse("practices:import_review", args=[batch.workspace.slug, batch.pk, index])


@login_required
def workspace_home(request, ws):
    workspace = get_workspace_for_user(request.user, ws, "workspaces.view_members")
    practices = Practice.objects.filter(workspace=workspace).only("title", "slug", "status", "updated_at")
    can_add = request.user.has_perm("practices.add_to_workspace", workspace)
    context = {
        "workspace": workspace,
        "practices": practices.order_by("status", "title"),
        "batches": ImportBatch.objects.filter(workspace=workspace, status=ImportBatch.Status.PENDING)
        if can_add
        else [],
        "can_add": can_add,
        "crumbs": [(_("Pratiques inspirantes"), reverse("practices:list")), (workspace.name, "")],
    }
    return render(request, "practices/workspace.html", context)


@login_required
def import_upload(request, ws):
    workspace = get_workspace_for_user(request.user, ws, "practices.add_to_workspace")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.import_batch_create(
                actor=request.user, workspace=workspace, upload=form.cleaned_data["document"]
            )
        except ValidationError as exc:
            form.add_error("document", _errors(exc))
        else:
            return redirect(batch.get_absolute_url())
    crumbs = [(workspace.name, reverse("practices:workspace", args=[ws])), (_("Importer un document"), "")]
    context = {"workspace": workspace, "form": form, "crumbs": crumbs}
    return render(request, "practices/import_upload.html", context, status=400 if form.errors else 200)


@login_required
def import_detail(request, ws, pk):
    batch = _batch(request, ws, pk)
    context = {
        "batch": batch,
        "rows": review.batch_practices(batch),
        "warnings": batch.result.get("warnings", []),
        "crumbs": [
            (batch.workspace.name, reverse("practices:workspace", args=[ws])),
            (batch.source_name, ""),
        ],
    }
    return render(request, "practices/import_detail.html", context)


@login_required
def import_review(request, ws, pk, index):
    batch = _batch(request, ws, pk)
    if index >= len(batch.result.get("practices", [])):
        raise Http404("Pratique introuvable dans le document")
    entry = batch.decisions.get(str(index), {})
    rows = review.field_rows(batch, index)
    porteurs_text = next((r.shown for r in rows if r.name == "porteurs" and r.state != "rejected"), "")
    context = {
        "batch": batch,
        "index": index,
        "entry": entry,
        "rows": rows,
        "editing": request.GET.get("corriger", ""),
        "groups": review.item_groups(batch, index),
        "suggestions": porteurs.suggest_structures(request.user, porteurs_text),
        "chosen": set(entry.get("structures", [])),
        "undecided": len(imports.undecided(batch, index)),
        "closed": bool(entry.get("practice") or entry.get("skipped")),
        "crumbs": [
            (batch.workspace.name, reverse("practices:workspace", args=[ws])),
            (batch.source_name, batch.get_absolute_url()),
            (_("Pratique %(n)s") % {"n": index + 1}, ""),
        ],
    }
    return render(request, "practices/import_review.html", context)


@login_required
@require_POST
def import_decide(request, ws, pk, index, name):
    batch = _batch(request, ws, pk)
    error = ""
    try:
        imports.import_field_decide(
            actor=request.user,
            batch=batch,
            index=index,
            name=name,
            state=request.POST.get("state", ""),
            value=request.POST.get("value", ""),
        )
    except ValidationError as exc:
        error = _errors(exc)
    batch.refresh_from_db()
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(_review_url(batch, index) + f"#field-{name}")
    context = {
        "batch": batch,
        "index": index,
        "row": review.field_row(batch, index, name),
        "error": error,
        "editing": name if error else "",
        "undecided": len(imports.undecided(batch, index)),
        "oob": True,
    }
    # 200 even with an error: HTMX swaps only successful responses, and the row shows the error in place.
    return render(request, "practices/_import_field.html", context)


@login_required
def import_correct_form(request, ws, pk, index, name):
    """HTMX: the row of one field in edit mode."""
    batch = _batch(request, ws, pk)
    row = review.field_row(batch, index, name)
    if row is None:
        raise Http404("Champ introuvable")
    context = {"batch": batch, "index": index, "row": row, "editing": name}
    return render(request, "practices/_import_field.html", context)


@login_required
@require_POST
def import_accept_rest(request, ws, pk, index):
    batch = _batch(request, ws, pk)
    try:
        count = imports.import_accept_remaining(actor=request.user, batch=batch, index=index)
        messages.success(request, _("%(n)s champ(s) accepté(s).") % {"n": count})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(_review_url(batch, index))


@login_required
@require_POST
def import_items(request, ws, pk, index):
    batch = _batch(request, ws, pk)
    ids = [int(v) for v in request.POST.getlist("structures") if v.isdigit()]
    try:
        imports.import_items_keep(
            actor=request.user,
            batch=batch,
            index=index,
            kept=set(request.POST.getlist("keep")),
            structure_ids=ids,
        )
        messages.success(request, _("Vos choix sont enregistrés."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(_review_url(batch, index) + "#proposals")


@login_required
@require_POST
def import_create(request, ws, pk, index):
    batch = _batch(request, ws, pk)
    try:
        practice = imports.import_practice_create(actor=request.user, batch=batch, index=index)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(_review_url(batch, index))
    messages.success(request, _("Le brouillon est créé. Relisez-le puis soumettez-le à l'expertise."))
    return redirect(reverse("practices:workflow", args=[practice.slug]))


@login_required
@require_POST
def import_skip(request, ws, pk, index):
    batch = _batch(request, ws, pk)
    try:
        imports.import_practice_skip(actor=request.user, batch=batch, index=index)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(batch.get_absolute_url())
