"""directory_demo: a realistic directory for the demo workspace, without personal data."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from maillage.directory.models import Link, Network, Person, Place, Service, Structure
from maillage.directory.selectors import SearchParams, directory_search
from maillage.directory.tests.conftest import REAL_TYPOLOGIES


def test_demo_directory(referential, settings, client):
    settings.MAILLAGE_DEMO = True
    with pytest.raises(CommandError, match="demo_load"):
        call_command("directory_demo", stdout=StringIO())
    call_command("directory_load", "--path", str(REAL_TYPOLOGIES), stdout=StringIO())
    call_command("demo_load", stdout=StringIO())
    out = StringIO()
    call_command("directory_demo", stdout=out)
    assert "15 structures" in out.getvalue()
    call_command("directory_demo", stdout=out)
    assert "already loaded" in out.getvalue() and Structure.objects.count() == 15
    assert Service.objects.count() >= 10 and Link.objects.count() >= 15
    assert Network.objects.count() == 2 and Place.objects.count() == 1
    assert (
        Structure.objects.filter(categories__isnull=True).count() <= 1
    )  # categories found in the shipped file
    phones = [c.value for s in Structure.objects.all() for c in s.contacts.all() if c.kind == "phone"]
    assert all(re.fullmatch(r"01 99 00 00 \d\d", p) for p in phones)  # numbers reserved for fiction
    assert all(
        c.value.endswith("@example.org")
        for s in Structure.objects.all()
        for c in s.contacts.filter(kind="email")
    )
    assert Person.objects.get().display_name == "La référente familles du centre social"
    workspace = Structure.objects.first().workspace
    from maillage.directory.maps import inclusivity
    from maillage.directory.models import ActorMap, CommuneCentre, Event

    actor_map = ActorMap.objects.get()
    assert actor_map.members.count() == 9 and actor_map.links.count() >= 8
    assert "Santé" in {c.label for c in inclusivity(actor_map).missing_headings}
    assert Event.objects.count() == 10 and CommuneCentre.objects.count() == 4
    assert Structure.objects.filter(latitude__isnull=False).count() >= 12
    from django.urls import reverse

    html = client.get(reverse("directory:map_shared", args=[actor_map.share_token])).content.decode()
    assert "Les liens, acteur par acteur" in html and "Collectif d&#x27;habitants du Petit Gibou" in html
    result = directory_search(workspace, SearchParams(q="reseau ile"))
    assert result.count >= 1
