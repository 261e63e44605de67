"""Pages of the team: list, create (with reuse), the workroom (sections and items), settings, steps, team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.diagnostics import selectors_diagnostic as selectors
from maillage.diagnostics import services_diagnostic as services
from maillage.diagnostics.forms_diagnostic import DiagnosticCreateForm, DiagnosticSettingsForm, ItemForm
from maillage.diagnostics.models_diagnostic import Diagnostic, Item
from maillage.diagnostics.rules import get_diagnostic_for_user
from maillage.workspaces.rules import get_workspace_for_user


def crumbs(workspace, *items):
    return [
        (workspace.name, workspace.get_absolute_url()),
        (_("Diagnostics partagés"), reverse("diagnostics:diagnostic_list", args=[workspace.slug])),
        *items,
    ]


def add_form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the matching fields (or on the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def diagnostic_list(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "workspaces.view_workspace")
    diagnostics = [
        d
        for d in selectors.workspace_diagnostics(workspace)
        if request.user.has_perm("diagnostics.view_diagnostic", d)
    ]
    context = {
        "workspace": workspace,
        "diagnostics": diagnostics,
        "can_create": request.user.has_perm("diagnostics.create_diagnostic", workspace),
        "crumbs": crumbs(workspace)[:1] + [(_("Diagnostics partagés"), "")],
    }
    return render(request, "diagnostics/diagnostic_list.html", context)


@login_required
def diagnostic_create(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "diagnostics.create_diagnostic")
    initial = {"territoire": workspace.territory.code if workspace.territory else ""}
    form = DiagnosticCreateForm(request.POST or None, workspace=workspace, initial=initial)
    candidates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidates = selectors.overlapping_diagnostics(
            request.user, territory=data["territory"], perimeter=data["perimetre"], themes=data["themes"]
        )
        if request.POST.get("action") == "create":
            chosen = {int(pk) for pk in request.POST.getlist("reprendre") if pk.isdigit()}
            reuse = [i for d in candidates for i in d.published_items if i.pk in chosen]
            try:
                diagnostic = services.diagnostic_create(
                    actor=request.user,
                    workspace=workspace,
                    title=data["title"],
                    territory=data["territory"],
                    perimeter=data["perimetre"],
                    themes=data["themes"],
                    summary=data["summary"],
                    visibility=data["visibility"],
                    reuse=reuse,
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("Diagnostic créé."))
                return redirect(diagnostic)
    context = {
        "workspace": workspace,
        "form": form,
        "searched": request.method == "POST" and form.is_valid(),
        "candidates": candidates,
        "area": form.cleaned_data.get("perimetre") or form.cleaned_data.get("territory")
        if form.is_bound
        else None,
        "crumbs": crumbs(workspace, (_("Nouveau diagnostic"), "")),
    }
    return render(request, "diagnostics/diagnostic_create.html", context, status=400 if form.errors else 200)


def _workroom_context(request, diagnostic, forms=None):
    user = request.user
    can_manage = user.has_perm("diagnostics.manage_diagnostic", diagnostic)
    can_contribute = user.has_perm("diagnostics.contribute_diagnostic", diagnostic)
    grouped = selectors.items_by_section(diagnostic)
    forms = forms or {}
    sections = []
    for code, label in Item.Section.choices:
        form = forms.get(code)
        if form is None and can_contribute:
            form = ItemForm(diagnostic=diagnostic, section=code, can_type_for_others=can_manage)
        sections.append(
            {
                "code": code,
                "label": label,
                "items": grouped[code],
                "form": form,
                "restricted": code in diagnostic.restricted_sections,
            }
        )
    return {
        "workspace": diagnostic.workspace,
        "diagnostic": diagnostic,
        "sections": sections,
        "votes": selectors.vote_results(diagnostic),
        "pending": selectors.pending_items(diagnostic) if can_manage else [],
        "steps": list(diagnostic.steps.all()),
        "can_manage": can_manage,
        "can_contribute": can_contribute,
        "crumbs": crumbs(diagnostic.workspace, (diagnostic.title, "")),
    }


def diagnostic_detail(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk)
    if not request.user.has_perm("diagnostics.work_on_diagnostic", diagnostic):
        return redirect("diagnostics:document", slug=slug, pk=pk)
    return render(request, "diagnostics/diagnostic_detail.html", _workroom_context(request, diagnostic))


@login_required
@require_POST
def item_add(request, slug, pk, section):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.contribute_diagnostic")
    if section not in Item.Section.values:
        raise Http404
    can_manage = request.user.has_perm("diagnostics.manage_diagnostic", diagnostic)
    form = ItemForm(request.POST, diagnostic=diagnostic, section=section, can_type_for_others=can_manage)
    if form.is_valid():
        try:
            item = services.item_add(
                actor=request.user,
                diagnostic=diagnostic,
                section=section,
                title=form.cleaned_data["title"],
                enjeux=form.cleaned_data.get("enjeux") or (),
                **form.service_fields(),
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            if request.headers.get("HX-Request"):
                return _section_fragment(request, diagnostic, section, added=item)
            messages.success(request, _("Ajouté : %(title)s") % {"title": item.title})
            return redirect(reverse("diagnostics:diagnostic", args=[slug, pk]) + f"#section-{section}")
    if request.headers.get("HX-Request"):
        # HTMX does not swap 4xx answers: the section with the form's errors comes back as a 200.
        return _section_fragment(request, diagnostic, section, form=form)
    context = _workroom_context(request, diagnostic, forms={section: form})
    return render(request, "diagnostics/diagnostic_detail.html", context, status=400)


def _section_fragment(request, diagnostic, section, *, added=None, form=None):
    """One section of the workroom; adding an enjeu also refreshes the préconisations (their choices)."""
    context = _workroom_context(request, diagnostic, forms={section: form} if form else None)
    sections = {s["code"]: s for s in context["sections"]}
    html = render_to_string(
        "diagnostics/_section.html",
        {**context, "section": sections[section], "added": added},
        request=request,
    )
    if added is not None and section == Item.Section.ENJEUX:
        html += render_to_string(
            "diagnostics/_section.html",
            {**context, "section": sections[Item.Section.PRECONISATIONS], "oob": True},
            request=request,
        )
    return HttpResponse(html)


def _item_for(request, slug, pk, item_pk, perm="diagnostics.contribute_diagnostic"):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, perm)
    item = get_object_or_404(Item.objects.select_related("created_by"), pk=item_pk, diagnostic=diagnostic)
    item.diagnostic = diagnostic
    return diagnostic, item


@login_required
def item_edit(request, slug, pk, item_pk):
    diagnostic, item = _item_for(request, slug, pk, item_pk)
    can_manage = request.user.has_perm("diagnostics.manage_diagnostic", diagnostic)
    if not can_manage and item.created_by_id != request.user.pk:
        raise Http404
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS} | {
        "title": item.title,
        "enjeux": list(item.enjeux.all()),
    }
    form = ItemForm(
        request.POST or None,
        diagnostic=diagnostic,
        section=item.section,
        can_type_for_others=can_manage,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        enjeux = form.cleaned_data.get("enjeux") if "enjeux" in form.fields else None
        try:
            services.item_update(
                actor=request.user,
                item=item,
                title=form.cleaned_data["title"],
                enjeux=enjeux,
                **form.service_fields(),
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            return redirect(reverse("diagnostics:diagnostic", args=[slug, pk]) + f"#element-{item.pk}")
    context = {
        "workspace": diagnostic.workspace,
        "diagnostic": diagnostic,
        "item": item,
        "form": form,
        "crumbs": crumbs(
            diagnostic.workspace,
            (diagnostic.title, diagnostic.get_absolute_url()),
            (_("Modifier un élément"), ""),
        ),
    }
    return render(request, "diagnostics/item_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def item_delete(request, slug, pk, item_pk):
    diagnostic, item = _item_for(request, slug, pk, item_pk)
    services.item_delete(actor=request.user, item=item)
    messages.success(request, _("Élément supprimé."))
    return redirect(reverse("diagnostics:diagnostic", args=[slug, pk]) + f"#section-{item.section}")


@login_required
@require_POST
def item_review(request, slug, pk, item_pk):
    diagnostic, item = _item_for(request, slug, pk, item_pk, "diagnostics.manage_diagnostic")
    accept = request.POST.get("decision") == "accept"
    services.item_review(actor=request.user, item=item, accept=accept)
    messages.success(request, _("Contribution retenue.") if accept else _("Contribution écartée."))
    return redirect(reverse("diagnostics:diagnostic", args=[slug, pk]) + "#a-valider")


@login_required
def diagnostic_settings(request, slug, pk):
    diagnostic = get_diagnostic_for_user(request.user, slug, pk, "diagnostics.manage_diagnostic")
    initial = {name: getattr(diagnostic, name) for name in DiagnosticSettingsForm.base_fields}
    form = DiagnosticSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.diagnostic_update(actor=request.user, diagnostic=diagnostic, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Réglages enregistrés."))
            return redirect(diagnostic)
    context = {
        "workspace": diagnostic.workspace,
        "diagnostic": diagnostic,
        "form": form,
        "crumbs": crumbs(
            diagnostic.workspace, (diagnostic.title, diagnostic.get_absolute_url()), (_("Réglages"), "")
        ),
    }
    return render(
        request, "diagnostics/diagnostic_settings.html", context, status=400 if form.errors else 200
    )


__all__ = ["Diagnostic"]
