"""The iCal feed of a collective's sessions (icalendar package)."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

SESSION_LENGTH = timedelta(hours=2)  # sessions have a start only; calendars need an end


def sessions_calendar(collective, request=None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Maillage//Collectifs//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{collective.name} — séances")
    since = timezone.now() - timedelta(days=365)
    for session in collective.sessions.filter(starts_at__gte=since).order_by("starts_at")[:500]:
        event = Event()
        event.add("uid", f"collectif-{collective.pk}-seance-{session.pk}@maillage")
        event.add("summary", f"Séance — {collective.name}")
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.starts_at + SESSION_LENGTH)
        event.add("dtstamp", timezone.now())
        if session.place:
            event.add("location", session.place)
        description = session.objectives or session.agenda
        if description:
            event.add("description", f"Objectifs : {description}")
        if request is not None:
            event.add("url", request.build_absolute_uri(session.get_absolute_url()))
        cal.add_component(event)
    return cal.to_ical()
