"""What the directory holds about a person with an account: the directory entries linked to their account
(people appear only with consent) and the structures they created."""

from maillage.core.registry import register_personal_data
from maillage.directory.models import ActorMapLink, ActorMapMember, Event, Person, Structure


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
        "actor_map_proposals": [
            {
                "map": m.actor_map.name,
                "actor": str(m.record),
                "status": m.status,
                "at": m.created_at.isoformat(),
            }
            for m in ActorMapMember.objects.filter(proposed_by=user).select_related(
                "actor_map", "structure", "person", "scheme"
            )
        ]
        + [
            {
                "map": link.actor_map.name,
                "link": f"{link.source} — {link.kind} → {link.target}",
                "status": link.status,
            }
            for link in ActorMapLink.objects.filter(proposed_by=user).select_related(
                "actor_map",
                "kind",
                "source__structure",
                "source__person",
                "source__scheme",
                "target__structure",
                "target__person",
                "target__scheme",
            )  # fmt: skip
        ],
        "events_created": [
            {"title": e.title, "structure": e.structure.name, "starts_at": e.starts_at.isoformat()}
            for e in Event.objects.filter(created_by=user).select_related("structure")
        ],
    }


def erase_directory(user) -> None:
    """Deleting an account withdraws consent: the directory entries linked to it disappear. The structures
    they created stay (they describe organisations, not the person) and point to "Compte supprimé", like the
    actors and links they proposed on actor maps and the events they announced."""
    Person.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data("directory", export=export_directory, erase=erase_directory)
