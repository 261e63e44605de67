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
    from maillage.core.registry import timeline_changed

    memberships = Membership.objects.filter(user=user)
    for workspace_id in memberships.values_list("workspace_id", flat=True):
        timeline_changed(workspace_id)  # member counts on the home page
    memberships.delete()
    Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()


def register() -> None:
    register_personal_data("workspaces", export=export_memberships, erase=erase_memberships)
