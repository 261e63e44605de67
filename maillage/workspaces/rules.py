"""Who may do what in a workspace (django-rules). docs/PERMISSIONS.md is generated from PERMISSIONS below
(`manage.py permissions_table`) and a test keeps the two identical."""

import rules
from django.utils.translation import gettext_lazy as _

from maillage.workspaces.models import Role, Workspace


def role_in(user, workspace: Workspace) -> str | None:
    """The user's role in the workspace, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or workspace is None:
        return None
    cache = user.__dict__.setdefault("_maillage_roles", {})
    if workspace.pk not in cache:
        cache[workspace.pk] = workspace.memberships.filter(user=user).values_list("role", flat=True).first()
    return cache[workspace.pk]


def has_role(*roles: str):
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name=name)
    def predicate(user, workspace) -> bool:
        return role_in(user, workspace) in roles

    return predicate


@rules.predicate
def is_member(user, workspace) -> bool:
    return role_in(user, workspace) is not None


@rules.predicate
def is_public(user, workspace) -> bool:
    return workspace is not None and workspace.visibility == Workspace.Visibility.PUBLIC


@rules.predicate
def is_listed(user, workspace) -> bool:
    return workspace is not None and workspace.visibility != Workspace.Visibility.PRIVATE


is_superuser = rules.is_superuser
is_admin = has_role(Role.ADMINISTRATEUR)
is_animator = has_role(Role.ADMINISTRATEUR, Role.ANIMATEUR)
can_contribute = has_role(Role.ADMINISTRATEUR, Role.ANIMATEUR, Role.HABITANT, Role.ELU, Role.PARTENAIRE)

# action -> (predicate, plain-French description). Order is the order of docs/PERMISSIONS.md.
PERMISSIONS = {
    "workspaces.see_in_list": (
        is_listed | is_member | is_superuser,
        _("Voir l'espace dans la liste des espaces"),
    ),
    "workspaces.view_workspace": (
        is_public | is_member | is_superuser,
        _("Voir la page d'accueil et le contenu"),
    ),
    "workspaces.view_members": (is_member | is_superuser, _("Voir la liste des membres")),
    "workspaces.contribute": (can_contribute, _("Contribuer (écrire, proposer, voter)")),
    "workspaces.animate": (is_animator, _("Animer : ateliers, modération, saisie pour autrui")),
    "workspaces.manage_milestones": (is_animator, _("Tenir « Où on en est / ce qui vient »")),
    "workspaces.invite_member": (is_animator, _("Inviter des personnes (rôle non administrateur)")),
    "workspaces.manage_members": (is_admin | is_superuser, _("Changer les rôles, retirer un membre")),
    "workspaces.change_workspace": (
        is_admin | is_superuser,
        _("Modifier l'espace, sa visibilité, son réseau"),
    ),
    "workspaces.view_audit_log": (is_admin | is_superuser, _("Consulter le journal des actions sensibles")),
}

for _name, (_predicate, _label) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def get_workspace_for_user(user, slug: str, perm: str = "workspaces.view_workspace") -> Workspace:
    """The workspace if the user has `perm` on it; 404 for both missing and forbidden (no existence leak)."""
    from django.http import Http404

    workspace = Workspace.objects.select_related("territory").filter(slug=slug).first()
    if workspace is None or not user.has_perm(perm, workspace):
        raise Http404("Espace introuvable")
    return workspace
