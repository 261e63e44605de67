"""Directory fixtures: the small typologies file, the mini territories referential, a few structures."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import make_user
from maillage.directory.models import Category, LinkKind
from maillage.directory.services import (
    ContactInput,
    ServiceInput,
    StructureInput,
    link_create,
    service_create,
    structure_create,
)
from maillage.territories.models import Territory
from maillage.territories.tests.conftest import FIXTURE_PATH
from maillage.workspaces.models import Membership, Role, Workspace
from maillage.workspaces.services import workspace_create

TYPOLOGIES = Path(__file__).resolve().parent / "fixtures" / "typologies.json"
REAL_TYPOLOGIES = Path(__file__).resolve().parents[1] / "data" / "typologies.json"
VALID_SIRET = "13003013300016"  # data·inclusion's example (Luhn-valid)


@pytest.fixture(autouse=True)
def _fresh_facet_indexes():
    """Test databases reuse primary keys after a rollback: never let a workspace see a previous test's index."""
    from maillage.directory import memory_index

    memory_index._indexes.clear()


@pytest.fixture
def typologies(db):
    call_command("directory_load", "--path", str(TYPOLOGIES), stdout=StringIO())
    return Category.objects


@pytest.fixture
def referential(db):
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())
    return Territory.objects


def commune(code: str) -> Territory:
    return Territory.objects.get(kind=Territory.Kind.COMMUNE, code=code)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def kind(code: str) -> LinkKind:
    return LinkKind.objects.get(code=code)


def add_structure(workspace, name: str, *, actor=None, **fields):
    fields.setdefault("contacts", [])
    return structure_create(actor=actor, workspace=workspace, data=StructureInput(name=name, **fields))


def add_service(structure, nom: str, *, actor=None, **fields):
    fields.setdefault("description", "Un service pour les habitants du territoire.")
    return service_create(actor=actor, structure=structure, data=ServiceInput(nom=nom, **fields))


@pytest.fixture
def oleron(workspace, typologies, referential):
    """The members-only workspace with a small directory on the Île d'Oléron."""
    ccas = add_structure(
        workspace,
        "Centre communal d'action sociale",
        acronym="CCAS",
        legal_form="etablissement_public",
        commune=commune("17093"),
        address="Place de la République",
        categories=[category("organismes_publics.ccas")],
        contacts=[
            ContactInput("phone", "05 46 00 00 01", "accueil", is_public=True),
            ContactInput("email", "direction@ccas.example.org", "direction", is_public=False),
        ],
    )
    centre = add_structure(
        workspace,
        "Centre social de l'Île",
        legal_form="association",
        commune=commune("17140"),
        categories=[category("associations.sociales.centres_sociaux")],
        description="Un lieu d'accueil pour les familles, les jeunes et les habitants de l'île.",
    )
    caf = add_structure(
        workspace,
        "Caisse d'allocations familiales",
        acronym="CAF",
        legal_form="securite_sociale",
        commune=commune("17385"),
        categories=[category("caisses.caf")],
    )
    add_service(
        centre,
        "Ateliers parents-enfants",
        thematiques=["famille--soutien-a-la-parentalite-et-a-leducation"],
        publics=["familles"],
        frais="gratuit",
        zone_territories=[Territory.objects.get(kind="epci", code="241700624")],
    )
    add_service(
        ccas,
        "Aide aux démarches",
        thematiques=[
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
        ],
        publics=["tous-publics"],
        zone_territories=[commune("17093")],
    )
    link_create(
        actor=None,
        workspace=workspace,
        kind=kind("financeur"),
        source=caf,
        target=centre,
        scale="departemental",
    )
    link_create(actor=None, workspace=workspace, kind=kind("orienteur"), source=ccas, target=centre)
    return {"ccas": ccas, "centre": centre, "caf": caf}


@pytest.fixture
def glossary(db):
    """One glossary entry: with an empty glossary, `glossarize` queries at every call (its cache stays empty)."""
    from maillage.glossary.models import Term
    from maillage.glossary.services import term_save

    return term_save(
        term=Term(term="CAF", expansion="Caisse d'allocations familiales", definition="Elle verse les aides.")
    )


@pytest.fixture
def public_workspace(db):
    owner = make_user("nadia@example.org", "Nadia")
    return workspace_create(name="Village ouvert", creator=owner, visibility=Workspace.Visibility.PUBLIC)


@pytest.fixture
def everyone(alice, karim, josiane, marc, sophie, paul, outsider):
    return {
        "alice": alice,
        "karim": karim,
        "josiane": josiane,
        "marc": marc,
        "sophie": sophie,
        "paul": paul,
        "outsider": outsider,
    }


def member(workspace, email: str, role: str = Role.HABITANT):
    user = make_user(email, email.split("@")[0].title())
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user
