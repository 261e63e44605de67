"""Shared fixtures: named personas in a workspace (Healthchecks-style readable tests)."""

import pytest

from maillage.accounts.services import user_create
from maillage.workspaces.models import Membership, Role, Workspace
from maillage.workspaces.services import workspace_create

PASSWORD = "un-mot-de-passe-solide-42"


def make_user(email: str, name: str):
    return user_create(email=email, display_name=name, password=PASSWORD, accepted_privacy_notice=True)


@pytest.fixture
def alice(db):
    """Administratrice of the workspace."""
    return make_user("alice@example.org", "Alice")


@pytest.fixture
def workspace(alice):
    return workspace_create(
        name="Quartier des Tilleuls", creator=alice, visibility=Workspace.Visibility.MEMBERS
    )


def _member(workspace, email, name, role):
    user = make_user(email, name)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


@pytest.fixture
def karim(workspace):
    """Animateur (social worker facilitating)."""
    return _member(workspace, "karim@example.org", "Karim", Role.ANIMATEUR)


@pytest.fixture
def josiane(workspace):
    """Habitante."""
    return _member(workspace, "josiane@example.org", "Josiane", Role.HABITANT)


@pytest.fixture
def marc(workspace):
    """Élu."""
    return _member(workspace, "marc@example.org", "Marc", Role.ELU)


@pytest.fixture
def sophie(workspace):
    """Partenaire (CAF)."""
    return _member(workspace, "sophie@example.org", "Sophie", Role.PARTENAIRE)


@pytest.fixture
def paul(workspace):
    """Lecteur."""
    return _member(workspace, "paul@example.org", "Paul", Role.LECTEUR)


@pytest.fixture
def outsider(db):
    """Logged-in person with no role in the workspace."""
    return make_user("oscar@example.org", "Oscar")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with an empty cache and no per-process search state left by another test."""
    from django.core.cache import cache

    from maillage.glossary import selectors as glossary_selectors

    cache.clear()
    glossary_selectors._matcher_cache["version"] = object()
    yield
    cache.clear()
