from maillage.core.registry import register_personal_data
from maillage.workspaces.models import Invitation, Membership


def export_memberships(user) -> dict:
    return {
        "memberships": [
            {"workspace": m.workspace.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("workspace")
        ],
        "invitations_sent": [
            {
                "workspace": i.workspace.name,
                "email": i.email,
                "role": i.role,
                "date": i.created_at.isoformat(),
            }
            for i in Invitation.objects.filter(invited_by=user).select_related("workspace")
        ],
    }


def erase_memberships(user) -> None:
    Membership.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()


def register() -> None:
    register_personal_data("workspaces", export=export_memberships, erase=erase_memberships)
