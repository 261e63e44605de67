"""Charter, action plan, members' binôme and handover, référent, coordination committee."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.collectives import forms_work as forms
from maillage.collectives import selectors_work as selectors
from maillage.collectives import services
from maillage.collectives.models import Collective
from maillage.collectives.rules import get_collective_for_user, member_of
from maillage.collectives.views._common import (
    MANAGE,
    add_form_error,
    form_status,
    render_collective,
    save_versioned,
)

WRITE = "collectives.write_together"


def _message_errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def charter(request, ws, slug):
    """Read the charter; members write the next version (a stale save shows both texts)."""
    collective = get_collective_for_user(request.user, ws, slug)
    context = selectors.charter_page(collective)
    latest = context["latest"]
    can_write = request.user.has_perm(WRITE, collective)
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    form = forms.CharterForm(
        request.POST or None,
        label=_("Texte de la charte"),
        initial={"text": latest.text if latest else "", "base_version": latest.number if latest else 0},
    )
    if request.method == "POST" and form.is_valid():
        saved, context["conflict"] = save_versioned(
            form, lambda **data: services.charter_edit(actor=request.user, collective=collective, **data)
        )
        if saved:
            messages.success(request, _("La nouvelle version de la charte est enregistrée."))
            return redirect("collectives:charter", ws=ws, slug=slug)
    own = member_of(request.user, collective)
    context.update(
        form=form if can_write else None,
        can_manage=request.user.has_perm(MANAGE, collective.workspace),
        own_member=own,
        own_signed=own is not None and any(s.member_id == own.pk for s in context["signatures"]),
        adopt_form=forms.AdoptForm(collective=collective),
        sign_form=forms.SignForm(collective=collective),
    )
    return render_collective(
        request,
        "collectives/charter.html",
        collective,
        context,
        status=form_status(form),
        crumbs=[(_("Charte"), "")],
    )


@login_required
@require_POST
def charter_adopt(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    form = forms.AdoptForm(request.POST, collective=collective)
    if not form.is_valid():
        messages.error(request, _("Choisissez la décision du groupe qui adopte la charte."))
    else:
        try:
            services.charter_adopt(
                actor=request.user, collective=collective, decision=form.cleaned_data["decision"]
            )
            messages.success(request, _("La charte est adoptée. Les membres peuvent la signer."))
        except ValidationError as error:
            _message_errors(request, error)
    return redirect("collectives:charter", ws=ws, slug=slug)


@login_required
@require_POST
def charter_sign(request, ws, slug):
    """A member signs for themself (no field), or an animateur records a member's signature."""
    collective = get_collective_for_user(request.user, ws, slug, WRITE)
    if "member" in request.POST:
        form = forms.SignForm(request.POST, collective=collective)
        if not form.is_valid():
            messages.error(request, _("Choisissez le membre et la date de signature."))
            return redirect("collectives:charter", ws=ws, slug=slug)
        member, signed_on = form.cleaned_data["member"], form.cleaned_data["signed_on"]
    else:
        member, signed_on = member_of(request.user, collective), None
    try:
        if member is None:
            raise ValidationError(_("Seuls les membres du collectif signent la charte."))
        services.charter_sign(actor=request.user, member=member, signed_on=signed_on)
        messages.success(
            request, _("La signature de %(name)s est enregistrée.") % {"name": member.display_name}
        )
    except ValidationError as error:
        _message_errors(request, error)
    return redirect("collectives:charter", ws=ws, slug=slug)


def plan(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug)
    context = selectors.plan_page(collective)
    own = member_of(request.user, collective)
    context.update(
        can_manage=request.user.has_perm(MANAGE, collective.workspace),
        own_member=own,
        status_form=forms.TaskStatusForm(),
    )
    return render_collective(
        request, "collectives/plan.html", collective, context, crumbs=[(_("Plan d'action"), "")]
    )


def _form_page(request, collective, form, title, submit, crumb, status=None):
    return render_collective(
        request,
        "collectives/form.html",
        collective,
        {"form": form, "title": title, "submit": submit},
        status=status or form_status(form),
        crumbs=[(crumb, "")],
    )


