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


@rules.predicate
def in_group(user, group) -> bool:
    return group_role(user, group) is not None


@rules.predicate
def coordinates_group(user, group) -> bool:
    return group_role(user, group) == "coordination"


@rules.predicate
def contributes_somewhere(user) -> bool:
    """Working groups are opened by people who contribute to at least one workspace."""
    from maillage.workspaces.models import Role

    return getattr(user, "is_authenticated", False) and (user.memberships.exclude(role=Role.LECTEUR).exists())


def group_role(user, group) -> str | None:
    if group is None or not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_maillage_group_roles", {})
    if group.pk not in cache:
        cache[group.pk] = group.memberships.filter(user=user).values_list("role", flat=True).first()
    return cache[group.pk]


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
    "practices.review": (
        animator_of_practice_workspace | is_superuser,
        _("Expertiser une pratique : commenter chaque rubrique, renvoyer une rubrique à l'auteur"),
    ),
    "practices.contact_porteur": (
        rules.is_authenticated & (practice_is_public | member_of_practice_workspace | member_of_network_head),
        _("Écrire au porteur d'une pratique par la plateforme"),
    ),
    "practices.create_group": (
        contributes_somewhere | is_superuser,
        _("Ouvrir un groupe de travail entre espaces"),
    ),
    "practices.view_group": (
        in_group | is_superuser,
        _("Lire et écrire dans un groupe de travail, partager des documents"),
    ),
    "practices.manage_group": (
        coordinates_group | is_superuser,
        _("Coordonner un groupe de travail : ajouter des membres"),
    ),
}

for _name, (_predicate, _label) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def get_group_for_user(user, slug: str, perm: str = "practices.view_group"):
    """The working group if the user has `perm` on it; 404 for both missing and forbidden."""
    from maillage.practices.models import WorkingGroup

    group = WorkingGroup.objects.filter(slug=slug).first()
    if group is None or not user.has_perm(perm, group):
        raise Http404("Groupe introuvable")
    return group


def get_practice_for_user(user, slug: str, perm: str = "practices.view") -> Practice:
    """The practice if the user has `perm` on it; 404 for both missing and forbidden (no existence leak)."""
    practice = Practice.objects.select_related("workspace").filter(slug=slug).first()
    if practice is None or not user.has_perm(perm, practice):
        raise Http404("Pratique introuvable")
    return practice
