import pytest
from django.urls import reverse

from maillage.territories.services import perimeter_create

SEARCH = reverse("territories:search")
HTMX = {"HX-Request": "true"}


def test_search_page_without_query(client, db):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and 'name="q"' in html
    assert 'aria-live="polite"' in html
    assert "js/autocomplete.js" in html
    assert "<script>" not in html and "style=" not in html  # strict CSP: no inline script or style


def test_search_page_lists_results_as_links_without_javascript(
    client, referential, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get(SEARCH, {"q": "chateau d ol"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 résultat" in html
    assert 'href="/territoires/commune/17093/"' in html
    assert "Le Château-d&#x27;Oléron" in html
    assert "<html" in html


def test_htmx_request_gets_only_the_results_and_the_status(client, referential, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(SEARCH, {"q": "oleron"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="territory-status" hx-swap-oob="innerHTML"' in html
    assert "6 résultats" in html  # the EPCI and the 5 communes "…-d'Oléron"
    assert "HX-Request" in response["Vary"]
    # htmx restoring a page from its history needs the whole page
    restore = client.get(SEARCH, {"q": "oleron"}, headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_search_without_result_and_kind_filter(client, referential):
    html = client.get(SEARCH, {"q": "zzzz"}, headers=HTMX).content.decode()
    assert "Aucun résultat" in html and "empty-state" in html
    html = client.get(SEARCH, {"q": "oleron", "kind": "epci"}).content.decode()
    assert "1 résultat" in html and 'value="epci" selected' in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/territoires/commune/17093/",
            ["Le Château-d&#x27;Oléron", "17480", "CC de l&#x27;Ile d&#x27;Oléron"],
        ),
        ("/territoires/epci/241700624/", ["8 communes membres", "Communauté de communes", "<abbr title="]),
        ("/territoires/departement/15/", ["Cantal", "Auvergne-Rhône-Alpes", "5 communes"]),
        ("/territoires/region/84/", ["3 départements", "somme des communes"]),
        ("/territoires/commune/13055/", ["Marseille 1er Arrondissement"]),
        (
            "/territoires/arrondissement_municipal/13201/",
            ["Commune de rattachement", "/territoires/commune/13055/"],
        ),
        ("/territoires/commune_deleguee/93066/", ["Commune déléguée", "Métropole du Grand Paris"]),
    ],
)
def test_detail_pages(client, referential, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html
    assert 'class="breadcrumbs' in html


def test_detail_query_count(client, referential, django_assert_num_queries):
    perimeter_create(actor=None, name="Bassin d'Oléron", kind="bassin_de_vie", commune_codes=["17093"])
    # territory, parents, children count, perimeters (no child: no page query)
    with django_assert_num_queries(4):
        html = client.get("/territoires/commune/17093/").content.decode()
    assert "Bassin d&#x27;Oléron" in html
    # EPCI: territory, parents, children count, children page
    with django_assert_num_queries(4):
        client.get("/territoires/epci/241700624/")


@pytest.mark.parametrize(
    "url", ["/territoires/commune/99999/", "/territoires/canton/15/", "/territoires/perimetres/9/"]
)
def test_unknown_pages_are_404(client, referential, url):
    assert client.get(url).status_code == 404


def test_perimeter_page_respects_workspace_visibility(
    client, referential, alice, josiane, outsider, workspace
):
    private = perimeter_create(actor=alice, name="Quartier du port", kind="quartier", workspace=workspace,
                               commune_codes=["17093", "17140"])  # fmt: skip
    url = private.get_absolute_url()
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(josiane)  # habitante, member of the workspace
    html = client.get(url).content.decode()
    assert "Quartier du port" in html and "2 communes" in html and "Dolus-d&#x27;Oléron" in html


def test_public_perimeter_page_links_to_the_api_for_its_outline(client, referential):
    shared = perimeter_create(
        actor=None,
        name="Centre",
        kind="quartier",
        geojson={"type": "Polygon", "coordinates": [[[2.4, 44.9], [2.5, 44.9], [2.5, 45.0], [2.4, 44.9]]]},
    )
    html = client.get(shared.get_absolute_url()).content.decode()
    assert f"/api/v1/territories/perimeters/{shared.pk}" in html
    assert "aucune commune" in html


def test_admin_lists_territories_read_only_and_edits_perimeters(client, referential):
    from maillage.accounts.models import User

    client.force_login(User.objects.create_superuser("root@example.org", "x", display_name="Root"))
    response = client.get("/admin/territories/territory/", {"q": "aurillac"})
    assert response.status_code == 200 and "15014" in response.content.decode()
    assert client.get("/admin/territories/territory/add/").status_code == 403
    assert client.get("/admin/territories/perimeter/add/").status_code == 200
    assert client.get("/admin/territories/referentialload/").status_code == 200
