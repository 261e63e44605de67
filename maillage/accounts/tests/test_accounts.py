import json

import pytest
from django.urls import reverse

from conftest import PASSWORD
from maillage.accounts.models import User
from maillage.core.models import AuditEvent
from maillage.workspaces.models import Membership


def test_login_with_email_and_password(client, josiane):
    response = client.post(
        reverse("accounts:login"), {"username": "JOSIANE@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:my_data")).status_code == 200


def test_wrong_password_says_what_to_check(client, josiane):
    response = client.post(reverse("accounts:login"), {"username": "josiane@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "ne correspond pas" in response.content.decode()


def test_lockout_after_repeated_failures(client, josiane):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "josiane@example.org", "password": "nope"})
    response = client.post(
        reverse("accounts:login"), {"username": "josiane@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "bloqué" in response.content.decode()


def test_password_reset_sends_a_working_link(client, josiane, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": "josiane@example.org"})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/mot-de-passe/nouveau/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "nouveau-mot-de-passe-77", "new_password2": "nouveau-mot-de-passe-77"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:login"), {"username": "josiane@example.org", "password": "nouveau-mot-de-passe-77"}
    )
    assert response.status_code == 302


def test_my_data_export_contains_everything_and_is_audited(client, workspace, josiane):
    client.force_login(josiane)
    response = client.post(reverse("accounts:my_data_export"))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert data["account"]["email"] == "josiane@example.org"
    assert data["account"]["consents"][0]["purpose"] == "privacy_notice"
    assert data["workspaces"]["memberships"] == [
        {
            "workspace": "Quartier des Tilleuls",
            "role": "habitant",
            "since": data["workspaces"]["memberships"][0]["since"],
        }
    ]
    assert AuditEvent.objects.filter(action="personal_data.export", actor=josiane).exists()


def test_export_requires_post_and_login(client):
    assert client.get(reverse("accounts:my_data_export")).status_code == 302  # to login
    assert client.post(reverse("accounts:my_data_export")).status_code == 302


def test_delete_account_needs_password_and_anonymises(client, workspace, josiane):
    client.force_login(josiane)
    response = client.post(reverse("accounts:my_data_delete"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "pas le bon" in response.content.decode()
    response = client.post(reverse("accounts:my_data_delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    user = User.objects.get(pk=josiane.pk)
    assert user.display_name == "Compte supprimé"
    assert "josiane" not in user.email
    assert not user.is_active and not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert not user.consents.exists()
    assert not AuditEvent.objects.filter(actor_label="Josiane").exists()
    assert client.get(reverse("accounts:my_data")).status_code == 302


@pytest.mark.parametrize("password", ["court", "1234567890123", "motdepasse"])
def test_weak_passwords_are_refused_in_signup(client, workspace, password):
    from maillage.workspaces.models import Invitation

    invitation = Invitation.objects.create(workspace=workspace, email="n@example.org", role="habitant")
    response = client.post(
        invitation.get_absolute_url(),
        {"display_name": "N", "password": password, "password_confirm": password, "accept_privacy": "on"},
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="n@example.org").exists()
