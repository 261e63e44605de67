from io import StringIO

from django.core.management import call_command

from maillage.collectives.models import Collective
from maillage.workshops.models import Workshop


def test_demo_is_idempotent_with_a_finished_and_an_open_workshop(db, settings):
    settings.MAILLAGE_DEMO = True
    call_command("demo_load", stdout=StringIO())
    call_command("workshops_load", stdout=StringIO())
    out = StringIO()
    call_command("workshops_demo", stdout=out)
    assert "2 workshops" in out.getvalue()
    call_command("workshops_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    finished = Workshop.objects.get(status=Workshop.Status.CLOSED)
    assert finished.contributions.count() == 17 and finished.clusters.count() >= 6
    groups = Collective.objects.filter(
        origin=Collective.Origin.WORKSHOP, origin_url=f"/ateliers/{finished.pk}/"
    )
    assert sorted(groups.values_list("name", flat=True)) == [
        "Accueil des nouveaux arrivants",
        "Café des parents",
    ]
    # Théo left no contact: not a member, the others are
    assert groups.get(name="Café des parents").members.count() == 3
    assert Workshop.objects.get(status=Workshop.Status.OPEN).contributions.count() == 3
