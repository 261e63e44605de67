"""Who may do what in the observatoire. Statistics themselves are public: reading needs no right.

Importing writes shared reference data, so it is kept to the animateurs and administrateurs of a workspace
(the import is recorded against that workspace) and to platform staff (imports for the whole instance).
"""

import rules
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from maillage.diagnostics.models import ImportBatch
from maillage.workspaces.rules import is_animator, is_superuser

is_staff = rules.is_staff

PERMISSIONS = {
    "diagnostics.import_observations": (
        is_animator | is_staff | is_superuser,
        "workspace",
        _("Importer des données statistiques (CSV) dans l'observatoire"),
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
