from io import StringIO

from django.core.management import call_command

from maillage.collectives import selectors
from maillage.collectives.models import Collective


def test_demo_is_idempotent_and_shows_a_fading_member(db, settings):
    settings.MAILLAGE_DEMO = True
    call_command("demo_load", stdout=StringIO())
    out = StringIO()
    call_command("collectives_demo", stdout=out)
    assert "3 collectives" in out.getvalue()
    call_command("collectives_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    garden = Collective.objects.get(name="Jardin partagé de Dolus")
    active = [m for m in garden.members.select_related("user") if m.is_active]
    assert [(m.display_name, n) for m, n in selectors.absence_alerts(garden, active)] == [("Lucienne", 3)]
    assert garden.charter.is_adopted and garden.charter.signatures.count() == 2
    assert garden.tasks.count() == 3 and garden.funding_lines.count() == 2
    attestation = garden.attestations.get()
    assert attestation.holder_name == "Ahmed" and attestation.signed_by_name == garden.referent.display_name
    committee = Collective.objects.get(kind=Collective.Kind.COMITE_COORDINATION)
    assert committee.coordinates.count() == 2
    assert garden.proposals.get().has_retour
    assert selectors.next_session(garden).objectives == "Préparer le terrain et planifier les semis"
