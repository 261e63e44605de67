"""Every role's permissions, checked against the database (not the persona stand-ins of the docs table)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from maillage.workspaces.models import Workspace
from maillage.workspaces.rules import PERMISSIONS

# role -> permissions granted on a members-only workspace
EXPECTED = {
    "alice": set(PERMISSIONS),
    "karim": {
        "workspaces.see_in_list",
        "workspaces.view_workspace",
        "workspaces.view_members",
        "workspaces.contribute",
        "workspaces.animate",
        "workspaces.manage_milestones",
        "workspaces.invite_member",
    },
    "josiane": {
        "workspaces.see_in_list",
        "workspaces.view_workspace",
        "workspaces.view_members",
        "workspaces.contribute",
    },
    "marc": {
        "workspaces.see_in_list",
        "workspaces.view_workspace",
        "workspaces.view_members",
        "workspaces.contribute",
    },
    "sophie": {
        "workspaces.see_in_list",
        "workspaces.view_workspace",
        "workspaces.view_members",
        "workspaces.contribute",
    },
    "paul": {"workspaces.see_in_list", "workspaces.view_workspace", "workspaces.view_members"},
    "outsider": {"workspaces.see_in_list"},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_role_gets_exactly_its_permissions(request, workspace, persona):
    user = request.getfixturevalue(persona)
    granted = {perm for perm in PERMISSIONS if user.has_perm(perm, workspace)}
    assert granted == EXPECTED[persona]


def test_anonymous_sees_only_public_workspaces(workspace):
    anonymous = AnonymousUser()
    assert anonymous.has_perm("workspaces.see_in_list", workspace)
    assert not anonymous.has_perm("workspaces.view_workspace", workspace)
    workspace.visibility = Workspace.Visibility.PUBLIC
    assert anonymous.has_perm("workspaces.view_workspace", workspace)
    assert not anonymous.has_perm("workspaces.view_members", workspace)
    workspace.visibility = Workspace.Visibility.PRIVATE
    assert not anonymous.has_perm("workspaces.see_in_list", workspace)


def test_private_workspace_is_invisible_to_outsiders_but_not_members(workspace, outsider, paul):
    workspace.visibility = Workspace.Visibility.PRIVATE
    workspace.save(update_fields=["visibility"])
    assert not outsider.has_perm("workspaces.see_in_list", workspace)
    assert paul.has_perm("workspaces.view_workspace", workspace)


def test_one_person_holds_different_roles_in_different_workspaces(workspace, josiane, alice):
    from maillage.workspaces.services import membership_set_role, workspace_create

    other = workspace_create(name="Commune voisine", creator=alice)
    membership_set_role(actor=alice, workspace=other, user=josiane, role="animateur")
    assert josiane.has_perm("workspaces.animate", other)
    assert not josiane.has_perm("workspaces.animate", workspace)


def test_permissions_doc_matches_the_rules():
    call_command("permissions_table", check=True)
