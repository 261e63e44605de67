"""Collective pages: list, creation, the collective page, timeline, settings, stage, members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.collectives import forms, forms_work, selectors, services
from maillage.collectives.models import Member
from maillage.collectives.rules import get_collective_for_user, member_of
from maillage.collectives.views._common import (
    MANAGE,
    add_form_error,
    form_status,
    render_collective,
)
from maillage.workspaces.rules import get_workspace_for_user


def collective_list(request, ws):
    workspace = get_workspace_for_user(request.user, ws, "collectives.view_collective")
    context = {
        "workspace": workspace,
        "collectives": selectors.collectives_of(workspace),
        "crumbs": [(workspace.name, workspace.get_absolute_url()), (_("Collectifs"), "")],
    }
    return render(request, "collectives/list.html", context)


@login_required
def collective_create(request, ws):
    workspace = get_workspace_for_user(request.user, ws, MANAGE)
    form = forms.CollectiveForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        join = data.pop("join")
        members = (
            [services.MemberSpec(user=request.user, category=Member.Category.PROFESSIONNEL)] if join else []
        )
        try:
            collective = services.collective_create(
                actor=request.user, workspace=workspace, members=members, **data
            )
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Le collectif « %(name)s » est créé.") % {"name": collective.name})
            return redirect(collective)
    context = {
        "workspace": workspace,
        "form": form,
        "crumbs": [(workspace.name, workspace.get_absolute_url()), (_("Nouveau collectif"), "")],
    }
    return render(request, "collectives/create.html", context, status=form_status(form))


def collective_detail(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug)
    workspace = collective.workspace
    can_manage = request.user.has_perm(MANAGE, workspace)
    own = member_of(request.user, collective)
    context = selectors.collective_page(collective, can_manage=can_manage, own_member=own)
    context.update(
        can_manage=can_manage,
        can_see_members=request.user.has_perm("collectives.view_members", workspace),
        can_propose=request.user.has_perm("collectives.add_proposal", collective),
        own_member=own,
        # Typing for someone else (a list of every member) lives on the proposal page, not here.
        proposal_form=forms.ProposalForm(collective=collective, can_type_for_others=False),
        stage_form=forms.StageForm(initial={"stage": collective.stage}),
    )
    return render_collective(request, "collectives/detail.html", collective, context)


def collective_timeline(request, ws, slug):
    """ "Où on en est / ce qui vient" of one collective, short enough for a phone or a projector."""
    collective = get_collective_for_user(request.user, ws, slug)
    upcoming = selectors.next_session(collective)
    last_closed = selectors.last_closed_session(collective)
    context = {
        "next_session": upcoming,
        "next_objectives": selectors.next_objectives(upcoming, last_closed),
        "last_closed": last_closed,
        "decisions": list(selectors.decisions_of(collective)[:5]),
    }
    return render_collective(
        request, "collectives/timeline.html", collective, context, crumbs=[(_("Où on en est"), "")]
    )


@login_required
def collective_settings(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    initial = {
        "composition_target": collective.composition_target,
        "retour_delay_days": collective.retour_delay_days,
    }
    form = forms.SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.collective_update_settings(actor=request.user, collective=collective, **form.cleaned_data)
        messages.success(request, _("Les réglages du collectif sont enregistrés."))
        return redirect(collective)
    return render_collective(
        request,
        "collectives/form.html",
        collective,
        {"form": form, "title": _("Réglages du collectif"), "submit": _("Enregistrer")},
        status=form_status(form),
        crumbs=[(_("Réglages"), "")],
    )


@login_required
@require_POST
def stage_change(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    form = forms.StageForm(request.POST)
    if form.is_valid():
        try:
            services.collective_change_stage(actor=request.user, collective=collective, **form.cleaned_data)
            messages.success(
                request,
                _("Le collectif passe à l'étape « %(stage)s ».") % {"stage": collective.get_stage_display()},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choisissez une étape dans la liste."))
    return redirect(collective.get_absolute_url() + "#etape")


@login_required
def member_add(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    form = forms.MemberForm(request.POST or None, collective=collective)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.MemberSpec(
            user=data["user"],
            pseudonym=data["pseudonym"],
            contact=data["contact"],
            consent_given_at=timezone.now() if data["consent"] else None,
            category=data["category"],
            is_relay=data["is_relay"],
            joined_on=data["joined_on"],
        )
        try:
            member = services.member_add(actor=request.user, collective=collective, spec=spec)
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("%(name)s fait partie du collectif.") % {"name": member.display_name})
            return redirect(collective.get_absolute_url() + "#membres")
    return render_collective(
        request,
        "collectives/member_form.html",
        collective,
        {"form": form},
        status=form_status(form),
        crumbs=[(_("Ajouter un membre"), "")],
    )


@login_required
def member_list(request, ws, slug):
    """Members with their contacts and arrival dates, for animateurs: where departures are recorded."""
    collective = get_collective_for_user(request.user, ws, slug, "collectives.view_contacts")
    members = selectors.members_with_labels(collective)
    by_pk = {m.pk: m for m in members}
    active = [m for m in members if m.active]
    for m in members:
        m.binome = by_pk.get(m.binome_id)
    pros = [m for m in active if m.category == Member.Category.PROFESSIONNEL]
    context = {
        "members": active,
        "former_members": [m for m in members if not m.active],
        "referent": by_pk.get(collective.referent_id),
        "referent_form": forms_work.ReferentForm(
            collective=collective, initial={"referent": collective.referent_id}
        ),
        "professionals": [
            (m, forms_work.BinomeForm(member=m, prefix=f"m{m.pk}", initial={"binome": m.binome_id}))
            for m in pros
        ],
    }
    return render_collective(
        request, "collectives/members.html", collective, context, crumbs=[(_("Membres"), "")]
    )


@login_required
def attendance_trends(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, "collectives.view_contacts")
    trends, session_rows = selectors.attendance_trends(collective)
    context = {
        "trends": trends,
        "session_rows": session_rows,
        "group_trend": selectors.collective_trend(session_rows),
    }
    return render_collective(
        request, "collectives/trends.html", collective, context, crumbs=[(_("Présences"), "")]
    )
