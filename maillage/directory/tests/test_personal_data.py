"""Mes données: what the directory holds about a person with an account is exported and erased."""

from django.utils import timezone

from maillage.core.registry import personal_data_erasers, personal_data_exporters
from maillage.directory.models import Person, Structure
from maillage.directory.services import RoleInput, person_create
from maillage.directory.tests.conftest import add_structure


def test_export_and_erase(workspace, josiane):
    structure = add_structure(workspace, "Jardin partagé", actor=josiane)
    person_create(
        actor=None,
        workspace=workspace,
        display_name="Josiane",
        consent_given_at=timezone.now(),
        consent_scope="Personne relais du jardin",
        user=josiane,
        roles=[RoleInput(structure, title="Jardinière", is_relay=True)],
    )
    exported = personal_data_exporters()["directory"](josiane)
    assert exported["people"][0]["roles"][0] == {
        "structure": "Jardin partagé",
        "role": "",
        "title": "Jardinière",
        "is_relay": True,
    }
    assert exported["structures_created"][0]["name"] == "Jardin partagé"
    from maillage.directory import maps
    from maillage.directory.models import ActorMap

    actor_map = ActorMap.objects.create(workspace=workspace, name="Carte")
    maps.member_add(actor=josiane, actor_map=actor_map, record=structure)
    exported = personal_data_exporters()["directory"](josiane)
    assert exported["actor_map_proposals"] == [
        {
            "map": "Carte",
            "actor": "Jardin partagé",
            "status": "proposed",
            "at": exported["actor_map_proposals"][0]["at"],
        }
    ]
    personal_data_erasers()["directory"](josiane)
    assert not Person.objects.exists() and Structure.objects.exists()
