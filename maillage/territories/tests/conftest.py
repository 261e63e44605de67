"""The mini referential (tests/fixtures/decoupage-administratif, real entries) loaded by the real loader."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from maillage.territories.models import Territory

FIXTURE_PATH = Path(__file__).resolve().parent / "fixtures" / "decoupage-administratif"


def load(*args: str) -> str:
    out = StringIO()
    call_command("territories_load", "--path", str(FIXTURE_PATH), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def referential(db):
    load()
    return Territory.objects


@pytest.fixture
def commune(referential):
    """Le Château-d'Oléron."""
    return Territory.objects.get(kind=Territory.Kind.COMMUNE, code="17093")


@pytest.fixture
def oleron(referential):
    """The CC de l'Ile d'Oléron (EPCI)."""
    return Territory.objects.get(kind=Territory.Kind.EPCI, code="241700624")
