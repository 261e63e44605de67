from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from maillage.workspaces.models import Invitation, Workspace


def test_members_only_workspace_is_404_for_anonymous_and_outsiders(client, workspace, outsider):
    url = workspace.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("workspaces:members", args=[workspace.slug])).status_code == 404


def test_home_shows_members_by_role_and_timeline(client, workspace, josiane, karim):
    from maillage.workspaces.services import milestone_add

    milestone_add(
        actor=karim,
        workspace=workspace,
        title="Atelier de l'Avenir",
        when=timezone.localdate() + timedelta(days=10),
    )
    milestone_add(
        actor=karim, workspace=workspace, title="Lancement", when=timezone.localdate() - timedelta(days=3)
    )
    client.force_login(josiane)
    html = client.get(workspace.get_absolute_url()).content.decode()
    assert "Habitant ou habitante : 1" in html
    assert "Animateur ou animatrice (professionnel) : 1" in html
    assert html.index("Ce qui vient") < html.index("Atelier de l&#x27;Avenir")
    assert "Lancement" in html


def test_lecteur_cannot_add_milestones(client, workspace, paul):
    client.force_login(paul)
    response = client.post(
        reverse("workspaces:milestone_add", args=[workspace.slug]), {"title": "X", "date": "2027-01-01"}
    )
    assert response.status_code == 404


def test_workspace_list_hides_private_ones(client, workspace, alice):
    from maillage.workspaces.services import workspace_create

    workspace_create(name="Secret", creator=alice, visibility=Workspace.Visibility.PRIVATE)
    html = client.get(reverse("workspaces:list")).content.decode()
    assert "Quartier des Tilleuls" in html and "Secret" not in html
    client.force_login(alice)
    assert "Secret" in client.get(reverse("workspaces:list")).content.decode()


def test_workspace_list_query_count_is_fixed(client, alice, django_assert_max_num_queries):
    from maillage.workspaces.services import workspace_create

    for n in range(15):
        workspace_create(name=f"Espace {n}", creator=alice, visibility=Workspace.Visibility.PUBLIC)
    with django_assert_max_num_queries(3):
        client.get(reverse("workspaces:list"))


def test_invitation_signup_form_reports_errors_and_keeps_input(client, workspace, alice):
    invitation = Invitation.objects.create(workspace=workspace, email="new@example.org", role="habitant")
    response = client.post(
        invitation.get_absolute_url(),
        {"display_name": "Nadia", "password": "court", "password_confirm": "autre"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le formulaire contient des erreurs" in html
    assert 'value="Nadia"' in html
    assert "politique de confidentialité" in html


def test_invitation_signup_logs_in(client, workspace):
    invitation = Invitation.objects.create(workspace=workspace, email="new@example.org", role="habitant")
    response = client.post(
        invitation.get_absolute_url(),
        {"display_name": "Nadia", "password": PASSWORD, "password_confirm": PASSWORD, "accept_privacy": "on"},
    )
    assert response.status_code == 302
    assert client.get(workspace.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona,status", [("alice", 200), ("karim", 404), ("outsider", 404)])
def test_audit_log_is_for_administrators(client, workspace, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("workspaces:audit_log", args=[workspace.slug])).status_code == status


def test_any_logged_in_person_creates_a_workspace_and_becomes_its_admin(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("workspaces:create"), {"name": "Collectif du Vieux Port", "visibility": "public"}
    )
    workspace = Workspace.objects.get(name="Collectif du Vieux Port")
    assert response.status_code == 302
    assert outsider.has_perm("workspaces.change_workspace", workspace)


def test_create_form_says_what_to_fix(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("workspaces:create"), {"name": "", "visibility": "nope"})
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in response.content.decode()


def test_settings_are_for_administrators_only(client, workspace, karim, alice):
    client.force_login(karim)
    assert client.get(reverse("workspaces:settings", args=[workspace.slug])).status_code == 404
    client.force_login(alice)
    response = client.post(
        reverse("workspaces:settings", args=[workspace.slug]),
        {"name": "Tilleuls et Peupliers", "description": "", "visibility": "private", "territory": ""},
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.name == "Tilleuls et Peupliers" and workspace.visibility == "private"


def test_publish_to_a_network_head(client, workspace, alice):
    from maillage.workspaces.services import workspace_create

    departement = workspace_create(
        name="Département — DS", creator=alice, visibility=Workspace.Visibility.PUBLIC
    )
    client.force_login(alice)
    client.post(reverse("workspaces:network", args=[workspace.slug]), {"head": departement.pk})
    assert list(departement.network_members.all()) == [workspace]
    client.post(reverse("workspaces:network", args=[workspace.slug]), {"remove": departement.pk})
    assert not departement.network_members.exists()


def test_timeline_is_cached_until_a_service_reports_a_change(
    client, workspace, josiane, karim, django_capture_on_commit_callbacks
):
    from maillage.workspaces.services import milestone_add

    client.force_login(josiane)
    client.get(workspace.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        milestone_add(
            actor=karim,
            workspace=workspace,
            title="Fête de quartier",
            when=timezone.localdate() + timedelta(days=5),
        )
    assert "Fête de quartier" in client.get(workspace.get_absolute_url()).content.decode()


def test_a_logged_in_person_joins_by_invitation(client, workspace, outsider):
    invitation = Invitation.objects.create(workspace=workspace, email=outsider.email, role="partenaire")
    client.force_login(outsider)
    assert "Rejoindre l'espace" in client.get(invitation.get_absolute_url()).content.decode()
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert outsider.has_perm("workspaces.contribute", workspace)
    assert client.get(invitation.get_absolute_url()).status_code == 410
