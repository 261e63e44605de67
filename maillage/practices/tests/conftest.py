"""Fixtures of the practices tests: référentiels, the mini territories referential, the 12 seed practices
imported by the real importer, and practices in workspaces with each publication scope."""

from io import StringIO

import pytest
from django.core.management import call_command

from maillage.practices import services
from maillage.practices.importer import parse_document
from maillage.practices.models import Practice
from maillage.territories.tests.conftest import FIXTURE_PATH
from maillage.workspaces.models import Workspace
from maillage.workspaces.services import workspace_create

SEED = services.SEED_ANNEX
# Contact details written in the seed annex: none may appear on any page.
SEED_CONTACT_NAMES = [
    "Berguio",
    "Caillaud",
    "Emmanuelle Pion",
    "Verdoux",
    "Roumégous",
    "Micheline Imbert",
    "Bernard Bureau",
    "Treille",
    "Sarrazin",
    "Ouvrard",
    "ROUSEE",
    "GIREAU",
    "Nadège Cantel",
    "Polonceaux",
    "Campese",
    "Lagrand",
    "Gilardeau",
    "Kévin Lafrance",
    "Hagenmüller",
    "Combret",
    "IBOS",
]


@pytest.fixture
def territories(db):
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())


@pytest.fixture
def referentials(db):
    return services.referentials_load()


@pytest.fixture
def seed_practices(referentials, territories):
    services.practices_load_seed()
    return Practice.objects.filter(source_document=services.SEED_ANNEX_NAME)


def import_text(text: str, **kwargs) -> list[Practice]:
    result = parse_document(text, source_name="test.txt")
    return [services.practice_create_from_import(detected=d, **kwargs) for d in result.practices]


PRIVATE_TEXT = """# Atelier vélo solidaire des Tilleuls

Des habitants réparent ensemble les vélos du quartier avec un animateur.

## Le contexte

Beaucoup d'enfants n'avaient pas de vélo en état de rouler.

## Ce qui a été fait

Un atelier de réparation chaque samedi ; 25 vélos remis en état.
"""


@pytest.fixture
def workspace_practice(referentials, workspace, karim):
    """A draft in the members-only workspace "Quartier des Tilleuls"."""
    (practice,) = import_text(PRIVATE_TEXT, actor=karim, workspace=workspace)
    return practice


@pytest.fixture
def department_space(db, alice):
    """A network head ("Département") the Tilleuls workspace publishes to, with its own member."""
    from conftest import make_user
    from maillage.workspaces.models import Membership

    head = workspace_create(
        name="Département du Cantal", creator=alice, visibility=Workspace.Visibility.MEMBERS
    )
    head.member = make_user("dora@example.org", "Dora")
    Membership.objects.create(workspace=head, user=head.member, role="animateur")
    return head
