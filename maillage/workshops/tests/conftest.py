import pytest
from django.core.management import call_command

from maillage.workshops import services
from maillage.workshops.models import Template


@pytest.fixture
def templates(db):
    call_command("workshops_load", verbosity=0)
    return {t.key: t for t in Template.objects.filter(workspace=None)}


@pytest.fixture
def avenir(workspace, karim, templates):
    """An Atelier de l'Avenir created by Karim, not started."""
    return services.workshop_create(
        actor=karim,
        workspace=workspace,
        template=templates["atelier-de-l-avenir"],
        title="Avenir des Tilleuls",
    )


@pytest.fixture
def running(avenir, karim):
    """The same workshop in its critique phase (order 2)."""
    return services.phase_control(actor=karim, workshop=avenir, action="goto", phase_order=2)


@pytest.fixture
def nadia(running):
    return services.workshop_join(
        workshop=running,
        display_name="Nadia",
        role_as="habitant",
        first_time=True,
        consent=True,
        contact="06 12",
    )


@pytest.fixture(autouse=True)
def _live_events_not_paused():
    """A test that breaks the channel layer pauses broadcasts for a few seconds: never for the next test."""
    from maillage.workshops.services import _common

    _common._layer_down_until = 0.0
    yield
    _common._layer_down_until = 0.0
