"""Pages: who sees what, search with facets (with and without HTMX), detail, forms."""

import pytest
from django.urls import reverse

from maillage.directory.models import Link, Service, Structure
from maillage.directory.tests.conftest import VALID_SIRET, add_structure

HTMX = {"HX-Request": "true"}
pytestmark = pytest.mark.usefixtures("glossary")


def search_url(workspace):
    return reverse("directory:search", args=[workspace.slug])


def detail_url(structure):
    return reverse("directory:structure", args=[structure.workspace.slug, structure.pk])


@pytest.mark.parametrize(
    ("name", "status"), [("anonymous", 404), ("outsider", 404), ("paul", 200), ("josiane", 200)]
)
def test_members_only_directory(client, workspace, oleron, everyone, name, status):
    if name != "anonymous":
        client.force_login(everyone[name])
    assert client.get(search_url(workspace)).status_code == status
    assert client.get(detail_url(oleron["centre"])).status_code == status


def test_public_directory_is_open_to_anonymous(client, public_workspace, typologies):
    structure = add_structure(public_workspace, "Maison des solidarités")
    html = client.get(search_url(public_workspace)).content.decode()
    assert "Maison des solidarités" in html and "Ajouter une structure" not in html
    assert client.get(detail_url(structure)).status_code == 200
    assert "<script>" not in html and "style=" not in html  # strict CSP


def test_search_page_with_words_and_a_facet(client, workspace, oleron, paul, django_assert_max_num_queries):
    client.force_login(paul)
    with django_assert_max_num_queries(14):
        response = client.get(search_url(workspace), {"q": "centre", "territory": "commune:17140"})
    html = response.content.decode()
    assert "1 structure trouvée" in html
    assert "Centre social de l&#x27;Île" in html and "Centre communal" not in html.split("Résultats")[1]
    assert 'name="territory" value="commune:17140"' in html  # kept when the words change
    assert "Retirer le filtre Commune : Dolus-d&#x27;Oléron" in html
    assert 'href="?q=centre&amp;territory=commune%3A17140&amp;kind=association"' in html
    assert "Ajouter une structure" not in html  # lecteur


def test_search_query_count_does_not_grow(client, workspace, oleron, paul, django_assert_max_num_queries):
    client.force_login(paul)
    client.get(search_url(workspace))  # warm caches (glossary)
    for i in range(30):
        add_structure(workspace, f"Association {i}")
    with django_assert_max_num_queries(14):
        client.get(search_url(workspace), {"q": "association"})


