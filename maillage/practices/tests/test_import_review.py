"""Upload (txt, DOCX, PDF written in these tests), field-by-field review with passages, draft creation; nothing
published before review; rights; bad files."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.core.models import AuditEvent
from maillage.practices import samples as recueil
from maillage.practices import services_import as imports
from maillage.practices.documents import read_bytes
from maillage.practices.models import ImportBatch, Practice

pytestmark = pytest.mark.django_db

TITLES = [
    "La cuisine mobile du plateau de Millevaches",
    "Parents en scène à Roubaix",
    "Un budget décidé par les jeunes à Saint-Denis",
]


def _upload(kind: str) -> SimpleUploadedFile:
    data = {"docx": recueil.as_docx, "pdf": recueil.as_pdf}.get(kind, lambda: recueil.as_text().encode())()
    return SimpleUploadedFile(f"recueil-2023.{kind}", data)


@pytest.mark.parametrize("kind", ["docx", "pdf", "md"])
def test_three_practices_in_unusual_wording_from_each_format(
    kind, referentials, territories, karim, workspace
):
    batch = imports.import_batch_create(actor=karim, workspace=workspace, upload=_upload(kind))
    practices = batch.result["practices"]
    assert [p["title"]["value"] for p in practices] == TITLES
    first = practices[0]["fields"]
    # "Pourquoi on s'est lancés", "Ce qu'on a fait, concrètement", "Ce qu'on en retient", "Pour joindre l'équipe"
    assert first["context"]["value"].startswith("Les commerces ont fermé")
    assert "1 200 repas" in first["actions"]["value"].replace("\n", " ")
    assert first["evaluation"]["value"].startswith("Trois villages")
    assert "lucie.ferrand@example.org" in first["contact"]["value"]  # kept for "contacter le porteur"
    assert "Ferrand" not in first["porteurs"]["value"]  # masked everywhere else
    # every field proposal carries its passage, and the passage says what it was read from
    passage = first["context"]["passage"]
    assert passage["start"] <= passage["end"] and "commerces ont fermé" in passage["excerpt"]
    places = {t["value"]["name"] for p in practices for t in p["territories"]}
    assert {"Creuse", "Saint-Denis"} <= places  # (Roubaix is not in the test referential)
    assert any(m["value"] == "theatre-forum" for m in practices[1]["methods"])
    assert Practice.objects.count() == 0  # nothing is written before the review


def test_pdf_text_page_by_page_and_titles_by_font_size():
    text = read_bytes(recueil.as_pdf(), "pdf")
    assert "# Un budget décidé par les jeunes à Saint-Denis" in text  # title wrapped over two lines, joined
    assert "## Ce qu'on en retient" in text


def test_review_then_draft_with_corrections(referentials, territories, karim, workspace):
    batch = imports.import_batch_create(actor=karim, workspace=workspace, upload=_upload("docx"))
    with pytest.raises(ValidationError):  # every field must be decided first
        imports.import_practice_create(actor=karim, batch=batch, index=1)
    imports.import_field_decide(
        actor=karim, batch=batch, index=1, name="title", state="corrected", value="Parents en scène"
    )
    imports.import_field_decide(actor=karim, batch=batch, index=1, name="evaluation", state="rejected")
    imports.import_field_decide(
        actor=karim, batch=batch, index=1, name="scale", state="corrected", value="intercommunal"
    )
    with pytest.raises(ValidationError):
        imports.import_field_decide(
            actor=karim, batch=batch, index=1, name="scale", state="corrected", value="x"
        )
    with pytest.raises(ValidationError):
        imports.import_field_decide(actor=karim, batch=batch, index=1, name="title", state="rejected")
    assert imports.import_accept_remaining(actor=karim, batch=batch, index=1) >= 4
    figures = batch.result["practices"][1]["figures"]
    imports.import_items_keep(actor=karim, batch=batch, index=1, kept={"figures:0", "territories:0"})
    practice = imports.import_practice_create(actor=karim, batch=batch, index=1)
    assert practice.status == Practice.Status.DRAFT and practice.workspace == workspace
    assert practice.title == "Parents en scène" and practice.evaluation == ""
    assert practice.scale == "intercommunal"
    assert practice.figures.count() == 1 and len(figures) > 1
    assert "Delorme" not in practice.porteurs and "03 20" in practice.contact
    assert practice.import_report["review"]["fields"]["evaluation"] == {"state": "rejected"}
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING  # two practices left: the review can be resumed
    imports.import_practice_skip(actor=karim, batch=batch, index=0)
    imports.import_accept_remaining(actor=karim, batch=batch, index=2)
    imports.import_practice_create(actor=karim, batch=batch, index=2)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    with pytest.raises(ValidationError):
        imports.import_practice_create(actor=karim, batch=batch, index=2)
    assert AuditEvent.objects.filter(action="practice.import").count() == 2


def test_rights_and_bad_files(referentials, karim, paul, outsider, workspace):
    with pytest.raises(PermissionDenied):
        imports.import_batch_create(actor=paul, workspace=workspace, upload=_upload("md"))
    with pytest.raises(PermissionDenied):
        imports.import_batch_create(actor=outsider, workspace=workspace, upload=_upload("md"))
    with pytest.raises(ValidationError, match="type de fichier"):
        imports.import_batch_create(
            actor=karim, workspace=workspace, upload=SimpleUploadedFile("x.exe", b"MZ")
        )
    with pytest.raises(ValidationError, match="PDF valide"):
        imports.import_batch_create(
            actor=karim, workspace=workspace, upload=SimpleUploadedFile("x.pdf", b"not a pdf")
        )
    with pytest.raises(ValidationError, match="Word"):
        imports.import_batch_create(
            actor=karim, workspace=workspace, upload=SimpleUploadedFile("x.docx", b"PK\x03\x04broken")
        )
    batch = imports.import_batch_create(actor=karim, workspace=workspace, upload=_upload("md"))
    with pytest.raises(PermissionDenied):
        imports.import_field_decide(actor=paul, batch=batch, index=0, name="title", state="accepted")


def test_upload_and_review_pages(client, referentials, territories, karim, paul, workspace):
    url = reverse("practices:import_upload", args=[workspace.slug])
    client.force_login(paul)
    assert client.get(url).status_code == 404
    client.force_login(karim)
    bad = client.post(url, {"document": SimpleUploadedFile("x.pdf", b"nope")})
    assert bad.status_code == 400 and "PDF valide" in bad.content.decode()
    response = client.post(url, {"document": _upload("pdf")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    html = client.get(batch.get_absolute_url()).content.decode()
    assert "3 pratiques reconnues" in html
    review_url = reverse("practices:import_review", args=[workspace.slug, batch.pk, 0])
    html = client.get(review_url).content.decode()
    assert "Passage d'origine" in html and "Les commerces ont fermé" in html
    assert "lucie.ferrand" not in html and "Ferrand" not in html  # the contact is never shown
    decide = reverse("practices:import_decide", args=[workspace.slug, batch.pk, 0, "context"])
    partial = client.post(decide, {"state": "corrected", "value": "Texte revu."}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "Texte revu." in body and "<html" not in body
    assert 'id="review-progress" hx-swap-oob="true"' in body
    empty = client.post(decide, {"state": "corrected", "value": ""}, HTTP_HX_REQUEST="true")
    assert 'role="alert"' in empty.content.decode() and "Écrivez le texte corrigé" in empty.content.decode()
    assert '<textarea id="value-context"' in empty.content.decode()  # the row stays in edit mode
    edit = client.get(reverse("practices:import_correct", args=[workspace.slug, batch.pk, 0, "context"]))
    assert "<textarea" in edit.content.decode()
    client.post(reverse("practices:import_accept_rest", args=[workspace.slug, batch.pk, 0]))
    created = client.post(reverse("practices:import_create", args=[workspace.slug, batch.pk, 0]))
    practice = Practice.objects.get()
    assert created["Location"] == reverse("practices:workflow", args=[practice.slug])
    assert practice.context == "Texte revu." and practice.status == Practice.Status.DRAFT
    assert client.get(reverse("practices:workspace", args=[workspace.slug])).status_code == 200
