"""Diagnostic partagé: pages, rights, document (HTML and PDF), contribution without an account."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from maillage.diagnostics.models import Diagnostic, Indicator, Item, Observation
from maillage.diagnostics.services_diagnostic import diagnostic_create, item_add
from maillage.diagnostics.services_enjeux import diagnostic_validate
from maillage.diagnostics.tests.conftest import territory
from maillage.workspaces.models import Workspace


@pytest.fixture
def diagnostic(observatory, workspace, karim):
    d = diagnostic_create(
        actor=karim,
        workspace=workspace,
        title="Diagnostic de l'île",
        territory=territory("epci", "241700624"),
        themes=["isolement"],
    )
    population = Indicator.objects.get(code="population")
    Observation.objects.create(
        indicator=population, territory=d.territory, year=2021, period="2021", value=22075
    )
    item_add(
        actor=karim,
        diagnostic=d,
        section="donnees",
        title="Une île qui vieillit",
        indicator=population,
        body="La population baisse l'hiver.",
    )
    item_add(
        actor=karim,
        diagnostic=d,
        section="paroles",
        title="Le bus ne passe plus le dimanche",
        speaker="Mme D.",
        method="porte_a_porte",
    )
    item_add(actor=karim, diagnostic=d, section="acteurs", title="Gendarmerie (contacts internes)")
    enjeu = item_add(actor=karim, diagnostic=d, section="enjeux", title="Rompre l'isolement des aînés")
    item_add(actor=karim, diagnostic=d, section="preconisations", title="Un café des voisins", enjeux=[enjeu])
    d.restricted_sections = ["acteurs"]
    d.save()
    return d


def url(name, d, *args):
    return reverse(f"diagnostics:{name}", args=[d.workspace.slug, d.pk, *args])


def test_workroom_is_for_members_and_costs_fixed_queries(
    client, diagnostic, paul, outsider, karim, django_assert_max_num_queries
):
    assert client.get(url("diagnostic", diagnostic)).status_code == 404  # anonymous, members-only
    client.force_login(outsider)
    assert client.get(url("diagnostic", diagnostic)).status_code == 404
    client.force_login(paul)  # lecteur: reads, cannot add
    response = client.get(url("diagnostic", diagnostic))
    assert response.status_code == 200 and b"Ajouter" not in response.content
    assert client.post(url("item_add", diagnostic, "paroles"), {"title": "x"}).status_code == 404
    client.force_login(karim)
    with django_assert_max_num_queries(40):
        response = client.get(url("diagnostic", diagnostic))
    content = response.content.decode()
    assert "Saisi par Karim pour Mme D." in content and "réservé à l'équipe" in content


def test_add_item_typed_for_someone_else_and_keep_input_on_error(client, diagnostic, karim):
    client.force_login(karim)
    response = client.post(url("item_add", diagnostic, "paroles"), {"title": "", "body": "Texte gardé"})
    assert response.status_code == 400 and "Texte gardé" in response.content.decode()
    response = client.post(
        url("item_add", diagnostic, "paroles"),
        {"title": "Pas de médecin", "speaker": "Groupe de parents", "method": "atelier"},
    )
    assert response.status_code == 302
    item = diagnostic.items.get(title="Pas de médecin")
    assert item.created_by == karim and item.speaker == "Groupe de parents"


def test_create_page_offers_reuse_and_copies_with_provenance(client, diagnostic, karim):
    client.force_login(karim)
    form = {
        "title": "Château-d'Oléron",
        "territoire": "17093",
        "themes": ["isolement"],
        "visibility": "members",
    }
    response = client.post(
        reverse("diagnostics:diagnostic_create", args=[diagnostic.workspace.slug]),
        form | {"action": "search"},
    )
    content = response.content.decode()
    assert response.status_code == 200 and "Diagnostic de l&#x27;île" in content
    enjeu = diagnostic.items.get(section="enjeux")
    response = client.post(
        reverse("diagnostics:diagnostic_create", args=[diagnostic.workspace.slug]),
        form | {"action": "create", "reprendre": [str(enjeu.pk)]},
    )
    assert response.status_code == 302
    new = Diagnostic.objects.get(title="Château-d'Oléron")
    copy = new.items.get()
    assert copy.copied_from == enjeu and "Diagnostic de l'île" in copy.copied_from_label


def test_vote_page_and_htmx_vote(client, diagnostic, josiane):
    enjeu = diagnostic.items.get(section="enjeux")
    client.force_login(josiane)
    response = client.post(url("vote_set", diagnostic, enjeu.pk), {"dots": "2"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Il vous reste 1 gommette" in response.content.decode()
    response = client.post(url("vote_set", diagnostic, enjeu.pk), {"dots": "9"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "3 gommettes en tout" in response.content.decode()
    response = client.post(url("vote_set", diagnostic, enjeu.pk), {"dots": "9"})
    assert response.status_code == 400 and "il vous en reste 3" in response.content.decode()


def test_public_document_leaves_restricted_sections_out(client, diagnostic, karim):
    diagnostic.visibility = Diagnostic.Visibility.PUBLIC
    diagnostic.save()
    Workspace.objects.filter(pk=diagnostic.workspace_id).update(visibility=Workspace.Visibility.PUBLIC)
    response = client.get(url("document", diagnostic))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Le bus ne passe plus le dimanche" in content and "Gendarmerie" not in content
    assert "<svg" in content  # the observatoire's chart
    client.force_login(karim)  # the public edition by default, the team's on request
    assert "Gendarmerie" not in client.get(url("document", diagnostic)).content.decode()
    assert "Gendarmerie" in client.get(url("document", diagnostic) + "?equipe=1").content.decode()
    client.logout()
    assert "Gendarmerie" not in client.get(url("document", diagnostic) + "?equipe=1").content.decode()


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages)


def test_pdf_and_frozen_version(client, diagnostic, karim):
    client.force_login(karim)
    text = _pdf_text(client.get(url("document_pdf", diagnostic)))
    for expected in ("Diagnostic de l", "Le bus ne passe plus le dimanche", "Un café des voisins", "Rompre"):
        assert expected in text
    diagnostic_validate(actor=karim, diagnostic=diagnostic)
    diagnostic.refresh_from_db()
    item_add(actor=karim, diagnostic=diagnostic, section="problemes", title="Ajout après validation")
    live = _pdf_text(client.get(url("document_pdf", diagnostic)))
    frozen = _pdf_text(client.get(url("document_pdf", diagnostic) + "?version=1"))
    assert "Ajout après validation" in live and "Ajout après validation" not in frozen
    assert client.get(url("document_pdf", diagnostic) + "?version=9").status_code == 404


def test_contribution_without_account(client, diagnostic, karim):
    address = reverse("diagnostics:contribute", args=[diagnostic.contribution_token])
    assert client.get(address).status_code == 200
    response = client.post(address, {"section": "paroles", "text": "Il manque un abri", "pseudonym": "Lu"})
    assert response.status_code == 400 and "Il manque un abri" in response.content.decode()  # no consent
    ok = {"section": "paroles", "text": "Il manque un abri", "pseudonym": "Lu", "consent": "on"}
    assert client.post(address, ok).status_code == 200
    item = diagnostic.items.get(body="Il manque un abri")
    assert item.status == Item.Status.PENDING and item.speaker == "Lu"
    client.post(address, ok | {"website": "http://spam", "text": "spam"})
    assert not diagnostic.items.filter(body="spam").exists()
    for _ in range(5):
        response = client.post(address, ok)
    assert response.status_code == 429
    assert client.get(reverse("diagnostics:contribute", args=["nope"])).status_code == 404
    client.force_login(karim)
    assert "Il manque un abri" in client.get(url("diagnostic", diagnostic)).content.decode()
    client.post(url("item_review", diagnostic, item.pk), {"decision": "accept"})
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_qr_poster_for_animateurs(client, diagnostic, karim, josiane):
    client.force_login(josiane)
    assert client.get(url("qr", diagnostic)).status_code == 404
    client.force_login(karim)
    response = client.get(url("qr", diagnostic))
    assert response.status_code == 200 and b"<svg" in response.content
    assert client.get(url("qr_pdf", diagnostic))["Content-Type"] == "application/pdf"


def test_steps_settings_and_timeline(client, diagnostic, karim):
    client.force_login(karim)
    data = {"action": "steps"}
    for kind in ("lancement", "recueil", "analyse", "restitution", "validation"):
        data[f"{kind}-date"] = "2030-06-01" if kind == "restitution" else ""
    assert client.post(url("steps", diagnostic), data).status_code == 302
    from maillage.diagnostics.timeline import diagnostics_timeline

    items = diagnostics_timeline(diagnostic.workspace, karim)
    assert [(i.kind, "restitution" in i.title) for i in items] == [("next", True)]
    response = client.post(
        url("diagnostic_settings", diagnostic), {"title": "", "dots_per_person": "3", "visibility": "members"}
    )
    assert response.status_code == 400


def test_preconisation_button_makes_a_collective(client, diagnostic, karim):
    client.force_login(karim)
    reco = diagnostic.items.get(section="preconisations")
    response = client.post(url("to_collective", diagnostic, reco.pk), {"kind": "groupe_projet"})
    assert response.status_code == 302
    reco.refresh_from_db()
    assert reco.collective.name == "Un café des voisins"


def test_htmx_add_returns_the_section(client, diagnostic, karim):
    client.force_login(karim)
    response = client.post(
        url("item_add", diagnostic, "enjeux"), {"title": "Se loger"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200 and "Ajouté : Se loger" in content
    assert 'id="section-preconisations" class="diag-section" hx-swap-oob="true"' in content
    response = client.post(url("item_add", diagnostic, "paroles"), {"body": "gardé"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "gardé" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_workroom_and_document_queries_do_not_grow_with_items(client, diagnostic, karim, josiane):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maillage.diagnostics.services_enjeux import vote_set
    from maillage.directory.models import Structure

    client.force_login(karim)

    def count(name):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(name, diagnostic)).status_code == 200
        return len(queries.captured_queries)

    before = {name: count(name) for name in ("diagnostic", "document", "vote")}
    structure = Structure.objects.create(workspace=diagnostic.workspace, name="Centre social")
    enjeux = diagnostic.items.filter(section="enjeux")
    for n in range(5):
        item_add(actor=karim, diagnostic=diagnostic, section="ressources", title=f"R{n}", structure=structure)
        e = item_add(actor=karim, diagnostic=diagnostic, section="enjeux", title=f"E{n}")
        item_add(
            actor=karim, diagnostic=diagnostic, section="preconisations", title=f"P{n}", enjeux=[e, *enjeux]
        )
    vote_set(actor=josiane, item=e, dots=1)
    after = {name: count(name) for name in ("diagnostic", "document", "vote")}
    assert after == before


def test_edit_item_rights_and_errors(client, diagnostic, karim, josiane, sophie):
    mine = item_add(actor=josiane, diagnostic=diagnostic, section="ressources", title="Mon jardin")
    client.force_login(sophie)  # another contributor
    assert client.get(url("item_edit", diagnostic, mine.pk)).status_code == 404
    client.force_login(josiane)
    response = client.post(url("item_edit", diagnostic, mine.pk), {"title": "", "body": "gardé"})
    assert response.status_code == 400 and "gardé" in response.content.decode()
    response = client.post(
        url("item_edit", diagnostic, mine.pk), {"title": "Le jardin", "resource_kind": "lieu"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.title, mine.resource_kind) == ("Le jardin", "lieu")
    client.force_login(karim)
    assert client.post(url("item_delete", diagnostic, mine.pk)).status_code == 302
    assert not diagnostic.items.filter(pk=mine.pk).exists()


def test_team_members_are_added_from_the_workspace(client, diagnostic, karim, marc, outsider):
    client.force_login(karim)
    response = client.post(url("steps", diagnostic), {"action": "team", "user": marc.pk, "role": "elu"})
    assert response.status_code == 302 and diagnostic.team.filter(user=marc, role="elu").exists()
    response = client.post(url("steps", diagnostic), {"action": "team", "user": outsider.pk, "role": "elu"})
    assert response.status_code == 400
    response = client.post(
        url("steps", diagnostic),
        {"action": "team", "name": "Nadia", "organisation": "Bailleur", "role": "partenaire"},
    )
    assert response.status_code == 302 and diagnostic.team.filter(name="Nadia").exists()
