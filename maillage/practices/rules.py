"""Who may see and edit practices (django-rules), built from the workspace role predicates.

- Published practices shared with everyone (scope "public") are visible to anyone, anonymous included.
- A workspace's practices, whatever their status, are visible to its members.
- Published practices shared with the network are visible to the members of the workspaces this one
  publishes to (its network heads: e.g. the département).
- National reference content (no workspace) is written by commands and superusers only.
"""

import rules
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from maillage.practices.models import Practice
from maillage.workspaces.rules import can_contribute, is_animator, is_member, is_superuser


@rules.predicate
def practice_is_public(user, practice) -> bool:
    return practice is not None and practice.is_public


@rules.predicate
def member_of_practice_workspace(user, practice) -> bool:
    return practice is not None and practice.workspace_id is not None and is_member(user, practice.workspace)


@rules.predicate
def member_of_network_head(user, practice) -> bool:
    if (
        practice is None
        or practice.workspace_id is None
        or practice.status != Practice.Status.PUBLISHED
        or practice.scope != Practice.Scope.NETWORK
        or not getattr(user, "is_authenticated", False)
    ):
        return False
    return practice.workspace.publishes_to.filter(memberships__user=user).exists()


@rules.predicate
def contributor_of_practice_workspace(user, practice) -> bool:
    return (
        practice is not None
        and practice.workspace_id is not None
        and can_contribute(user, practice.workspace)
    )


@rules.predicate
def animator_of_practice_workspace(user, practice) -> bool:
    return (
        practice is not None and practice.workspace_id is not None and is_animator(user, practice.workspace)
    )


PERMISSIONS = {
    "practices.view": (
        practice_is_public | member_of_practice_workspace | member_of_network_head | is_superuser,
        _("Voir une pratique inspirante"),
    ),
    "practices.add_to_workspace": (
        can_contribute | is_superuser,
        _("Rédiger ou importer une pratique dans l'espace"),
    ),
    "practices.edit": (
        contributor_of_practice_workspace | is_superuser,
        _("Modifier une pratique de l'espace"),
    ),
    "practices.publish": (
        animator_of_practice_workspace | is_superuser,
        _("Publier ou archiver une pratique, choisir pour qui elle est publiée"),
    ),
}

for _name, (_predicate, _label) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def get_practice_for_user(user, slug: str, perm: str = "practices.view") -> Practice:
    """The practice if the user has `perm` on it; 404 for both missing and forbidden (no existence leak)."""
    practice = Practice.objects.select_related("workspace").filter(slug=slug).first()
    if practice is None or not user.has_perm(perm, practice):
        raise Http404("Pratique introuvable")
    return practice
