"""Writes: importing into a workspace, rights, workflow, reindexing, personal data."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.accounts.services import user_export_data
from maillage.core.models import AuditEvent
from maillage.practices import services
from maillage.practices.importer import parse_document
from maillage.practices.models import Practice, TermStat
from maillage.practices.tests.conftest import PRIVATE_TEXT

pytestmark = pytest.mark.django_db


def detected():
    return parse_document(PRIVATE_TEXT).practices[0]


def test_contributors_import_into_their_workspace(referentials, workspace, josiane):
    practice = services.practice_create_from_import(detected=detected(), actor=josiane, workspace=workspace)
    assert practice.workspace == workspace and practice.status == Practice.Status.DRAFT
    assert practice.created_by == josiane and practice.slug == "atelier-velo-solidaire-des-tilleuls"
    assert practice.figures.get().unit == "vélos"
    assert AuditEvent.objects.filter(action="practice.import", workspace=workspace).exists()
    again = services.practice_create_from_import(detected=detected(), actor=josiane, workspace=workspace)
    assert again.slug == "atelier-velo-solidaire-des-tilleuls-2"


@pytest.mark.parametrize("persona", ["paul", "outsider"])
def test_readers_and_outsiders_cannot_import(referentials, workspace, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.practice_create_from_import(detected=detected(), actor=user, workspace=workspace)


def test_only_commands_and_superusers_write_reference_content(referentials, karim):
    with pytest.raises(PermissionDenied):
        services.practice_create_from_import(detected=detected(), actor=karim, workspace=None)


def test_workflow(workspace_practice, karim, josiane, paul):
    services.practice_set_status(actor=josiane, practice=workspace_practice, status=Practice.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):  # the expertise is for reviewers (animateurs, administrateurs)
        services.practice_set_status(
            actor=josiane, practice=workspace_practice, status=Practice.Status.IN_REVIEW
        )
    services.practice_set_status(actor=karim, practice=workspace_practice, status=Practice.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):  # publishing is for animateurs
        services.practice_set_status(
            actor=josiane, practice=workspace_practice, status=Practice.Status.PUBLISHED
        )
    with pytest.raises(PermissionDenied):
        services.practice_set_status(actor=paul, practice=workspace_practice, status=Practice.Status.DRAFT)
    services.practice_set_status(
        actor=karim,
        practice=workspace_practice,
        status=Practice.Status.PUBLISHED,
        scope=Practice.Scope.NETWORK,
    )
    workspace_practice.refresh_from_db()
    assert workspace_practice.published_at and workspace_practice.scope == Practice.Scope.NETWORK
    with pytest.raises(ValidationError):
        services.practice_set_status(
            actor=karim, practice=workspace_practice, status=Practice.Status.SUBMITTED
        )
    assert AuditEvent.objects.filter(action="practice.status").count() == 3


def test_reindex_rebuilds_document_frequencies(seed_practices):
    before = dict(TermStat.objects.values_list("term", "df"))
    assert services.practices_reindex() == 12
    assert dict(TermStat.objects.values_list("term", "df")) == before
    assert TermStat.objects.get(term="habit").df >= 8  # "habitants" is in most practices


def test_personal_data_export_and_erase(workspace_practice, karim):
    data = user_export_data(user=karim)
    assert data["practices"]["practices_created"][0]["title"] == "Atelier vélo solidaire des Tilleuls"
    from maillage.practices.personal_data import erase_practices

    erase_practices(karim)
    workspace_practice.refresh_from_db()
    assert workspace_practice.created_by is None
