"""Who may do what in the observatoire. Statistics themselves are public: reading needs no right.

Importing writes shared reference data, so it is kept to the animateurs and administrateurs of a workspace
(the import is recorded against that workspace) and to platform staff (imports for the whole instance).
"""

import rules
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from maillage.diagnostics.models import Diagnostic, ImportBatch
from maillage.workspaces.models import Workspace
from maillage.workspaces.rules import can_contribute, is_animator, is_member, is_superuser

is_staff = rules.is_staff


def _on_workspace(predicate):
    """Lift a workspace predicate to a diagnostic (its workspace)."""

    @rules.predicate(name=f"diagnostic_workspace:{predicate.name}")
    def lifted(user, diagnostic) -> bool:
        return diagnostic is not None and predicate.test(user, diagnostic.workspace)

    return lifted


@rules.predicate
def is_public_diagnostic(user, diagnostic) -> bool:
    return (
        diagnostic is not None
        and diagnostic.visibility == Diagnostic.Visibility.PUBLIC
        and diagnostic.workspace.visibility != Workspace.Visibility.PRIVATE
    )


PERMISSIONS = {
    "diagnostics.import_observations": (
        is_animator | is_staff | is_superuser,
        "workspace",
        _("Importer des données statistiques (CSV) dans l'observatoire"),
    ),
    "diagnostics.create_diagnostic": (
        is_animator,
        "workspace",
        _("Lancer un diagnostic partagé"),
    ),
    "diagnostics.view_diagnostic": (
        is_public_diagnostic | _on_workspace(is_member) | is_superuser,
        "diagnostic",
        _("Lire le document d'un diagnostic partagé (sans les sections réservées s'il est public)"),
    ),
    "diagnostics.work_on_diagnostic": (
        _on_workspace(is_member) | is_superuser,
        "diagnostic",
        _("Voir l'atelier de travail d'un diagnostic : toutes les sections, l'équipe, les étapes"),
    ),
    "diagnostics.contribute_diagnostic": (
        _on_workspace(can_contribute),
        "diagnostic",
        _("Ajouter des éléments à un diagnostic (données, paroles, ressources…) et voter sur les enjeux"),
    ),
    "diagnostics.manage_diagnostic": (
        _on_workspace(is_animator),
        "diagnostic",
        _("Animer un diagnostic : équipe, étapes, contributions à valider, saisie pour autrui, validation"),
    ),
}

for _name, (_predicate, _object, _label) in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def can_import_for_platform(user) -> bool:
    """Imports not tied to a workspace: platform staff only."""
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def can_import(user, workspace) -> bool:
    if workspace is None:
        return can_import_for_platform(user)
    return user.has_perm("diagnostics.import_observations", workspace)


def get_batch_for_user(user, pk: int) -> ImportBatch:
    """The import if the user may import where it was made; 404 for both missing and forbidden."""
    batch = ImportBatch.objects.select_related("workspace", "created_by").filter(pk=pk).first()
    if batch is None or not getattr(user, "is_authenticated", False) or not can_import(user, batch.workspace):
        raise Http404("Import introuvable")
    return batch


def get_diagnostic_for_user(
    user, slug: str, pk: int, perm: str = "diagnostics.view_diagnostic"
) -> Diagnostic:
    """The diagnostic if the user has `perm` on it; 404 for both missing and forbidden."""
    diagnostic = (
        Diagnostic.objects.select_related("workspace", "territory", "perimeter")
        .filter(pk=pk, workspace__slug=slug)
        .first()
    )
    if diagnostic is None or not user.has_perm(perm, diagnostic):
        raise Http404("Diagnostic introuvable")
    return diagnostic
