"""Web import of structures from CSV/XLSX: preview with per-row errors, all or nothing, keep-valid, re-import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from maillage.directory.models import Structure
from maillage.directory.tests.conftest import VALID_SIRET

pytestmark = pytest.mark.usefixtures("glossary")

CSV = (
    "Nom;SIRET;Adresse;Code postal;Code INSEE;Téléphone;Courriel;Colonne inconnue\n"
    f"Épicerie solidaire;{VALID_SIRET};2 rue du Port;17310;17385;05 46 00 00 01;epicerie@example.org;x\n"
    "Jardin partagé;12345678901234;;17310;17385;;;\n"
    "Atelier vélo;;Rue des Écoles;ABCDE;17140;;pas-un-courriel;\n"
)


def upload(client, workspace, content: bytes, name: str = "structures.csv"):
    return client.post(
        reverse("directory:import_upload", args=[workspace.slug]),
        {"file": SimpleUploadedFile(name, content), "source": "tableur"},
    )


def confirm(client, workspace, response, keep_valid=False):
    token = response.context["token"]
    data = {"token": token} | ({"keep_valid": "1"} if keep_valid else {})
    return client.post(reverse("directory:import_confirm", args=[workspace.slug]), data)


def test_preview_then_all_or_nothing_then_keep_valid(client, workspace, typologies, referential, karim):
    client.force_login(karim)
    preview = upload(client, workspace, CSV.encode("utf-8"))
    html = preview.content.decode()
    assert preview.status_code == 200 and "1 lignes valides sur 3" in html
    assert "2 lignes à corriger" in html and "clé de contrôle" in html and "code_postal" in html
    assert "Colonne inconnue → ignorée" in html.replace("\n", " ") or "ignorée" in html
    assert Structure.objects.count() == 0
    refused = confirm(client, workspace, preview)
    assert refused.status_code == 400 and "Rien n'a été enregistré" in refused.content.decode()
    assert Structure.objects.count() == 0
    kept = confirm(client, workspace, preview, keep_valid=True)
    assert kept.status_code == 200 and Structure.objects.count() == 1
    structure = Structure.objects.get()
    assert structure.name == "Épicerie solidaire" and structure.commune.code == "17385"
    assert {c.value for c in structure.contacts.all()} == {"05 46 00 00 01", "epicerie@example.org"}
    # Re-importing the same sheet updates instead of duplicating.
    again = upload(client, workspace, CSV.encode("utf-8"))
    confirm(client, workspace, again, keep_valid=True)
    assert Structure.objects.count() == 1
    # The token is single-use once written.
    assert confirm(client, workspace, again).status_code == 400


def test_xlsx_and_bad_files(client, workspace, typologies, referential, karim, josiane):
    book = Workbook()
    sheet = book.active
    sheet.append(["nom", "code_insee", "latitude", "longitude"])
    sheet.append(["Maison de village", "17093", 45.89, -1.2])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(karim)
    preview = upload(client, workspace, buffer.getvalue(), "lieux.xlsx")
    assert "1 lignes valides sur 1" in preview.content.decode()
    confirm(client, workspace, preview)
    assert Structure.objects.get().latitude == 45.89
    bad = upload(client, workspace, b"commune;adresse\nDolus;rue\n")
    assert bad.status_code == 400 and "colonne « nom »" in bad.content.decode()
    assert upload(client, workspace, b"MZ", "virus.exe").status_code == 400
    client.force_login(josiane)
    assert client.get(reverse("directory:import_upload", args=[workspace.slug])).status_code == 404
