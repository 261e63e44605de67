"""What the collectives app holds about a person with an account: export it, erase it.

Erasing keeps the member row (so attendance counts and decisions stay true) but cuts the link to the
account and replaces the name with "Membre parti·e"; proposals stay, attributed to that anonymous member.
"""

from django.utils import timezone

from maillage.collectives.models import (
    ERASED_MEMBER_LABEL,
    Attestation,
    CharterSignature,
    CharterVersion,
    Feedback,
    Member,
    MinutesVersion,
    Notification,
    Proposal,
    Session,
    Task,
)
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
        "charter_signatures": [
            {
                "collective": s.charter.collective.name,
                "version": s.version.number,
                "signed_on": s.signed_on.isoformat(),
            }
            for s in CharterSignature.objects.filter(member__user=user).select_related(
                "charter__collective", "version"
            )
        ],
        "charter_versions_written": CharterVersion.objects.filter(author=user).count(),
        "minutes_versions_written": MinutesVersion.objects.filter(author=user).count(),
        "tasks": [
            {
                "collective": t.collective.name,
                "title": t.title,
                "due_on": t.due_on.isoformat() if t.due_on else None,
                "status": t.status,
            }
            for t in Task.objects.filter(owner__user=user).select_related("collective")
        ],
        "attestations": [
            {
                "collective": a.collective.name,
                "issued_at": a.issued_at.isoformat(),
                "code": a.code,
                "skills": a.skills,
            }
            for a in Attestation.objects.filter(member__user=user).select_related("collective")
        ],
        "notifications": [
            {"date": n.created_at.isoformat(), "text": n.text, "read": n.read_at is not None}
            for n in Notification.objects.filter(user=user)
        ],
    }


def erase_collectives(user) -> None:
    """Notifications go; written texts stay without their author; attestations are revoked and no longer
    name the person (the verification page then says the attestation was cancelled)."""
    today = timezone.localdate()
    Notification.objects.filter(user=user).delete()
    CharterVersion.objects.filter(author=user).update(author=None)
    MinutesVersion.objects.filter(author=user).update(author=None)
    Session.objects.filter(minutes_edited_by=user).update(minutes_edited_by=None)
    Attestation.objects.filter(member__user=user).update(
        holder_name=ERASED_MEMBER_LABEL, revoked_at=timezone.now()
    )
    Member.objects.filter(user=user, left_on__isnull=True).update(left_on=today)
    Member.objects.filter(user=user).update(user=None, pseudonym=ERASED_MEMBER_LABEL, contact="")


def register() -> None:
    register_personal_data("collectives", export=export_collectives, erase=erase_collectives)
