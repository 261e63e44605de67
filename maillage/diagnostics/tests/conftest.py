"""Fixtures of the observatoire tests: the mini referential (real entries), the catalogue, CSV files."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from maillage.diagnostics.models import Indicator
from maillage.diagnostics.services import indicators_load, observations_import
from maillage.territories.models import Territory
from maillage.territories.tests.conftest import FIXTURE_PATH

# The 8 communes of the CC de l'Île d'Oléron (241700624), all of département 17 in the mini referential.
OLERON = ["17093", "17140", "17323", "17337", "17385", "17411", "17485", "17486"]
OLERON_EPCI = "241700624"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded CSV files go to a temporary directory, not to the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def referential(db):
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())
    return Territory.objects


@pytest.fixture
def catalogue(db):
    indicators_load()
    return Indicator.objects


@pytest.fixture
def observatory(referential, catalogue):
    """Referential and catalogue loaded."""
    return True


@pytest.fixture
def glossary(db):
    """The shipped glossary: portraits glossarize every label, as in production."""
    call_command("glossary_load", stdout=StringIO())


@pytest.fixture
def write_csv(tmp_path):
    def write(text: str, *, name: str = "donnees.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def territory(kind: str, code: str) -> Territory:
    return Territory.objects.get(kind=kind, code=code)


def import_text(write_csv, text: str, **options):
    """Run the import service on a CSV text, as the system (no actor)."""
    return observations_import(actor=None, path=write_csv(text), **options)
