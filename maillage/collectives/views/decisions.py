"""Proposals, retours and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives import forms, selectors, services
from maillage.collectives.models import Proposal
from maillage.collectives.rules import get_collective_for_user, member_of
from maillage.collectives.views._common import (
    MANAGE,
    add_form_error,
    form_status,
    hx_fragment,
    render_collective,
)


def decision_list(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug)
    page = Paginator(selectors.decisions_of(collective), 20).get_page(request.GET.get("page"))
    return render_collective(
        request,
        "collectives/decision_list.html",
        collective,
        {"page_obj": page},
        crumbs=[(_("Décisions"), "")],
    )


@login_required
def proposal_add(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, "collectives.add_proposal")
    can_manage = request.user.has_perm(MANAGE, collective.workspace)
    form = forms.ProposalForm(request.POST or None, collective=collective, can_type_for_others=can_manage)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.proposal_add(
                actor=request.user,
                collective=collective,
                text=form.cleaned_data["text"],
                author=form.cleaned_data.get("author"),
            )
        except ValidationError as error:
            add_form_error(form, error)
    if request.headers.get("HX-Request"):
        own = member_of(request.user, collective)
        context = {
            "collective": collective,
            "proposal_form": forms.ProposalForm(collective=collective, can_type_for_others=can_manage)
            if saved
            else form,
            "my_proposals": collective.proposals.filter(author=own).select_related("decision") if own else [],
            "own_member": own,
            "saved": saved,
        }
        return hx_fragment(request, "collectives/_my_proposals.html", context)
    if saved:
        messages.success(
            request, _("Votre proposition est enregistrée. Le groupe vous dira ce qu'elle devient.")
        )
        return redirect(collective.get_absolute_url() + "#propositions")
    return render_collective(
        request,
        "collectives/form.html",
        collective,
        {"form": form, "title": _("Faire une proposition"), "submit": _("Envoyer la proposition")},
        status=form_status(form),
        crumbs=[(_("Proposition"), "")],
    )


@login_required
def proposal_retour(request, ws, slug, pk):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    proposal = get_object_or_404(
        Proposal.objects.select_related("author__user"), collective=collective, pk=pk
    )
    form = forms.RetourForm(request.POST or None, initial={"retour": proposal.retour})
    if request.method == "POST" and form.is_valid():
        services.proposal_give_retour(
            actor=request.user, proposal=proposal, retour=form.cleaned_data["retour"]
        )
        messages.success(request, _("Le retour est enregistré : la personne le verra."))
        return redirect(collective.get_absolute_url() + "#propositions")
    context = {
        "form": form,
        "title": _("Faire un retour"),
        "submit": _("Enregistrer le retour"),
        "proposal": proposal,
    }
    return render_collective(
        request,
        "collectives/form.html",
        collective,
        context,
        status=form_status(form),
        crumbs=[(_("Retour"), "")],
    )


@login_required
def decision_create(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    proposals = list(
        collective.proposals.filter(retour_at__isnull=True)
        .select_related("author__user")
        .order_by("created_at")
    )
    initial = {"session": request.GET.get("seance"), "decided_on": timezone.localdate()}
    form = forms.DecisionForm(
        request.POST or None, collective=collective, proposals=proposals, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_record(
                actor=request.user,
                collective=collective,
                text=data["text"],
                level=data["level"],
                method=data["method"],
                result=data["result"],
                session=data["session"],
                decided_on=data["decided_on"],
                answers=form.answers(),
            )
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(
                request, _("La décision est enregistrée ; les propositions concernées ont leur retour.")
            )
            return redirect(collective.get_absolute_url() + "#decisions")
    return render_collective(
        request,
        "collectives/decision_form.html",
        collective,
        {"form": form},
        status=form_status(form),
        crumbs=[(_("Nouvelle décision"), "")],
    )