def test_htmx_gets_the_results_only(client, workspace, oleron, karim):
    client.force_login(karim)
    html = client.get(search_url(workspace), {"q": "caf"}, headers=HTMX).content.decode()
    assert "<html" not in html and 'id="directory-status" hx-swap-oob="innerHTML"' in html
    assert "Caisse d&#x27;allocations familiales" in html
    full = client.get(
        search_url(workspace), {"q": "caf"}, headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in full.content.decode()


def test_detail_page(client, workspace, oleron, paul, karim):
    client.force_login(paul)
    html = client.get(detail_url(oleron["centre"])).content.decode()
    assert "Avec qui travaille cette structure" in html
    assert "Financée par" in html and "Lui orientent des personnes" in html
    assert "Ateliers parents-enfants" in html and "Soutien à la parentalité et à l’éducation" in html
    assert "Qualité de la fiche" not in html and "Modifier la fiche" not in html
    ccas = client.get(detail_url(oleron["ccas"])).content.decode()
    assert "direction@ccas.example.org" in ccas and "visible des membres seulement" in ccas
    client.force_login(karim)
    html = client.get(detail_url(oleron["centre"])).content.decode()
    assert "Qualité de la fiche" in html and "Pour l'améliorer" in html and "Modifier la fiche" in html


def test_private_contacts_are_hidden_from_non_members(client, public_workspace, typologies):
    from maillage.directory.services import ContactInput

    structure = add_structure(
        public_workspace,
        "Maison des solidarités",
        contacts=[
            ContactInput("phone", "05 46 22 22 22"),
            ContactInput("email", "prive@example.org", is_public=False),
        ],
    )
    html = client.get(detail_url(structure)).content.decode()
    assert "05 46 22 22 22" in html and "prive@example.org" not in html


@pytest.mark.parametrize(("name", "status"), [("paul", 404), ("outsider", 404), ("josiane", 200)])
def test_create_form_access(client, workspace, typologies, everyone, name, status):
    client.force_login(everyone[name])
    assert client.get(reverse("directory:structure_create", args=[workspace.slug])).status_code == status


def test_create_structure_errors_then_success(client, workspace, typologies, referential, josiane):
    client.force_login(josiane)
    url = reverse("directory:structure_create", args=[workspace.slug])
    data = {
        "name": "Jardin partagé des Tilleuls",
        "siret": "130 030 133 00017",
        "commune": "Dolus",
        "opening_hours": "le samedi matin",
        "update_frequency_days": "180",
        "phone": "05 46 00 00 00",
        "phone_public": "on",
        "email": "jardin@example.org",
        "categories": [str(typologies.get(code="associations.sociales").pk)],
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in html and "clé de contrôle est fausse" in html
    assert "syntaxe OpenStreetMap" in html
    assert 'value="Jardin partagé des Tilleuls"' in html  # what was typed is kept
    assert not Structure.objects.exists()
    data |= {"siret": VALID_SIRET, "commune": "Dolus-d'Oléron (17140)", "opening_hours": "Sa 09:00-12:00"}
    response = client.post(url, data)
    structure = Structure.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(structure)
    assert structure.commune.code == "17140" and structure.created_by == josiane
    assert [(c.kind, c.is_public) for c in structure.contacts.all()] == [("phone", True), ("email", False)]
    assert [c.code for c in structure.categories.all()] == ["associations.sociales"]


def test_edit_structure(client, workspace, typologies, josiane, marc, karim):
    structure = add_structure(workspace, "Jardin partagé", actor=josiane)
    url = reverse("directory:structure_edit", args=[workspace.slug, structure.pk])
    client.force_login(marc)
    assert client.get(url).status_code == 404
    client.force_login(karim)
    html = client.get(url).content.decode()
    assert 'value="Jardin partagé"' in html
    response = client.post(url, {"name": "Jardin partagé du quartier", "update_frequency_days": "90"})
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.name == "Jardin partagé du quartier" and structure.update_frequency_days == 90
    client.post(reverse("directory:structure_check", args=[workspace.slug, structure.pk]))
    structure.refresh_from_db()
    assert structure.last_checked_at is not None


def test_add_service_and_link(client, workspace, oleron, sophie):
    client.force_login(sophie)
    centre = oleron["centre"]
    url = reverse("directory:service_add", args=[workspace.slug, centre.pk])
    assert 'value="17140"' in client.get(url).content.decode()  # zone defaults to the structure's commune
    response = client.post(
        url, {"nom": "Accès au numérique", "description": "Ordinateurs", "zone_codes": "17140 99999"}
    )
    assert response.status_code == 400 and "Codes inconnus : 99999" in response.content.decode()
    response = client.post(
        url,
        {
            "nom": "Accès au numérique",
            "description": "Des ordinateurs en libre accès.",
            "thematiques": ["numerique--acceder-a-des-services-en-ligne"],
            "publics": ["tous-publics"],
            "frais": "gratuit",
            "zone_codes": "17140 241700624",
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(nom="Accès au numérique")
    assert sorted(t.code for t in service.zone_territories.all()) == ["17140", "241700624"]
    link_url = reverse("directory:link_add", args=[workspace.slug, centre.pk])
    assert "Avec qui travaille" in client.get(link_url).content.decode()
    financeur = Link.objects.get(kind__code="financeur").kind
    response = client.post(
        link_url,
        {
            "other": f"structure:{oleron['ccas'].pk}",
            "kind": financeur.pk,
            "direction": "in",
            "scale": "local",
        },
    )
    assert response.status_code == 302
    assert Link.objects.filter(
        kind=financeur, source_structure=oleron["ccas"], target_structure=centre
    ).exists()
    response = client.post(link_url, {"other": "structure:999999", "kind": financeur.pk, "direction": "in"})
    assert response.status_code == 400


def test_export_downloads(client, public_workspace, typologies):
    add_structure(public_workspace, "Maison des solidarités")
    response = client.get(reverse("directory:export", args=[public_workspace.slug, "structures", "json"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response.json()[0]["nom"] == "Maison des solidarités"
    csv = client.get(reverse("directory:export", args=[public_workspace.slug, "services", "csv"]))
    assert csv.content.decode().startswith("source,structure_id,id,nom")
    assert (
        client.get(reverse("directory:export", args=[public_workspace.slug, "people", "csv"])).status_code
        == 404
    )


def test_commune_suggestions(client, referential):
    html = client.get(reverse("directory:commune_options"), {"commune": "oleron"}).content.decode()
    assert "Dolus-d&#x27;Oléron (17140)" in html and "CC de l" not in html


def test_index_lists_readable_directories(client, workspace, public_workspace):
    html = client.get(reverse("directory:index")).content.decode()
    assert public_workspace.name in html and workspace.name not in html
