"""API: /api/v1/structures, /api/v1/structures/{id}, /api/v1/services/search."""

import pytest

from maillage.directory.tests.conftest import add_service, add_structure, commune
from maillage.territories.models import Territory

API = "/api/v1"


@pytest.fixture
def public_directory(public_workspace, referential, typologies):
    village = add_structure(
        public_workspace,
        "Maison des solidarités",
        commune=commune("17093"),
        contacts=[],
    )
    from maillage.directory.services import ContactInput, structure_input_from, structure_update

    data = structure_input_from(village)
    data.contacts = [
        ContactInput("phone", "05 46 11 11 11"),
        ContactInput("email", "secret@example.org", is_public=False),
    ]
    structure_update(actor=None, structure=village, data=data)
    epci = Territory.objects.get(kind="epci", code="241700624")
    departement = Territory.objects.get(kind="departement", code="17")
    region = Territory.objects.get(kind="region", code="75")
    add_service(
        village,
        "Aide aux aidants",
        thematiques=["famille--soutien-aidants"],
        publics=["seniors"],
        zone_territories=[commune("17093")],
    )
    add_service(
        village,
        "Écoute familles",
        thematiques=["famille--soutien-a-la-parentalite-et-a-leducation"],
        publics=["tous-publics"],
        zone_territories=[epci],
    )
    add_service(
        village,
        "Permanence juridique",
        thematiques=["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
        zone_territories=[departement],
    )
    add_service(village, "Numéro d'écoute", publics=["jeunes"], zone_france=True)
    add_service(village, "Aide régionale", thematiques=["famille--garde-denfants"], zone_territories=[region])
    add_service(
        village,
        "Aide à Dolus seulement",
        thematiques=["famille--garde-denfants"],
        zone_territories=[commune("17140")],
    )
    return village


def test_anonymous_sees_public_workspaces_only(client, oleron, public_directory):
    body = client.get(f"{API}/structures").json()
    assert body["count"] == 1 and body["items"][0]["name"] == "Maison des solidarités"
    assert body["items"][0]["workspace"]["slug"] == public_directory.workspace.slug
    assert body["items"][0]["url"] == public_directory.get_absolute_url()


def test_members_also_see_their_workspaces(client, oleron, public_directory, paul, outsider):
    client.force_login(paul)
    assert client.get(f"{API}/structures").json()["count"] == 4
    client.force_login(outsider)
    assert client.get(f"{API}/structures").json()["count"] == 1


def test_paging_merges_workspaces_in_rank_then_name_order(client, oleron, public_directory, josiane):
    client.force_login(josiane)
    names = [s["name"] for s in client.get(f"{API}/structures").json()["items"]]
    assert names == [
        "Caisse d'allocations familiales",
        "Centre communal d'action sociale",
        "Centre social de l'Île",
        "Maison des solidarités",  # another workspace, merged in alphabetical order
    ]
    page = client.get(f"{API}/structures", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 4 and [s["name"] for s in page["items"]] == [
        "Centre social de l'Île",
        "Maison des solidarités",
    ]
    ranked = [s["name"] for s in client.get(f"{API}/structures", {"q": "sociale"}).json()["items"]]
    # a word of the name first, then the others (their categories say "sociale"), alphabetically
    assert ranked == [
        "Centre communal d'action sociale",
        "Caisse d'allocations familiales",
        "Centre social de l'Île",
    ]


def test_filters(client, oleron, public_directory, josiane):
    client.force_login(josiane)
    assert [s["name"] for s in client.get(f"{API}/structures", {"q": "CHÂTEAU"}).json()["items"]] == [
        "Centre communal d'action sociale",
        "Maison des solidarités",
    ]
    items = client.get(f"{API}/structures", {"category": "caisses"}).json()["items"]
    assert [(s["name"], s["categories"][0]["code"]) for s in items] == [
        ("Caisse d'allocations familiales", "caisses.caf")
    ]
    assert client.get(f"{API}/structures", {"territory": "17140"}).json()["count"] == 1
    assert client.get(f"{API}/structures", {"territory": "241700624"}).json()["count"] == 4
    assert client.get(f"{API}/structures", {"territory": "departement:17"}).json()["count"] == 4
    error = client.get(f"{API}/structures", {"territory": "00000"})
    assert error.status_code == 400 and error.json()["error"]["code"] == "bad_request"
    assert "Territoire inconnu" in error.json()["error"]["message"]
    assert client.get(f"{API}/structures", {"limit": 1000}).status_code == 400


def test_detail_hides_private_contacts_from_non_members(client, public_directory):
    body = client.get(f"{API}/structures/{public_directory.pk}").json()
    assert [c["value"] for c in body["contacts"]] == ["05 46 11 11 11"]
    assert len(body["services"]) == 6
    client.force_login(public_directory.workspace.memberships.get().user)
    body = client.get(f"{API}/structures/{public_directory.pk}").json()
    assert [c["value"] for c in body["contacts"]] == ["05 46 11 11 11", "secret@example.org"]


def test_detail_links_and_404_for_forbidden(client, oleron, paul, outsider):
    response = client.get(f"{API}/structures/{oleron['centre'].pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    client.force_login(outsider)
    assert client.get(f"{API}/structures/{oleron['centre'].pk}").status_code == 404
    assert client.get(f"{API}/structures/999999").status_code == 404
    client.force_login(paul)
    body = client.get(f"{API}/structures/{oleron['centre'].pk}").json()
    assert {(link["heading"], link["other_name"]) for link in body["links"]} == {
        ("Financée par", "Caisse d'allocations familiales"),
        ("Lui orientent des personnes", "Centre communal d'action sociale"),
    }


def test_services_covering_a_commune(client, public_directory):
    def names(**params):
        body = client.get(f"{API}/services/search", params).json()
        return sorted(s["nom"] for s in body["items"])

    # the commune itself, its EPCI, its département, its région and France; not a neighbour commune
    assert names(commune="17093") == [
        "Aide aux aidants",
        "Aide régionale",
        "Numéro d'écoute",
        "Permanence juridique",
        "Écoute familles",
    ]
    assert names(commune="17093", thematique="famille") == [
        "Aide aux aidants",
        "Aide régionale",
        "Écoute familles",
    ]
    assert names(commune="17093", thematique="famille--soutien-aidants") == ["Aide aux aidants"]
    assert names(commune="17093", public="seniors") == [
        "Aide aux aidants",
        "Écoute familles",
    ]  # + tous publics
    assert "Aide à Dolus seulement" in names(commune="17140")
    error = client.get(f"{API}/services/search", {"commune": "99999"})
    assert error.status_code == 400 and "Commune inconnue" in error.json()["error"]["message"]


def test_services_of_members_only_workspaces_need_membership(client, oleron, karim):
    assert client.get(f"{API}/services/search", {"commune": "17140"}).json()["count"] == 0
    client.force_login(karim)
    assert client.get(f"{API}/services/search", {"commune": "17140"}).json()["count"] == 1


def test_api_query_count_is_fixed(client, public_directory, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(f"{API}/services/search", {"commune": "17093"})
    client.get(f"{API}/structures")  # builds the workspace's in-memory index (3 queries, once per change)
    with django_assert_max_num_queries(3):  # readable workspaces, the page, its categories
        assert client.get(f"{API}/structures", {"q": "maison"}).json()["count"] == 1
