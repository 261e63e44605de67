"""Who may do what in the directory. Workspace-level permissions take the workspace; structure-level ones take
the structure (its workspace gives the role)."""

import rules
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from maillage.workspaces.rules import can_contribute, is_animator, is_member, is_public, is_superuser


@rules.predicate
def can_contribute_to_structure(user, structure) -> bool:
    return structure is not None and can_contribute(user, structure.workspace)


@rules.predicate
def animates_structure_workspace(user, structure) -> bool:
    return structure is not None and is_animator(user, structure.workspace)


@rules.predicate
def created_structure(user, structure) -> bool:
    return (
        structure is not None and structure.created_by_id is not None and structure.created_by_id == user.pk
    )


@rules.predicate
def sees_structure_workspace(user, structure) -> bool:
    return structure is not None and (
        is_public(user, structure.workspace) or is_member(user, structure.workspace)
    )


# action -> (predicate, plain-French description, object: "workspace" or "structure")
PERMISSIONS = {
    "directory.view": (is_public | is_member | is_superuser, "workspace", _("Consulter l'annuaire")),
    "directory.view_private": (
        is_member | is_superuser,
        "workspace",
        _("Voir les coordonnées privées et les personnes non publiques"),
    ),
    "directory.contribute": (
        can_contribute,
        "workspace",
        _("Ajouter une structure, un service, un lien, un lieu ressource"),
    ),
    "directory.animate": (
        is_animator,
        "workspace",
        _("Importer et gérer l'annuaire, enregistrer des personnes (avec leur consentement)"),
    ),
    "directory.view_structure": (
        sees_structure_workspace | is_superuser,
        "structure",
        _("Consulter une fiche"),
    ),
    "directory.change_structure": (
        animates_structure_workspace | (created_structure & can_contribute_to_structure),
        "structure",
        _("Modifier une structure : animateurs de l'espace, ou la personne qui l'a créée"),
    ),
    "directory.add_to_structure": (
        can_contribute_to_structure,
        "structure",
        _("Ajouter un service ou un lien à une structure"),
    ),
}

for _name, (_predicate, _object, _label) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def get_structure_for_user(user, workspace, pk: int, perm: str = "directory.view_structure"):
    """The workspace's structure if the user has `perm` on it; 404 for both missing and forbidden."""
    from maillage.directory.models import Structure

    structure = (
        Structure.objects.select_related("workspace", "commune").filter(workspace=workspace, pk=pk).first()
    )
    if structure is None or not user.has_perm(perm, structure):
        raise Http404("Structure introuvable")
    return structure
