"""Who sees what: published public practices for everyone; a workspace's practices for its members only;
network-scoped ones also for the members of the workspaces it publishes to."""

import pytest
from django.urls import reverse

from maillage.practices.models import Practice
from maillage.practices.selectors import practice_search, practices_visible_to, similar_practices

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_sees_only_published_public(client, seed_practices, workspace_practice):
    assert practices_visible_to(None).count() == 12
    assert client.get(seed_practices.first().get_absolute_url()).status_code == 200
    assert client.get(workspace_practice.get_absolute_url()).status_code == 404
    assert workspace_practice.title not in client.get("/pratiques/").content.decode()
    for name in ("summary", "export_md", "export_json"):
        assert client.get(reverse(f"practices:{name}", args=[workspace_practice.slug])).status_code == 404


@pytest.mark.parametrize("persona", ["paul", "josiane", "karim"])
def test_members_see_their_workspace_practices_even_in_draft(
    client, persona, request, workspace_practice, seed_practices
):
    user = request.getfixturevalue(persona)
    login(client, user)
    assert workspace_practice.status == Practice.Status.DRAFT
    assert client.get(workspace_practice.get_absolute_url()).status_code == 200
    assert practice_search(user, q="vélos Tilleuls").total == 1
    assert practices_visible_to(user).count() == 13


def test_outsider_sees_what_anonymous_sees(client, outsider, workspace_practice, seed_practices):
    login(client, outsider)
    assert client.get(workspace_practice.get_absolute_url()).status_code == 404
    assert practice_search(outsider, q="vélos Tilleuls").total == 0
    assert not outsider.has_perm("practices.view", workspace_practice)


def test_network_scope_reaches_the_network_heads_members(
    client, workspace, workspace_practice, department_space, outsider
):
    workspace.publishes_to.add(department_space)
    head_member = department_space.member
    assert not head_member.has_perm("practices.view", workspace_practice)  # a draft stays in the workspace
    workspace_practice.status, workspace_practice.scope = Practice.Status.PUBLISHED, Practice.Scope.NETWORK
    workspace_practice.save()
    assert head_member.has_perm("practices.view", workspace_practice)
    assert practice_search(head_member, q="vélos Tilleuls").total == 1
    login(client, head_member)
    assert client.get(workspace_practice.get_absolute_url()).status_code == 200
    assert not outsider.has_perm("practices.view", workspace_practice)
    assert practice_search(outsider, q="vélos Tilleuls").total == 0


def test_public_scope_of_a_workspace_practice(client, workspace_practice):
    workspace_practice.status, workspace_practice.scope = Practice.Status.PUBLISHED, Practice.Scope.PUBLIC
    workspace_practice.save()
    assert client.get(workspace_practice.get_absolute_url()).status_code == 200


def test_similar_practices_never_leak_private_ones(seed_practices, workspace_practice, karim, outsider):
    # Make the private practice as close as possible to a public one.
    target = seed_practices.first()
    workspace_practice.vector = target.vector
    workspace_practice.save()
    from maillage.practices.models import PracticeTerm

    PracticeTerm.objects.filter(practice=workspace_practice).delete()
    PracticeTerm.objects.bulk_create(
        [PracticeTerm(practice=workspace_practice, term=t, weight=w) for t, w in target.vector.items()]
    )
    assert workspace_practice not in similar_practices(target, outsider)
    assert workspace_practice in similar_practices(target, karim)


def test_unknown_practice_is_404(client, db):
    assert client.get("/pratiques/nexiste-pas/").status_code == 404
