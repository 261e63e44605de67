"""Agenda partagé: the month's events, adding an event, the iCal feed and the monthly leaflet (PDF)."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.pdf import pdf_response
from maillage.directory import agenda
from maillage.directory.models import Place, Structure
from maillage.workspaces.rules import get_workspace_for_user


class EventForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titre"), max_length=150)
    structure = forms.ModelChoiceField(
        label=gettext_lazy("Structure organisatrice"), queryset=Structure.objects.none()
    )
    day = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=gettext_lazy("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=gettext_lazy("Heure de fin"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.ModelChoiceField(
        label=gettext_lazy("Lieu ressource"), queryset=Place.objects.none(), required=False
    )
    location = forms.CharField(
        label=gettext_lazy("Ou bien : lieu"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Adresse ou nom du lieu."),
    )
    public = forms.CharField(label=gettext_lazy("Pour qui"), max_length=200, required=False)
    cost = forms.CharField(label=gettext_lazy("Prix"), max_length=100, required=False)
    accessibility = forms.CharField(label=gettext_lazy("Accessibilité"), max_length=255, required=False)
    description = forms.CharField(
        label=gettext_lazy("Présentation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.filter(workspace=workspace).order_by(
            "sort_name"
        )
        self.fields["place"].queryset = Place.objects.filter(workspace=workspace)

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start:
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = datetime.combine(day, end, tzinfo=tz) if end else None
            if end and end < start:
                self.add_error("end", _("L'heure de fin doit venir après l'heure de début."))
        if not cleaned.get("place") and not cleaned.get("location"):
            self.add_error(
                "location", _("Indiquez où a lieu l'événement (un lieu ressource ou une adresse).")
            )
        return cleaned


def _crumbs(workspace, *more):
    return [
        (workspace.name, workspace.get_absolute_url()),
        (_("Qui fait quoi"), reverse("directory:search", args=[workspace.slug])),
        *more,
    ]


def agenda_month(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    month = agenda.Month.parse(request.GET.get("mois"))
    context = {
        "workspace": workspace,
        "month": month,
        "previous": month.shift(-1),
        "next": month.shift(1),
        "events": agenda.month_events(workspace, month),
        "can_add": request.user.has_perm("directory.contribute", workspace),
        "feed_url": request.build_absolute_uri(reverse("directory:agenda_ical", args=[slug])),
        "crumbs": _crumbs(workspace, (_("Agenda partagé"), "")),
    }
    return render(request, "directory/agenda.html", context)


@login_required
def event_add(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.contribute")
    form = EventForm(request.POST or None, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("day", "start", "end")}
        try:
            event = agenda.event_create(actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("L'événement « %(title)s » est dans l'agenda.") % {"title": event.title}
            )
            month = agenda.Month(event.starts_at.year, event.starts_at.month)
            return redirect(reverse("directory:agenda", args=[slug]) + f"?mois={month.slug}")
    context = {
        "workspace": workspace,
        "form": form,
        "crumbs": _crumbs(
            workspace, (_("Agenda partagé"), reverse("directory:agenda", args=[slug])), (_("Ajouter"), "")
        ),
    }
    return render(request, "directory/event_form.html", context, status=400 if form.errors else 200)


def agenda_ical(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    body = agenda.ical(workspace, agenda.upcoming_events(workspace), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{workspace.slug}-agenda.ics"'
    return response


def agenda_leaflet(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    month = agenda.Month.parse(request.GET.get("mois"))
    context = {"workspace": workspace, "month": month, "events": agenda.month_events(workspace, month)}
    return pdf_response(
        "directory/agenda_pdf.html",
        context,
        request=request,
        filename=f"agenda-{workspace.slug}-{month.slug}",
    )
