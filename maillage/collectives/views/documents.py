"""Documents and feeds: attestations (issue, PDF, public verification), co-edited minutes, printable
attendance sheet and minutes (PDF), the iCal feed of sessions, notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.collectives import forms_work as forms
from maillage.collectives import selectors_work as selectors
from maillage.collectives import services
from maillage.collectives.ical import sessions_calendar
from maillage.collectives.models import Attestation, Collective, Session
from maillage.collectives.rules import get_collective_for_user, member_of
from maillage.collectives.services.attestations import can_download
from maillage.collectives.views._common import (
    MANAGE,
    add_form_error,
    form_status,
    render_collective,
    save_versioned,
)
from maillage.core.pdf import pdf_response


@login_required
def attestations(request, ws, slug):
    """Animateurs issue attestations; a member sees and downloads their own."""
    collective = get_collective_for_user(request.user, ws, slug)
    can_manage = request.user.has_perm(MANAGE, collective.workspace)
    own = member_of(request.user, collective)
    form = forms.AttestationForm(request.POST or None, collective=collective) if can_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            issued = services.attestation_issue(
                actor=request.user,
                member=form.cleaned_data["member"],
                skills_chosen=form.cleaned_data["skills"],
                extra_roles=form.roles(),
            )
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(
                request, _("L'attestation de %(name)s est prête.") % {"name": issued.holder_name}
            )
            return redirect("collectives:attestations", ws=ws, slug=slug)
    if can_manage:
        items = list(selectors.attestations_of(collective)[:100])
    else:
        items = list(selectors.attestations_of(collective, own)) if own else []
    context = {"items": items, "form": form, "can_manage": can_manage}
    return render_collective(
        request,
        "collectives/attestations.html",
        collective,
        context,
        status=form_status(form) if form else 200,
        crumbs=[(_("Attestations"), "")],
    )


@login_required
def attestation_pdf(request, ws, slug, pk):
    collective = get_collective_for_user(request.user, ws, slug)
    attestation = get_object_or_404(
        Attestation.objects.select_related("member"), collective=collective, pk=pk
    )
    attestation.collective = collective
    if not can_download(request.user, attestation):
        raise Http404("Attestation introuvable")
    context = {
        "a": attestation,
        "collective": collective,
        "verify_path": "/collectifs/attestations/verifier/",
    }
    return pdf_response(
        "collectives/pdf/attestation.html",
        context,
        request=request,
        filename=f"attestation-{attestation.holder_name}-{collective.slug}",
    )


def attestation_verify(request):
    """Public page: anyone types the code and learns whether the attestation is valid and what it says."""
    form = forms.VerifyForm(request.GET or None)
    found, searched = None, False
    if form.is_bound and form.is_valid():
        searched = True
        found = services.attestation_verify(form.cleaned_data["code"])
    context = {"form": form, "found": found, "searched": searched}
    return render(request, "collectives/verify.html", context)


def _session(request, ws, slug, pk, perm="collectives.view_collective"):
    collective = get_collective_for_user(request.user, ws, slug, perm)
    session = get_object_or_404(
        Session.objects.select_related("minutes_edited_by"), collective=collective, pk=pk
    )
    session.collective = collective
    return collective, session


@login_required
def minutes_edit(request, ws, slug, pk):
    """Co-edited minutes: a stale save is refused and both texts are shown; nothing typed is lost."""
    collective, session = _session(request, ws, slug, pk, "collectives.write_together")
    form = forms.VersionedTextForm(
        request.POST or None,
        label=_("Compte rendu"),
        initial={"text": session.minutes, "base_version": session.minutes_version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_versioned(
            form, lambda **data: services.minutes_save(actor=request.user, session=session, **data)
        )
        if saved:
            messages.success(request, _("Le compte rendu est enregistré."))
            return redirect(session)
    context = {"session": session, "form": form, "conflict": conflict}
    return render_collective(
        request,
        "collectives/minutes.html",
        collective,
        context,
        status=form_status(form),
        crumbs=[(_("Compte rendu"), "")],
    )


def session_pdf(request, ws, slug, pk, document):
    """Printable attendance sheet (animateurs) or minutes (anyone who sees the collective), as PDF."""
    if document not in ("feuille", "compte-rendu"):
        raise Http404("Document inconnu")
    perm = MANAGE if document == "feuille" else "collectives.view_collective"
    collective, session = _session(request, ws, slug, pk, perm)
    statuses = dict(session.attendances.values_list("member_id", "status"))
    context = {
        "collective": collective,
        "session": session,
        "rows": [(m, statuses.get(m.pk)) for m in services.expected_members(session)],
        "decisions": list(session.decisions.order_by("pk")),
        "can_see_members": request.user.has_perm("collectives.view_members", collective.workspace),
    }
    template = "collectives/pdf/sheet.html" if document == "feuille" else "collectives/pdf/minutes.html"
    day = timezone.localtime(session.starts_at).strftime("%Y-%m-%d")
    return pdf_response(template, context, request=request, filename=f"{document}-{collective.slug}-{day}")


def ical_feed(request, token):
    """The collective's sessions as an iCal feed, behind an unguessable URL (calendar apps cannot log in)."""
    collective = (
        Collective.objects.select_related("workspace").filter(ical_token=token).first()
        if len(token) >= 20
        else None
    )
    if collective is None:
        raise Http404("Calendrier introuvable")
    response = HttpResponse(
        sessions_calendar(collective, request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{collective.slug}.ics"'
    return response


@login_required
def notifications(request):
    items = list(selectors.notifications_of(request.user))
    return render(
        request,
        "collectives/notifications.html",
        {
            "items": items,
            "unread": sum(1 for n in items if n.read_at is None),
            "crumbs": [(_("Notifications"), "")],
        },
    )


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(actor=request.user)
    messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("collectives:notifications")
