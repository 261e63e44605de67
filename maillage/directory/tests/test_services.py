"""Writes: who may do what (every persona and anonymous), validation, index upkeep, quality score."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maillage.core.models import AuditEvent
from maillage.directory.models import Link, Structure
from maillage.directory.quality import quality_score
from maillage.directory.services import (
    ContactInput,
    RoleInput,
    ServiceInput,
    link_create,
    person_create,
    place_create,
    service_create,
    structure_input_from,
    structure_mark_checked,
    structure_update,
)
from maillage.directory.tests.conftest import add_service, add_structure, commune, kind
from maillage.workspaces.models import Membership

CONTRIBUTORS = ["alice", "karim", "josiane", "marc", "sophie"]
NOT_CONTRIBUTORS = ["paul", "outsider", "anonymous"]


def _persona(everyone, name):
    return AnonymousUser() if name == "anonymous" else everyone[name]


@pytest.mark.parametrize("name", CONTRIBUTORS)
def test_contributors_add_structures_services_links_places(workspace, everyone, typologies, name):
    actor = everyone[name]
    structure = add_structure(workspace, f"Association de {name}", actor=actor)
    assert structure.created_by == actor
    other = add_structure(workspace, "Mairie")
    service = add_service(other, "Permanence d'accueil", actor=actor)
    assert service.created_by == actor
    link_create(
        actor=actor, workspace=workspace, kind=kind("partenaire_technique"), source=structure, target=other
    )
    place_create(actor=actor, workspace=workspace, name="Salle polyvalente", capacity=80)


@pytest.mark.parametrize("name", NOT_CONTRIBUTORS)
def test_readers_outsiders_and_anonymous_cannot_write(workspace, everyone, typologies, name):
    actor = _persona(everyone, name)
    other = add_structure(workspace, "Mairie")
    with pytest.raises(PermissionDenied):
        add_structure(workspace, "Association", actor=actor)
    with pytest.raises(PermissionDenied):
        add_service(other, "Permanence", actor=actor)
    with pytest.raises(PermissionDenied):
        link_create(actor=actor, workspace=workspace, kind=kind("financeur"), source=other, target=other)
    with pytest.raises(PermissionDenied):
        place_create(actor=actor, workspace=workspace, name="Salle")


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("alice", True), ("karim", True), ("josiane", True), ("marc", False), ("sophie", False), ("paul", False)]
    + [("outsider", False), ("anonymous", False)],
)
def test_edit_is_for_animators_and_the_creator(workspace, everyone, name, allowed):
    structure = add_structure(workspace, "Jardin partagé", actor=everyone["josiane"])
    data = structure_input_from(structure)
    data.description = "Des parcelles cultivées ensemble."
    actor = _persona(everyone, name)
    if allowed:
        structure_update(actor=actor, structure=structure, data=data)
        structure.refresh_from_db()
        assert structure.description == "Des parcelles cultivées ensemble."
        structure_mark_checked(actor=actor, structure=structure)
    else:
        with pytest.raises(PermissionDenied):
            structure_update(actor=actor, structure=structure, data=data)
        with pytest.raises(PermissionDenied):
            structure_mark_checked(actor=actor, structure=structure)


def test_creator_who_left_the_workspace_can_no_longer_edit(workspace, josiane):
    structure = add_structure(workspace, "Jardin partagé", actor=josiane)
    Membership.objects.filter(user=josiane).delete()
    josiane.__dict__.pop("_maillage_roles", None)
    with pytest.raises(PermissionDenied):
        structure_update(actor=josiane, structure=structure, data=structure_input_from(structure))


def test_contacts_keep_their_visibility(workspace):
    structure = add_structure(
        workspace,
        "Association",
        contacts=[
            ContactInput("phone", "05 46 00 00 00"),
            ContactInput("email", "prive@example.org", is_public=False),
        ],
    )
    assert [(c.kind, c.is_public) for c in structure.contacts.all()] == [("phone", True), ("email", False)]
    with pytest.raises(ValidationError):
        add_structure(workspace, "Autre", contacts=[ContactInput("fax", "05")])


def test_service_values_are_data_inclusion_ones(workspace):
    structure = add_structure(workspace, "Association")
    with pytest.raises(ValidationError, match="valeur inconnue « logement »"):
        add_service(structure, "Aide", thematiques=["logement"])
    with pytest.raises(ValidationError, match="Tous publics"):
        add_service(structure, "Aide", publics=["tous-publics", "jeunes"])


def test_links_stay_inside_the_workspace(workspace, public_workspace, typologies):
    mine = add_structure(workspace, "Association")
    theirs = add_structure(public_workspace, "Ailleurs")
    with pytest.raises(ValidationError, match="appartenir à cet espace"):
        link_create(actor=None, workspace=workspace, kind=kind("financeur"), source=theirs, target=mine)
    assert not Link.objects.exists()


@pytest.mark.parametrize(
    ("name", "allowed"), [("alice", True), ("karim", True), ("josiane", False), ("paul", False)]
)
def test_people_are_recorded_by_animators_with_an_audit_line(workspace, everyone, name, allowed):
    structure = add_structure(workspace, "Centre social")
    kwargs = {
        "workspace": workspace,
        "display_name": "La référente familles",
        "consent_given_at": timezone.now(),
        "consent_scope": "Personne relais du centre social",
    }
    if not allowed:
        with pytest.raises(PermissionDenied):
            person_create(actor=everyone[name], **kwargs)
        return
    person = person_create(
        actor=everyone[name], roles=[RoleInput(structure, title="Référente", is_relay=True)], **kwargs
    )
    assert AuditEvent.objects.filter(action="directory.person_create", target_id=str(person.pk)).exists()
    assert structure.person_roles.get().is_relay


def test_index_follows_the_writes(oleron):
    centre = Structure.objects.get(pk=oleron["centre"].pk)
    tokens = set(centre.facet_tokens.split())
    assert {"thematique=famille", "thematique=famille--soutien-a-la-parentalite-et-a-leducation"} <= tokens
    assert {"category=associations", "category=associations.sociales.centres_sociaux"} <= tokens
    assert {"territory=commune:17140", "territory=epci:241700624", "territory=departement:17"} <= tokens
    assert {"territory=region:75", "kind=association", "public=familles"} <= tokens
    assert " ateliers parents enfants " in centre.search_text and centre.sort_name == "centre social de l ile"
    service_create(
        actor=None,
        structure=centre,
        data=ServiceInput(
            nom="Accès au numérique", description="Des ordinateurs en libre accès.", publics=["seniors"]
        ),
    )
    centre.refresh_from_db()
    assert "public=seniors" in centre.facet_tokens.split() and " acces au numerique " in centre.search_text


def test_quality_score_lists_what_to_fix(workspace, referential):
    empty = add_structure(workspace, "Association muette")
    report = quality_score(empty)
    assert report.score < 0.3
    advice = " ".join(report.to_fix)
    assert "Indiquez l'adresse et la commune" in advice
    assert "Ajoutez au moins un service" in advice
    assert "Ajoutez un moyen de contact" in advice
    assert "trop courte (0 caractères)" in advice


def test_quality_score_of_a_complete_record(workspace, referential):
    structure = add_structure(
        workspace,
        "Centre social",
        address="1 rue des Écoles",
        commune=commune("17140"),
        description="Un centre social ouvert à tous les habitants de l'île. " * 5,
        contacts=[ContactInput("phone", "05 46 00 00 00")],
    )
    add_service(
        structure,
        "Ateliers",
        thematiques=["remobilisation--lien-social"],
        publics=["tous-publics"],
        frais="gratuit",
    )
    report = quality_score(structure)
    assert report.score == 1.0 and report.to_fix == []
    add_service(structure, "Sorties", frais="payant")
    structure.last_checked_at = structure.updated_at = timezone.now() - timedelta(days=400)
    report = quality_score(structure)
    by_code = {c.code: c.score for c in report.criteria}
    assert by_code["frais"] == 0.75 and by_code["publics"] == 0.5 and 0 < by_code["date_maj"] < 1
    assert any("n'a pas été vérifiée depuis 13 mois" in advice for advice in report.to_fix)
