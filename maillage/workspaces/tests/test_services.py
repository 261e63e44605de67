import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maillage.core.models import AuditEvent
from maillage.workspaces.models import Membership, Role
from maillage.workspaces.services import (
    invitation_accept,
    invitation_create,
    membership_remove,
    membership_set_role,
)


def test_role_change_is_audited(workspace, alice, josiane):
    membership_set_role(actor=alice, workspace=workspace, user=josiane, role=Role.ELU)
    assert Membership.objects.get(workspace=workspace, user=josiane).role == Role.ELU
    event = AuditEvent.objects.get(action="membership.role_change")
    assert event.details == {"user_id": josiane.pk, "from": "habitant", "to": "elu"}
    assert event.workspace == workspace


def test_animateur_cannot_change_roles(workspace, karim, josiane):
    with pytest.raises(PermissionDenied):
        membership_set_role(actor=karim, workspace=workspace, user=josiane, role=Role.ADMINISTRATEUR)


def test_last_administrator_cannot_be_demoted_or_removed(workspace, alice):
    with pytest.raises(ValidationError):
        membership_set_role(actor=alice, workspace=workspace, user=alice, role=Role.HABITANT)
    with pytest.raises(ValidationError):
        membership_remove(actor=alice, workspace=workspace, user=alice)


def test_invitation_by_animateur_sends_a_link_and_creates_the_account(workspace, karim):
    invitation = invitation_create(
        actor=karim,
        workspace=workspace,
        email="Nadia@Example.org",
        role=Role.HABITANT,
        base_url="http://testserver",
    )
    assert len(mail.outbox) == 1
    assert invitation.get_absolute_url() in mail.outbox[0].body
    user = invitation_accept(
        invitation=invitation,
        display_name="Nadia",
        password="jardin-partage-2026",
        accepted_privacy_notice=True,
    )
    assert user.email == "nadia@example.org"
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.HABITANT
    assert user.consents.get().purpose == "privacy_notice"
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=user)


def test_animateur_cannot_invite_an_administrator(workspace, karim):
    with pytest.raises(PermissionDenied):
        invitation_create(actor=karim, workspace=workspace, email="x@example.org", role=Role.ADMINISTRATEUR)


def test_expired_invitation_is_refused(workspace, alice):
    invitation = invitation_create(
        actor=alice, workspace=workspace, email="late@example.org", role=Role.LECTEUR
    )
    invitation.expires_at = timezone.now()
    invitation.save(update_fields=["expires_at"])
    with pytest.raises(ValidationError):
        invitation_accept(
            invitation=invitation,
            display_name="L",
            password="jardin-partage-2026",
            accepted_privacy_notice=True,
        )


def test_outsider_cannot_invite(workspace, outsider):
    with pytest.raises(PermissionDenied):
        invitation_create(actor=outsider, workspace=workspace, email="x@example.org", role=Role.HABITANT)


def test_workspace_slug_never_shadows_a_module_page(db):
    from maillage.workspaces.services import reserved_slugs, workspace_create

    assert {"notifications", "rejoindre", "attestations"} <= reserved_slugs()
    workspace = workspace_create(name="Notifications", creator=None)
    assert workspace.slug == "notifications-2"
