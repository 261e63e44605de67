"""The import pages: who may use them, the preview with its errors, the import and its report."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from maillage.diagnostics.models import ImportBatch, Observation
from maillage.workspaces.models import Membership, Role, Workspace

CLEAN = "codgeo;libgeo;an;population\n17093;Le Château-d'Oléron;2021;4366\n17140;Dolus-d'Oléron;2021;3199\n"
WITH_ERRORS = (
    "codgeo;libgeo;an;population;mystere\n17093;Le Château;2021;4366;1\n99999;Nulle part;2021;beaucoup;2\n"
)


def start_url(workspace):
    return reverse("diagnostics:import_start", kwargs={"slug": workspace.slug})


def upload(client, workspace, text=CLEAN, name="population.csv", **extra):
    data = {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv"), "level": "auto"}
    return client.post(start_url(workspace), {**data, **extra})


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 200),
        ("karim", 200),
        ("josiane", 404),
        ("marc", 404),
        ("sophie", 404),
        ("paul", 404),
        ("outsider", 404),
    ],
)
def test_import_page_access(client, observatory, workspace, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(start_url(workspace)).status_code == status
    response = upload(client, workspace)
    assert response.status_code == (302 if status == 200 else 404)
    assert ImportBatch.objects.exists() == (status == 200)


def test_anonymous_is_sent_to_login(client, observatory, workspace):
    response = client.get(start_url(workspace))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    assert upload(client, workspace).status_code == 302
    assert not ImportBatch.objects.exists()


def test_platform_import_is_for_staff_only(client, observatory, karim):
    url = reverse("diagnostics:import_start_platform")
    client.force_login(karim)
    assert client.get(url).status_code == 404
    staff = make_user("staff@example.org", "Équipe")
    get_user_model().objects.filter(pk=staff.pk).update(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_batch_pages_are_404_for_others(client, observatory, workspace, karim, paul, outsider):
    client.force_login(karim)
    batch_url = upload(client, workspace)["Location"]
    other = Workspace.objects.create(name="Ailleurs", slug="ailleurs")
    animator_elsewhere = make_user("ailleurs@example.org", "Ailleurs")
    Membership.objects.create(workspace=other, user=animator_elsewhere, role=Role.ANIMATEUR)
    for user in (paul, outsider, animator_elsewhere):
        client.force_login(user)
        assert client.get(batch_url).status_code == 404
        assert client.post(batch_url, {"action": "import"}).status_code == 404
    client.logout()
    assert client.get(batch_url).status_code == 302


def test_preview_then_import_with_errors_writes_nothing(client, observatory, workspace, karim):
    client.force_login(karim)
    response = upload(client, workspace, WITH_ERRORS)
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    html = client.get(batch.get_absolute_url()).content.decode()
    assert "Rien n'est encore importé" in html
    assert "point-virgule" in html and "UTF-8" in html
    assert "colonne « mystere » inconnue" in html
    assert "code géographique « 99999 » inconnu" in html
    assert "« beaucoup » illisible" in html
    assert 'class="row--error"' in html
    response = client.post(batch.get_absolute_url(), {"action": "import", "col_3": "population", "col_4": ""})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert Observation.objects.count() == 0
    html = client.get(batch.get_absolute_url()).content.decode()
    assert "Import refusé : rien n'a été écrit." in html
    assert "99999" in html
    errors = client.get(reverse("diagnostics:import_errors", kwargs={"pk": batch.pk}))
    assert errors["Content-Type"].startswith("text/csv")
    assert "inconnu" in errors.content.decode("utf-8-sig")
    # A finished import cannot be run again.
    client.post(batch.get_absolute_url(), {"action": "import"})
    assert Observation.objects.count() == 0


def test_mapping_and_keep_valid_in_the_preview(client, observatory, workspace, alice):
    client.force_login(alice)
    upload(client, workspace, WITH_ERRORS)
    batch = ImportBatch.objects.get()
    # Refresh the preview with the unknown column ignored: its error disappears, nothing is imported.
    response = client.post(
        batch.get_absolute_url(), {"action": "preview", "col_3": "population", "col_4": "ignore"}
    )
    assert response.status_code == 200
    assert "colonne « mystere » inconnue" not in response.content.decode()
    assert Observation.objects.count() == 0
    batch.refresh_from_db()
    assert batch.mapping == {"population": "population", "mystere": "ignore"}
    client.post(
        batch.get_absolute_url(),
        {"action": "import", "col_3": "population", "col_4": "ignore", "keep_valid": "on"},
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PARTIAL
    assert list(Observation.objects.filter(is_computed=False).values_list("territory__code", flat=True)) == [
        "17093"
    ]
    html = client.get(batch.get_absolute_url()).content.decode()
    assert "Import terminé en partie" in html


def test_clean_import_from_the_web(client, observatory, workspace, karim):
    client.force_login(karim)
    upload(client, workspace, CLEAN, source_note="INSEE, RP 2021")
    batch = ImportBatch.objects.get()
    assert batch.workspace == workspace and batch.created_by == karim
    client.post(batch.get_absolute_url(), {"action": "import", "col_3": "population"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.observations_written == 2
    html = client.get(batch.get_absolute_url()).content.decode()
    assert "Import terminé : 2 valeurs enregistrées." in html
    html = client.get(start_url(workspace)).content.decode()
    assert "population.csv" in html  # in the list of previous imports


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("donnees.xlsx", b"PK\x03\x04...", "Ce type de fichier n&#x27;est pas accepté"),
        ("donnees.csv", b"PK\x03\x04 not really a csv", "pas un CSV"),
        ("donnees.csv", b"", "Le fichier soumis est vide"),
        ("donnees.csv", b"une seule colonne\nsans separateur\n", "Séparateur de colonnes non reconnu"),
    ],
)
def test_bad_uploads_are_explained(client, observatory, workspace, karim, name, content, message):
    client.force_login(karim)
    response = client.post(
        start_url(workspace),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv"), "level": "auto"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_size_limit(client, observatory, workspace, karim, settings):
    settings.MAX_UPLOAD_BYTES = 100
    client.force_login(karim)
    response = upload(client, workspace, CLEAN * 5)
    assert response.status_code == 400
    assert "Le fichier est trop gros" in response.content.decode()


def test_index_links_to_the_import_page_for_animators(client, observatory, workspace, karim, josiane):
    client.force_login(karim)
    assert start_url(workspace) in client.get(reverse("diagnostics:index")).content.decode()
    client.force_login(josiane)
    assert start_url(workspace) not in client.get(reverse("diagnostics:index")).content.decode()


def test_error_list_never_carries_spreadsheet_formulas(client, observatory, workspace, karim):
    client.force_login(karim)
    upload(client, workspace, "codgeo;an;population;=HYPERLINK(1)\n17093;2021;1;2\n")
    batch = ImportBatch.objects.get()
    client.post(batch.get_absolute_url(), {"action": "import", "col_2": "population", "col_3": ""})
    content = client.get(reverse("diagnostics:import_errors", kwargs={"pk": batch.pk})).content.decode(
        "utf-8-sig"
    )
    assert "\n1;'=HYPERLINK(1);" in content.replace("\r\n", "\n")


def test_options_cannot_change_once_launched(observatory, workspace, karim):
    from django.core.exceptions import ValidationError

    from maillage.diagnostics.services import import_batch_set_options

    batch = ImportBatch.objects.create(
        workspace=workspace, original_name="x.csv", status=ImportBatch.Status.DONE
    )
    with pytest.raises(ValidationError, match="déjà été lancé"):
        import_batch_set_options(
            actor=karim, batch=batch, mapping={}, keep_valid=True, replace_existing=False, status="pending"
        )
