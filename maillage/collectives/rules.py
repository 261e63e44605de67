"""Who may do what with collectives (django-rules), built from the workspace predicates.

Workspace-level permissions take the workspace as object; collective-level ones take the collective
(its own members with an account may propose and give feedback, even when they are not animateurs).
"""

import rules
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.collectives.models import Collective, Member
from maillage.workspaces.models import Role
from maillage.workspaces.rules import (
    can_contribute,
    get_workspace_for_user,
    is_animator,
    is_member,
    is_public,
    is_superuser,
    role_in,
)


def member_of(user, collective: Collective) -> Member | None:
    """The user's current Member row in the collective (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False) or collective is None:
        return None
    cache = user.__dict__.setdefault("_maillage_collective_members", {})
    if collective.pk not in cache:
        today = timezone.localdate()
        cache[collective.pk] = (
            Member.objects.filter(collective=collective, user=user).exclude(left_on__lte=today).first()
        )
    return cache[collective.pk]


def forget_member_cache(user) -> None:
    user.__dict__.pop("_maillage_collective_members", None)


def _on_workspace(predicate):
    """Lift a workspace predicate to a collective (its workspace)."""

    @rules.predicate(name=f"collective_workspace:{predicate.name}")
    def lifted(user, collective) -> bool:
        return collective is not None and predicate.test(user, collective.workspace)

    return lifted


@rules.predicate
def is_collective_member(user, collective) -> bool:
    return member_of(user, collective) is not None


@rules.predicate
def is_not_reader(user, collective) -> bool:
    return collective is not None and role_in(user, collective.workspace) not in (None, Role.LECTEUR)


ws_animator = _on_workspace(is_animator)

# action -> (predicate, object it applies to, plain-French description).
PERMISSIONS = {
    "collectives.view_collective": (
        is_public | is_member | is_superuser,
        "workspace",
        _("Voir les collectifs, leurs séances, décisions et retours"),
    ),
    "collectives.view_members": (
        is_member | is_superuser,
        "workspace",
        _("Voir qui est membre d'un collectif (jamais les coordonnées)"),
    ),
    "collectives.manage_collective": (
        is_animator,
        "workspace",
        _("Créer et animer un collectif : membres, séances, présences, décisions, étapes"),
    ),
    "collectives.view_contacts": (
        is_animator,
        "workspace",
        _("Voir les coordonnées des membres sans compte et les alertes d'absence"),
    ),
    "collectives.add_proposal": (
        ws_animator | (is_collective_member & is_not_reader),
        "collective",
        _("Faire une proposition au collectif (ses membres ; les animateurs pour autrui)"),
    ),
    "collectives.give_feedback": (
        ws_animator | (is_collective_member & is_not_reader),
        "collective",
        _("Donner son avis après une séance"),
    ),
    "collectives.write_together": (
        ws_animator | (is_collective_member & is_not_reader),
        "collective",
        _("Écrire ensemble la charte et le compte rendu des séances ; signer la charte"),
    ),
    "collectives.apply_local_ds": (
        can_contribute,
        "workspace",
        _("Déposer ou compléter une candidature de collectif local de développement social"),
    ),
    "collectives.decide_local_ds": (
        is_animator,
        "workspace",
        _("Instance départementale : approuver ou rejeter les candidatures, fixer quota et enveloppe"),
    ),
}

for _name, (_predicate, _object, _label) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def get_collective_for_user(
    user, workspace_slug: str, slug: str, perm: str = "collectives.view_collective"
) -> Collective:
    """The collective if the user has `perm` (on its workspace); 404 for missing and forbidden alike."""
    workspace = get_workspace_for_user(user, workspace_slug, "workspaces.view_workspace")
    collective = Collective.objects.filter(workspace=workspace, slug=slug).first()
    if collective is None:
        raise Http404("Collectif introuvable")
    collective.workspace = workspace  # reuse the fetched object (and its territory) without a query
    obj = collective if PERMISSIONS.get(perm, (None, "workspace"))[1] == "collective" else workspace
    if not user.has_perm(perm, obj):
        raise Http404("Collectif introuvable")
    return collective
