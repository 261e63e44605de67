"""What the directory holds about a person with an account: the directory entries linked to their account
(people appear only with consent) and the structures they created."""

from maillage.core.registry import register_personal_data
from maillage.directory.models import Person, Structure


def export_directory(user) -> dict:
    return {
        "people": [
            {
                "workspace": p.workspace.name,
                "display_name": p.display_name,
                "consent_given_at": p.consent_given_at.isoformat(),
                "consent_scope": p.consent_scope,
                "show_publicly": p.show_publicly,
                "roles": [
                    {
                        "structure": r.structure.name,
                        "role": r.kind.label if r.kind else "",
                        "title": r.title,
                        "is_relay": r.is_relay,
                    }
                    for r in p.roles.all()
                ],
            }
            for p in Person.objects.filter(user=user)
            .select_related("workspace")
            .prefetch_related("roles__structure", "roles__kind")
        ],
        "structures_created": [
            {"workspace": s.workspace.name, "name": s.name, "created_at": s.created_at.isoformat()}
            for s in Structure.objects.filter(created_by=user).select_related("workspace")
        ],
    }


def erase_directory(user) -> None:
    """Deleting an account withdraws consent: the directory entries linked to it disappear. The structures
    they created stay (they describe organisations, not the person) and point to "Compte supprimé"."""
    Person.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data("directory", export=export_directory, erase=erase_directory)
