"""What the collectives app holds about a person with an account: export it, erase it.

Erasing keeps the member row (so attendance counts and decisions stay true) but cuts the link to the
account and replaces the name with "Membre parti·e"; proposals stay, attributed to that anonymous member.
"""

from django.utils import timezone

from maillage.collectives.models import ERASED_MEMBER_LABEL, Feedback, Member, Proposal
from maillage.core.registry import register_personal_data


def export_collectives(user) -> dict:
    members = Member.objects.filter(user=user).select_related("collective__workspace")
    return {
        "memberships": [
            {
                "collective": m.collective.name,
                "workspace": m.collective.workspace.name,
                "category": m.category,
                "joined_on": m.joined_on.isoformat(),
                "left_on": m.left_on.isoformat() if m.left_on else None,
                "personne_relais": m.is_relay,
                "attendance": [
                    {"session": a.session.starts_at.isoformat(), "status": a.status}
                    for a in m.attendances.select_related("session").order_by("session__starts_at")
                ],
            }
            for m in members
        ],
        "proposals": [
            {
                "collective": p.collective.name,
                "text": p.text,
                "date": p.created_at.isoformat(),
                "retour": p.retour,
                "retour_date": p.retour_at.isoformat() if p.retour_at else None,
            }
            for p in Proposal.objects.filter(author__user=user).select_related("collective")
        ],
        "session_feedback": [
            {"session": f.session.starts_at.isoformat(), "score": f.score, "comment": f.comment}
            for f in Feedback.objects.filter(member__user=user).select_related("session")
        ],
    }


def erase_collectives(user) -> None:
    today = timezone.localdate()
    Member.objects.filter(user=user, left_on__isnull=True).update(left_on=today)
    Member.objects.filter(user=user).update(user=None, pseudonym=ERASED_MEMBER_LABEL, contact="")


def register() -> None:
    register_personal_data("collectives", export=export_collectives, erase=erase_collectives)
