from maillage.accounts.services import user_export_data
from maillage.diagnostics.models import ImportBatch
from maillage.diagnostics.personal_data import erase_imports, import_timeline
from maillage.diagnostics.services import observations_import


def test_export_and_erase_imports(observatory, workspace, karim, write_csv):
    batch = observations_import(
        actor=karim, workspace=workspace, path=write_csv("codgeo;an;population\n17093;2021;1\n")
    )
    exported = user_export_data(user=karim)["observatoire"]["imports"]
    assert exported[0]["file"] == "donnees.csv" and exported[0]["workspace"] == workspace.name
    erase_imports(karim)
    batch.refresh_from_db()
    assert batch.created_by is None and batch.observations.count() == 1


def test_finished_imports_appear_in_the_workspace_timeline(observatory, workspace, karim, write_csv):
    observations_import(
        actor=karim, workspace=workspace, path=write_csv("codgeo;an;population\n17093;2021;1\n")
    )
    observations_import(
        actor=karim, workspace=workspace, path=write_csv("codgeo;an;population\n99999;2021;1\n")
    )
    items = import_timeline(workspace, karim)
    assert [item.title for item in items] == ["Données importées dans l'observatoire : donnees.csv"]
    assert ImportBatch.objects.count() == 2


def test_service_checks_rights(observatory, workspace, josiane, write_csv):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        observations_import(
            actor=josiane, workspace=workspace, path=write_csv("codgeo;an;population\n17093;2021;1\n")
        )
    with pytest.raises(PermissionDenied):
        observations_import(
            actor=josiane, workspace=None, path=write_csv("codgeo;an;population\n17093;2021;1\n")
        )
