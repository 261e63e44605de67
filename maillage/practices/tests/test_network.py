"""PDF sheet, Atom feed, comparison, FALC card; contacting a porteur; working groups across workspaces;
porteurs looked up in the directory."""

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.core.text import fold
from maillage.practices import services_network as network
from maillage.practices.falc import falc_summary, first_sentence
from maillage.practices.models import ContactRequest, Practice
from maillage.practices.porteurs import suggest_structures
from maillage.practices.tests.conftest import SEED_CONTACT_NAMES
from maillage.territories.tests.conftest import FIXTURE_PATH

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_sheet_in_the_annex_order_without_contacts(client, seed_practices):
    practice = seed_practices.get(title__startswith="L’ambition de mieux vivre")
    response = client.get(reverse("practices:export_pdf", args=[practice.slug]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(response.content).split())
    order = ["Repères", "Le contexte", "Le projet", "Participation citoyenne", "Les actions réalisées"]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)
    assert not [n for n in SEED_CONTACT_NAMES if n in text]


def test_atom_feed_lists_only_public_publications(client, seed_practices, workspace_practice):
    response = client.get(reverse("practices:feed"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert body.count("<entry>") == 12 and "Atelier vélo solidaire" not in body


def test_compare_two_practices_and_pick_the_second(client, seed_practices, workspace_practice):
    a, b = seed_practices.order_by("pk")[:2]
    html = client.get(reverse("practices:compare"), {"a": a.slug, "b": b.slug}).content.decode()
    assert a.title in html and b.title in html and "Le contexte" in html and "Échelle" in html
    pick = client.get(
        reverse("practices:compare"), {"a": a.slug, "q": "conférences familiales"}
    ).content.decode()
    assert "Comparer avec « Expérimentation des conférences familiales" in pick
    # a practice one may not see cannot be compared
    private = client.get(reverse("practices:compare"), {"a": a.slug, "b": workspace_practice.slug})
    assert private.status_code == 404


def test_falc_card(client, seed_practices):
    assert first_sentence("Un. Deux trois.") == "Un."
    long = first_sentence(" ".join(["mot"] * 40))
    assert long.endswith("…") and len(long.split()) <= 20
    practice = seed_practices.get(title__startswith="Expérimentation des conférences familiales")
    pairs = dict(falc_summary(practice))
    assert "C'est quoi ?" in pairs and all(len(a.split()) <= 21 for a in pairs.values())
    html = client.get(reverse("practices:summary", args=[practice.slug])).content.decode()
    assert "C&#x27;est quoi ?" in html or "C'est quoi ?" in html


@pytest.fixture
def reachable(workspace_practice, karim):
    workspace_practice.contact = "Centre social des Tilleuls, porteur@example.org, 05 00 00 00 00"
    workspace_practice.save()
    return workspace_practice


def test_contact_porteur_sends_without_showing_the_address(client, reachable, josiane, outsider):
    url = reverse("practices:contact", args=[reachable.slug])
    assert client.get(url).status_code == 302  # anonymous: log in first
    client.force_login(outsider)
    assert client.get(url).status_code == 404  # cannot see the practice
    client.force_login(josiane)
    detail = client.get(reachable.get_absolute_url()).content.decode()
    assert "porteur@example.org" not in detail and "Contacter le porteur" in detail
    page = client.get(url).content.decode()
    assert "porteur@example.org" not in page
    short = client.post(url, {"message": "Bonjour"})
    assert short.status_code == 400 and not mail.outbox
    client.post(url, {"message": "Bonjour, nous aimerions lancer un atelier vélo à Aurillac."})
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["porteur@example.org"] and sent.reply_to == ["josiane@example.org"]
    assert "atelier vélo à Aurillac" in sent.body
    log = ContactRequest.objects.get()
    assert log.delivered and log.sender == josiane
    again = client.post(url, {"message": "Bonjour, une autre question sur votre atelier vélo."})
    assert again.status_code == 400 and "déjà écrit" in again.content.decode() and len(mail.outbox) == 1


def test_contact_rate_limit_across_practices(reachable, josiane, karim):
    others = []
    for n in range(network.CONTACT_PER_DAY + 1):
        other = Practice.objects.create(
            title=f"P{n}", slug=f"p-{n}", workspace=reachable.workspace, contact="x@example.org"
        )
        others.append(other)
    for other in others[: network.CONTACT_PER_DAY]:
        network.practice_contact_porteur(actor=josiane, practice=other, message="Bonjour, une question." * 2)
    with pytest.raises(ValidationError, match="maximum"):
        network.practice_contact_porteur(actor=josiane, practice=others[-1], message="Bonjour, encore." * 3)


@pytest.fixture
def department(department_space):
    return department_space


def test_working_group_across_two_workspaces(
    client, department, karim, paul, outsider, seed_practices, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    dora = department.member
    with pytest.raises(PermissionDenied):  # a lecteur does not open groups
        network.working_group_create(actor=paul, name="Lecteurs")
    group = network.working_group_create(actor=karim, name="Aller vers les aînés isolés")
    with pytest.raises(ValidationError):
        network.working_group_add_member(actor=karim, group=group, email="inconnu@example.org")
    network.working_group_add_member(actor=karim, group=group, email=dora.email)
    with pytest.raises(PermissionDenied):
        network.working_group_add_member(actor=dora, group=group, email=paul.email)
    practice = seed_practices.first()
    thread = network.thread_start(
        actor=dora, group=group, title="Comment démarrer ?", text="Qui a essayé ?", practice=practice
    )
    assert list(group.practices.all()) == [practice]
    network.message_post(actor=karim, thread=thread, text="Nous, au centre social.")
    with pytest.raises(PermissionDenied):
        network.message_post(actor=outsider, thread=thread, text="Intrus")
    with pytest.raises(ValidationError):
        network.document_share(
            actor=dora, group=group, upload=SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
        )
    document = network.document_share(
        actor=dora, group=group, upload=SimpleUploadedFile("compte rendu.txt", b"Bilan", "text/plain")
    )
    client.force_login(outsider)
    assert client.get(group.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("practices:group_document_file", args=[group.slug, document.pk])).status_code
        == 404
    )
    client.force_login(dora)
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Comment démarrer ?" in html and "compte rendu.txt" in html and practice.title in html
    download = client.get(reverse("practices:group_document_file", args=[group.slug, document.pk]))
    assert b"".join(download.streaming_content) == b"Bilan"
    thread_url = reverse("practices:thread", args=[group.slug, thread.pk])
    client.post(thread_url, {"text": "Merci, je vous appelle."})
    assert thread.messages.count() == 3
    assert client.post(thread_url, {"text": ""}).status_code == 400


def test_group_pages(client, karim, department):
    client.force_login(karim)
    response = client.post(reverse("practices:groups"), {"name": "Mobilité rurale", "description": ""})
    assert response.status_code == 302
    group_url = response["Location"]
    client.post(
        reverse("practices:group_member", args=[group_url.rstrip("/").rsplit("/", 1)[1]]),
        {"email": department.member.email},
    )
    assert department.member.email and "Dora" in client.get(group_url).content.decode()


def test_porteurs_found_in_the_directory(workspace, karim, outsider):
    from maillage.directory.models import Structure

    for name, acronym in [
        ("Centre social rural du plateau", ""),
        ("Caisse d'allocations familiales de la Creuse", "CAF"),
        ("Compagnie du Tiers", ""),
    ]:
        Structure.objects.create(
            workspace=workspace, name=name, acronym=acronym, search_text=fold(f"{name} {acronym}")
        )
    text = "- Centre social rural du plateau\n- CAF de la Creuse\n- [nom masqué]"
    names = [s.structure.name for s in suggest_structures(karim, text)]
    assert names[0] == "Centre social rural du plateau"
    assert "Caisse d'allocations familiales de la Creuse" in names and "Compagnie du Tiers" not in names
    assert suggest_structures(outsider, text) == []  # a members-only directory stays hidden


def test_demo_is_idempotent(db, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.MAILLAGE_DEMO = True
    settings.MEDIA_ROOT = tmp_path
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())
    call_command("practices_load", stdout=StringIO())
    call_command("demo_load", stdout=StringIO())
    call_command("collectives_demo", stdout=StringIO())
    out = StringIO()
    call_command("practices_demo", stdout=out)
    assert "2 practices" in out.getvalue()
    call_command("practices_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    from maillage.practices.models import ImportBatch, PracticeComment, WorkingGroup

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PENDING and len(batch.result["practices"]) == 3
    assert (
        Practice.objects.filter(workspace__slug="ile-d-oleron", status="publiee", scope="public").count() == 1
    )
    assert PracticeComment.objects.filter(sends_back=True, resolved_at=None).count() == 1
    assert WorkingGroup.objects.get().threads.count() == 2


def test_personal_data_of_the_network(reachable, josiane, karim):
    from maillage.practices.personal_data import erase_practices, export_practices

    network.practice_contact_porteur(
        actor=josiane, practice=reachable, message="Bonjour, une question sur l'atelier."
    )
    group = network.working_group_create(actor=josiane, name="Vélo")
    network.thread_start(actor=josiane, group=group, title="Sujet", text="Mon message")
    data = export_practices(josiane)
    assert (
        data["porteurs_contacted"]
        and data["working_groups"]
        and data["group_messages"][0]["text"] == "Mon message"
    )
    erase_practices(josiane)
    assert (
        export_practices(josiane)["group_messages"] == []
        and not group.memberships.filter(user=josiane).exists()
    )


def test_porteur_structures_shown_on_the_practice_to_those_who_may_see_them(
    client, workspace_practice, karim, outsider
):
    from maillage.directory.models import Structure

    structure = Structure.objects.create(
        workspace=workspace_practice.workspace, name="Centre social des Tilleuls", search_text="centre social"
    )
    workspace_practice.porteur_structures.set([structure])
    workspace_practice.status, workspace_practice.scope = Practice.Status.PUBLISHED, Practice.Scope.PUBLIC
    workspace_practice.save()
    client.force_login(karim)
    assert "Centre social des Tilleuls" in client.get(workspace_practice.get_absolute_url()).content.decode()
    client.force_login(outsider)  # the directory of a members-only workspace stays hidden
    assert (
        "Centre social des Tilleuls" not in client.get(workspace_practice.get_absolute_url()).content.decode()
    )
