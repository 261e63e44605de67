from ninja import Router, Schema

from maillage.accounts.api_auth import AUTHENTICATED
from maillage.workspaces.selectors import memberships_of

router = Router(tags=["comptes"])


class MembershipOut(Schema):
    workspace: str
    workspace_name: str
    role: str


class MeOut(Schema):
    id: int
    display_name: str
    email: str
    memberships: list[MembershipOut]


@router.get(
    "/me", response=MeOut, auth=AUTHENTICATED, summary="La personne authentifiée et ses rôles par espace"
)
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "display_name": user.display_label,
        "email": user.email,
        "memberships": [
            {"workspace": m.workspace.slug, "workspace_name": m.workspace.name, "role": m.role}
            for m in memberships_of(user)
        ],
    }