@login_required
def task_create(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    form = forms.TaskForm(request.POST or None, collective=collective)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(actor=request.user, collective=collective, **form.cleaned_data)
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("La tâche est ajoutée au plan d'action."))
            return redirect("collectives:plan", ws=ws, slug=slug)
    return _form_page(request, collective, form, _("Nouvelle tâche"), _("Ajouter la tâche"), _("Tâche"))


@login_required
@require_POST
def task_status(request, ws, slug, pk):
    collective = get_collective_for_user(request.user, ws, slug)
    task = get_object_or_404(collective.tasks.select_related("owner"), pk=pk)
    form = forms.TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            services.task_update(actor=request.user, task=task, status=form.cleaned_data["status"])
            messages.success(request, _("La tâche « %(t)s » est mise à jour.") % {"t": task.title})
        except ValidationError as error:
            _message_errors(request, error)
    return redirect("collectives:plan", ws=ws, slug=slug)


@login_required
def funding_create(request, ws, slug, pk=None):
    """A new budget line, or (with `pk`) an update: obtained amount, status."""
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    line = get_object_or_404(collective.funding_lines, pk=pk) if pk else None
    initial = {f: getattr(line, f) for f in forms.FundingForm.base_fields if f != "funder"} if line else {}
    if line:
        initial["funder"] = line.funder_id
    form = forms.FundingForm(request.POST or None, collective=collective, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_line_save(
                actor=request.user, collective=collective, line=line, **form.cleaned_data
            )
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("La ligne de financement est enregistrée."))
            return redirect(collective.get_absolute_url().rstrip("/") + "/plan/#financements")
    title = _("Modifier la ligne de financement") if line else _("Nouvelle ligne de financement")
    return _form_page(request, collective, form, title, _("Enregistrer"), _("Financement"))


@login_required
def member_leave(request, ws, slug, pk):
    """A member leaves (date); a professional writes a handover note for the group and the binôme."""
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    member = get_object_or_404(collective.members.select_related("user", "binome"), pk=pk)
    form = forms.LeaveForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("%(name)s a quitté le collectif.") % {"name": member.display_name})
            return redirect("collectives:members", ws=ws, slug=slug)
    title = _("Départ de %(name)s") % {"name": member.display_name}
    return _form_page(request, collective, form, title, _("Enregistrer le départ"), _("Départ"))


@login_required
@require_POST
def member_binome(request, ws, slug, pk):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    member = get_object_or_404(collective.members, pk=pk)
    form = forms.BinomeForm(request.POST, member=member, prefix=f"m{member.pk}")
    if form.is_valid():
        try:
            services.member_set_binome(actor=request.user, member=member, binome=form.cleaned_data["binome"])
            messages.success(request, _("Le binôme est enregistré."))
        except ValidationError as error:
            _message_errors(request, error)
    return redirect("collectives:members", ws=ws, slug=slug)


@login_required
@require_POST
def referent_set(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    form = forms.ReferentForm(request.POST, collective=collective)
    if form.is_valid():
        try:
            services.collective_set_referent(
                actor=request.user, collective=collective, referent=form.cleaned_data["referent"]
            )
            messages.success(request, _("Le référent ou la référente est enregistré·e."))
        except ValidationError as error:
            _message_errors(request, error)
    return redirect("collectives:members", ws=ws, slug=slug)


def coordination(request, ws, slug):
    committee = get_collective_for_user(request.user, ws, slug)
    if committee.kind != Collective.Kind.COMITE_COORDINATION:
        return redirect(committee)
    can_manage = request.user.has_perm(MANAGE, committee.workspace)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = forms.CoordinationForm(
        request.POST or None, committee=committee, initial={"collectives": committee.coordinates.all()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.coordination_set(
                actor=request.user, committee=committee, collectives=form.cleaned_data["collectives"]
            )
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("La liste des collectifs coordonnés est enregistrée."))
            return redirect("collectives:coordination", ws=ws, slug=slug)
    context = {"rows": selectors.coordination_status(committee), "form": form if can_manage else None}
    return render_collective(
        request,
        "collectives/coordination.html",
        committee,
        context,
        status=form_status(form),
        crumbs=[(_("Coordination"), "")],
    )
