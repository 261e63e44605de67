"""What the workshops app holds about a person with an account: export it, erase it.

Erasing keeps the post-its (the workshop's record stays true) but cuts the link to the account and
replaces the name with "Participant·e parti·e" and drops the contact."""

from maillage.core.registry import register_personal_data
from maillage.workshops.models import Participant

ERASED_LABEL = "Participant·e parti·e"


def export_workshops(user) -> dict:
    participants = (
        Participant.objects.filter(user=user)
        .select_related("workshop")
        .prefetch_related("contributions", "signups__project")
    )
    return {
        "participations": [
            {
                "workshop": p.workshop.title,
                "name": p.display_name,
                "role_as": p.role_as,
                "first_time": p.first_time,
                "consent_at": p.consent_at.isoformat() if p.consent_at else None,
                "contact": p.contact,
                "contributions": [c.text for c in p.contributions.all()],
                "dots": p.votes.count(),
                "projects": [s.project.title for s in p.signups.all()],
            }
            for p in participants
        ]
    }


def erase_workshops(user) -> None:
    Participant.objects.filter(user=user).update(user=None, display_name=ERASED_LABEL, contact="")


def register() -> None:
    register_personal_data("workshops", export=export_workshops, erase=erase_workshops)
