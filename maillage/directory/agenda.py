"""Agenda partagé: the events of the territory's structures (date, place, public, cost, accessibility), listed by
month, as an iCal feed and as a printable monthly leaflet (egts lines 4195-4201: the monthly newsletter)."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.directory.models import Event, Place, Structure

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def _require(actor, perm: str, obj) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


@transaction.atomic
def event_create(
    *,
    actor,
    structure: Structure,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    description: str = "",
    place: Place | None = None,
    location: str = "",
    public: str = "",
    cost: str = "",
    accessibility: str = "",
) -> Event:
    """An event of a structure. Anyone who may add to the structure (contributors of its workspace)."""
    _require(actor, "directory.add_to_structure", structure)
    if place is not None and place.workspace_id != structure.workspace_id:
        raise ValidationError(_("Le lieu doit appartenir à cet espace."))
    event = Event(
        workspace_id=structure.workspace_id,
        structure=structure,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        description=description.strip(),
        place=place,
        location=location.strip(),
        public=public.strip(),
        cost=cost.strip(),
        accessibility=accessibility.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    event.full_clean(exclude=["workspace", "created_by"])
    event.save()
    return event


@transaction.atomic
def event_delete(*, actor, event: Event) -> None:
    if actor is not None and not (
        actor.has_perm("directory.animate", event.workspace) or event.created_by_id == actor.pk
    ):
        raise PermissionDenied("directory.animate")
    event.delete()


@dataclass
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None, today: date | None = None) -> "Month":
        today = today or timezone.localdate()
        try:
            year, month = (int(x) for x in (text or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return cls(today.year, today.month)

    @property
    def label(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        last = calendar.monthrange(self.year, self.month)[1]
        start = datetime.combine(self.first_day, time.min, tzinfo=tz)
        return start, datetime.combine(date(self.year, self.month, last), time.min, tzinfo=tz) + timedelta(
            days=1
        )

    def shift(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


def month_events(workspace, month: Month) -> list[Event]:
    start, end = month.bounds()
    return list(
        Event.objects.filter(workspace=workspace, starts_at__gte=start, starts_at__lt=end)
        .select_related("structure", "place")
        .order_by("starts_at", "id")
    )


def upcoming_events(workspace, *, days_back: int = 31, limit: int = 500) -> list[Event]:
    since = timezone.now() - timedelta(days=days_back)
    return list(
        Event.objects.filter(workspace=workspace, starts_at__gte=since)
        .select_related("structure", "place")
        .order_by("starts_at", "id")[:limit]
    )


def ical(workspace, events: list[Event], *, base_url: str) -> bytes:
    """An iCalendar (RFC 5545) feed of the events, with the `icalendar` package."""
    from icalendar import Calendar
    from icalendar import Event as IcalEvent

    cal = Calendar()
    cal.add("prodid", "-//Maillage//Agenda partagé//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{workspace.name} — agenda partagé")
    for event in events:
        item = IcalEvent()
        item.add("uid", f"maillage-event-{event.pk}@{base_url.split('//')[-1].strip('/')}")
        item.add("summary", event.title)
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at or event.starts_at + timedelta(hours=2))
        item.add("dtstamp", event.created_at)
        details = [event.description, f"Organisé par : {event.structure.name}"]
        details += [f"{label} : {value}" for label, value in (
            ("Pour qui", event.public), ("Prix", event.cost), ("Accessibilité", event.accessibility)
        ) if value]  # fmt: skip
        item.add("description", "\n".join(d for d in details if d))
        if event.where:
            item.add("location", event.where)
        cal.add_component(item)
    return cal.to_ical()
