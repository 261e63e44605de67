"""Session pages: list, planning, the session page, attendance, printable sheet, closing, feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.collectives import forms, selectors, services
from maillage.collectives.models import Session
from maillage.collectives.rules import get_collective_for_user, member_of
from maillage.collectives.views._common import (
    MANAGE,
    add_form_error,
    form_status,
    hx_fragment,
    render_collective,
)


def session_list(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug)
    page = Paginator(selectors.sessions_of(collective), 20).get_page(request.GET.get("page"))
    context = {"page_obj": page}
    if request.user.has_perm("collectives.view_members", collective.workspace):
        context["ical_url"] = request.build_absolute_uri(
            reverse("collectives:ical", args=[collective.ical_token])
        )
    return render_collective(
        request, "collectives/session_list.html", collective, context, crumbs=[(_("Séances"), "")]
    )


@login_required
def session_create(request, ws, slug):
    collective = get_collective_for_user(request.user, ws, slug, MANAGE)
    last = selectors.last_closed_session(collective)
    form = forms.SessionForm(
        request.POST or None, initial={"objectives": last.next_objectives if last else ""}
    )
    if request.method == "POST" and form.is_valid():
        session = services.session_create(actor=request.user, collective=collective, **form.cleaned_data)
        messages.success(request, _("La séance est programmée."))
        return redirect(session)
    return render_collective(
        request,
        "collectives/form.html",
        collective,
        {"form": form, "title": _("Programmer une séance"), "submit": _("Programmer la séance")},
        status=form_status(form),
        crumbs=[(_("Nouvelle séance"), "")],
    )


def _session(request, ws, slug, pk, perm="collectives.view_collective"):
    collective = get_collective_for_user(request.user, ws, slug, perm)
    session = get_object_or_404(
        Session.objects.select_related("minutes_edited_by"), collective=collective, pk=pk
    )
    session.collective = collective
    return collective, session


def _session_crumbs(session, *extra):
    label = _("Séance du %(date)s") % {"date": timezone.localtime(session.starts_at).strftime("%d/%m/%Y")}
    return [(label, session.get_absolute_url()), *extra] if extra else [(label, "")]


def session_detail(request, ws, slug, pk):
    collective, session = _session(request, ws, slug, pk)
    workspace = collective.workspace
    context = {
        "session": session,
        "attendances": session.attendances.select_related("member__user").order_by("member_id"),
        "feedback": selectors.feedback_summary(session),
        "decisions": selectors.decisions_of(collective).filter(session=session),
        "can_manage": request.user.has_perm(MANAGE, workspace),
        "can_see_members": request.user.has_perm("collectives.view_members", workspace),
        "can_give_feedback": request.user.has_perm("collectives.give_feedback", collective),
        "can_write": request.user.has_perm("collectives.write_together", collective),
        "feedback_form": forms.FeedbackForm(),
        "own_feedback": selectors.own_feedback(session, member_of(request.user, collective)),
    }
    return render_collective(
        request, "collectives/session.html", collective, context, crumbs=_session_crumbs(session)
    )


@login_required
def session_attendance(request, ws, slug, pk):
    collective, session = _session(request, ws, slug, pk, MANAGE)
    members = services.expected_members(session)
    initial = dict(session.attendances.values_list("member_id", "status"))
    form = forms.AttendanceForm(request.POST or None, members=members, initial_statuses=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_record_attendance(actor=request.user, session=session, statuses=form.statuses())
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect(session)
    return render_collective(
        request,
        "collectives/attendance.html",
        collective,
        {"session": session, "form": form},
        status=form_status(form),
        crumbs=_session_crumbs(session, (_("Présences"), "")),
    )


@login_required
def session_sheet(request, ws, slug, pk):
    """The attendance sheet to print and sign (or the record of who came)."""
    collective, session = _session(request, ws, slug, pk, MANAGE)
    statuses = dict(session.attendances.values_list("member_id", "status"))
    rows = [(m, statuses.get(m.pk)) for m in services.expected_members(session)]
    return render_collective(
        request,
        "collectives/sheet.html",
        collective,
        {"session": session, "rows": rows},
        crumbs=_session_crumbs(session, (_("Feuille de présence"), "")),
    )


@login_required
def session_close(request, ws, slug, pk):
    collective, session = _session(request, ws, slug, pk, MANAGE)
    form = forms.CloseSessionForm(request.POST or None, initial={"minutes": session.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            following = services.session_close(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            add_form_error(form, error)
        else:
            messages.success(request, _("La séance est close. Les objectifs de la prochaine sont fixés."))
            return redirect(following or collective)
    return render_collective(
        request,
        "collectives/close.html",
        collective,
        {"session": session, "form": form},
        status=form_status(form),
        crumbs=_session_crumbs(session, (_("Clore"), "")),
    )


@login_required
@require_POST
def session_feedback(request, ws, slug, pk):
    collective, session = _session(request, ws, slug, pk, "collectives.give_feedback")
    form = forms.FeedbackForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.feedback_give(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if not request.headers.get("HX-Request"):
        if form.is_valid() and not error:
            messages.success(request, _("Merci pour votre avis."))
        else:
            messages.error(request, error or _("Choisissez une des cinq réponses."))
        return redirect(session.get_absolute_url() + "#avis")
    context = {
        "session": session,
        "collective": collective,
        "feedback_form": forms.FeedbackForm() if form.is_valid() and not error else form,
        "feedback": selectors.feedback_summary(session),
        "own_feedback": selectors.own_feedback(session, member_of(request.user, collective)),
        "can_give_feedback": True,
        "can_manage": request.user.has_perm(MANAGE, collective.workspace),
        "feedback_error": error,
        "feedback_saved": form.is_valid() and not error,
    }
    # Errors are shown in the fragment with a 200: htmx 2 does not swap 4xx answers (see hx_fragment).
    return hx_fragment(request, "collectives/_feedback.html", context)
