"""The demo diagnostic loads once, through the services, and renders."""

from maillage.accounts.services import user_create
from maillage.diagnostics.demo import load_demo
from maillage.diagnostics.models import Diagnostic, Item
from maillage.diagnostics.tests.conftest import territory
from maillage.workspaces.models import Role, Workspace


def test_demo_diagnostic(observatory, client):
    workspace = Workspace.objects.create(
        name="Île", slug="ile-d-oleron", visibility="public", territory=territory("epci", "241700624")
    )
    for key, role in (
        ("animateur", Role.ANIMATEUR),
        ("habitante", Role.HABITANT),
        ("elu", Role.ELU),
        ("partenaire", Role.PARTENAIRE),
    ):
        user = user_create(
            email=f"{key}@demo.maillage.fr",
            display_name=key.title(),
            password="x" * 12,
            accepted_privacy_notice=True,
        )
        workspace.memberships.create(user=user, role=role)
    assert load_demo(workspace) is True
    assert load_demo(workspace) is False
    diagnostic = Diagnostic.objects.get()
    assert diagnostic.versions.count() == 1 and diagnostic.version_number == 2
    assert diagnostic.items.filter(status=Item.Status.PENDING).count() == 1
    assert diagnostic.items.filter(section="donnees").count() == 4
    response = client.get(f"/observatoire/espaces/ile-d-oleron/diagnostics/{diagnostic.pk}/document/")
    assert response.status_code == 200 and "navette solidaire" in response.content.decode()
