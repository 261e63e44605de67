"""Agenda partagé: events by month, who may add, iCal feed, monthly leaflet PDF."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from maillage.directory import agenda
from maillage.directory.models import Event

pytestmark = pytest.mark.usefixtures("glossary")


def at(day: int, hour: int, month: int = 3):
    return datetime(2031, month, day, hour, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def events(oleron, josiane):
    return [
        agenda.event_create(actor=josiane, structure=oleron["centre"], title="Repair café", starts_at=at(12, 14),
                            ends_at=at(12, 17), location="Salle des fêtes", public="Tous publics", cost="Gratuit",
                            accessibility="Plain-pied"),
        agenda.event_create(actor=None, structure=oleron["ccas"], title="Permanence logement", starts_at=at(3, 9),
                            location="CCAS"),
        agenda.event_create(actor=None, structure=oleron["ccas"], title="Fête de printemps", starts_at=at(2, 15, 4),
                            location="Place du marché"),
    ]  # fmt: skip


def test_rules(oleron, paul, josiane):
    with pytest.raises(PermissionDenied):
        agenda.event_create(
            actor=paul, structure=oleron["centre"], title="X", starts_at=at(1, 10), location="Ici"
        )
    with pytest.raises(ValidationError):
        agenda.event_create(
            actor=josiane,
            structure=oleron["centre"],
            title="X",
            starts_at=at(2, 10),
            ends_at=at(1, 10),
            location="Ici",
        )


def test_month_page_and_exports(client, workspace, events, paul, django_assert_max_num_queries):
    client.force_login(paul)
    url = reverse("directory:agenda", args=[workspace.slug])
    with django_assert_max_num_queries(12):
        html = client.get(url, {"mois": "2031-03"}).content.decode()
    assert html.index("Permanence logement") < html.index("Repair café") and "Fête de printemps" not in html
    assert "Ajouter un événement" not in html  # lecteur
    assert client.get(url, {"mois": "n'importe"}).status_code == 200
    feed = Calendar.from_ical(client.get(reverse("directory:agenda_ical", args=[workspace.slug])).content)
    assert {str(e["summary"]) for e in feed.walk("VEVENT")} == {
        "Repair café",
        "Permanence logement",
        "Fête de printemps",
    }
    pdf = client.get(reverse("directory:agenda_leaflet", args=[workspace.slug]), {"mois": "2031-03"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "mars 2031" in text and "Repair café" in text and "Plain-pied" in text and "Fête" not in text


def test_add_event_form(client, workspace, oleron, josiane, outsider):
    client.force_login(josiane)
    url = reverse("directory:event_add", args=[workspace.slug])
    data = {
        "title": "Atelier cuisine",
        "structure": oleron["centre"].pk,
        "day": "2031-05-06",
        "start": "10:00",
        "end": "09:00",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "heure de fin" in response.content.decode()
    data |= {"end": "12:00", "location": "Cuisine du centre social"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.endswith("?mois=2031-05")
    event = Event.objects.get()
    assert event.ends_at - event.starts_at == timedelta(hours=2) and event.created_by == josiane
    client.force_login(outsider)
    assert client.get(url).status_code == 404
