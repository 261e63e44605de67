"""Cartes d'acteurs (OUTIL 4): wizard, cartopartie proposals and review, optimistic version, inclusivity check,
shared link, graph JSON and exports."""

import io
import json

import networkx as nx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from maillage.directory import maps
from maillage.directory.graph import GraphOptions, map_graph
from maillage.directory.models import ActorMap, ActorMapLink, ActorMapMember, Category, ProposalStatus
from maillage.directory.tests.conftest import add_structure, kind

pytestmark = pytest.mark.usefixtures("glossary")


@pytest.fixture
def actor_map(workspace, oleron, karim):
    m = maps.actor_map_create(
        actor=karim, workspace=workspace, name="Carte de la CTG", purpose="Préparer la CTG."
    )
    for key in ("ccas", "centre", "caf"):
        maps.member_add(actor=karim, actor_map=m, record=oleron[key], legend_key="porteur")
    return m


def test_contrast_of_legend_colours():
    assert maps.contrast_ratio("#000000") == pytest.approx(21)
    assert maps.contrast_ratio("#ffffff") == pytest.approx(1)
    with pytest.raises(ValidationError, match="trop claire"):
        maps.clean_legend([{"label": "Habitants", "colour": "#ffff66"}])
    with pytest.raises(ValidationError, match="#RRVVBB"):
        maps.clean_legend([{"label": "Habitants", "colour": "jaune"}])
    legend = maps.clean_legend([{"label": "Habitants", "colour": "#047857"}, {"label": "", "colour": ""}])
    assert legend == [{"key": "habitants", "label": "Habitants", "colour": "#047857"}]


def test_only_animators_create_maps(workspace, josiane, paul, karim):
    for person in (josiane, paul):
        with pytest.raises(PermissionDenied):
            maps.actor_map_create(actor=person, workspace=workspace, name="Carte")
    assert maps.actor_map_create(actor=karim, workspace=workspace, name="Carte").share_token


def test_proposals_wait_for_an_animator(actor_map, workspace, josiane, karim, paul):
    structure = add_structure(workspace, "Collectif d'habitants du bourg", legal_form="collectif")
    proposed = maps.member_add(actor=josiane, actor_map=actor_map, record=structure, theme="alimentation")
    assert proposed.status == ProposalStatus.PROPOSED
    with pytest.raises(PermissionDenied):
        maps.member_add(actor=paul, actor_map=actor_map, record=structure)
    with pytest.raises(ValidationError, match="déjà sur la carte"):
        maps.member_add(actor=karim, actor_map=actor_map, record=structure)
    ccas = actor_map.members.get(structure__name__startswith="Centre communal")
    link = maps.map_link_add(
        actor=josiane, actor_map=actor_map, source=ccas, target=proposed, kind=kind("orienteur")
    )
    assert link.status == ProposalStatus.PROPOSED
    with pytest.raises(PermissionDenied):
        maps.proposal_review(actor=josiane, item=link, accept=True)
    maps.proposal_review(actor=karim, item=proposed, accept=True)
    maps.proposal_review(actor=karim, item=link, accept=False)
    graph = map_graph(actor_map)
    assert len(graph["nodes"]) == 4 and graph["edges"] == []  # rejected links never show


def test_optimistic_version_on_map_fields(actor_map, karim, alice):
    version = actor_map.version
    maps.actor_map_update(actor=karim, actor_map=actor_map, version=version, name="Carte 1")
    stale = ActorMap.objects.get(pk=actor_map.pk)
    with pytest.raises(ValidationError, match="Quelqu'un d'autre"):
        maps.actor_map_update(actor=alice, actor_map=stale, version=version, name="Carte 2")
    assert ActorMap.objects.get(pk=actor_map.pk).name == "Carte 1"


def test_inclusivity_lists_headings_and_roles_nobody_covers(actor_map, workspace, karim):
    report = maps.inclusivity(actor_map)
    missing = {c.code for c in report.missing_headings}
    present = {
        code.split(".")[0]
        for code in Category.objects.filter(structures__isnull=False).values_list("code", flat=True)
    }
    assert present and not (missing & present)
    assert "habitants" in {r.code for r in report.missing_roles}
    collective = add_structure(workspace, "Collectif d'habitants du bourg", legal_form="collectif")
    maps.member_add(actor=karim, actor_map=actor_map, record=collective)
    assert "habitants" not in {r.code for r in maps.inclusivity(actor_map).missing_roles}


def test_import_directory_links(actor_map, karim):
    assert maps.import_directory_links(actor=karim, actor_map=actor_map) == 2
    assert maps.import_directory_links(actor=karim, actor_map=actor_map) == 0
    graph = map_graph(actor_map)
    assert {e["kind"] for e in graph["edges"]} == {"financeur", "orienteur"}


def test_wizard_end_to_end(client, workspace, oleron, karim):
    client.force_login(karim)
    url = reverse("directory:map_create", args=[workspace.slug])
    response = client.post(
        url, {"version": 0, "name": "", "legend_label_0": "Porteurs", "legend_colour_0": "#1d4ed8"}
    )
    assert response.status_code == 400
    data = {"version": 0, "name": "Carte CTG", "purpose": "Préparer la CTG"}
    data |= {"legend_label_0": "Porteurs", "legend_colour_0": "#fef08a"}
    response = client.post(url, data)
    assert response.status_code == 400 and "trop claire" in response.content.decode()
    data["legend_colour_0"] = "#1d4ed8"
    response = client.post(url, data)
    actor_map = ActorMap.objects.get()
    assert response.status_code == 302 and response.url.endswith("/etape-2/")
    step = lambda n: reverse("directory:map_step", args=[workspace.slug, actor_map.pk, n])  # noqa: E731
    assert client.post(step(2), {"version": actor_map.version, "codes": "99999"}).status_code == 400
    actor_map.refresh_from_db()
    assert client.post(step(2), {"version": actor_map.version, "codes": "17093 241700624"}).status_code == 302
    actor_map.refresh_from_db()
    assert actor_map.perimeter_territories.count() == 2
    assert client.post(step(3), {"version": actor_map.version}).status_code == 302
    assert client.get(step(4)).status_code == 200
    add = reverse("directory:map_member_add", args=[workspace.slug, actor_map.pk])
    for structure in oleron.values():
        response = client.post(
            add, {"member-record": f"s:{structure.pk}", "member-legend_key": "porteurs", "next": step(4)}
        )
        assert response.status_code == 302 and response.url == step(4)
    assert client.post(step(4)).status_code == 302
    members = list(actor_map.members.all())
    link = reverse("directory:map_link_add", args=[workspace.slug, actor_map.pk])
    response = client.post(
        link,
        {
            "link-source": members[2].pk,
            "link-kind": kind("financeur").pk,
            "link-target": members[1].pk,
            "next": step(5),
        },
    )
    assert response.status_code == 302
    assert client.post(step(5)).status_code == 302
    actor_map.refresh_from_db()
    response = client.post(step(6), {"version": actor_map.version})
    assert response.status_code == 302 and response.url == actor_map.get_absolute_url()
    html = client.get(actor_map.get_absolute_url()).content.decode()
    assert "Qui manque sur la carte" in html and "Collectivités territoriales" in html and "Élus" in html
    assert "financeur de" in html.lower()


def test_cartopartie_page_and_refresh(
    client, actor_map, workspace, josiane, karim, django_assert_max_num_queries
):
    client.force_login(josiane)
    edit = reverse("directory:map_edit", args=[workspace.slug, actor_map.pk])
    html = client.get(edit).content.decode()
    assert "Proposer l’acteur" in html or "Proposer l'acteur" in html and 'hx-trigger="every 4s"' in html
    structure = add_structure(workspace, "Épicerie solidaire")
    add = reverse("directory:map_member_add", args=[workspace.slug, actor_map.pk])
    assert client.post(add, {"member-record": f"s:{structure.pk}"}).status_code == 302
    client.force_login(karim)
    items = reverse("directory:map_items", args=[workspace.slug, actor_map.pk])
    with django_assert_max_num_queries(9):
        html = client.get(items).content.decode()
    assert "Épicerie solidaire" in html and "proposé" in html and "Valider" in html
    member = ActorMapMember.objects.get(structure=structure)
    review = reverse("directory:map_review", args=[workspace.slug, actor_map.pk, "acteur", member.pk])
    assert client.post(review, {"decision": "accept"}, HTTP_HX_REQUEST="true").status_code == 200
    assert ActorMapMember.objects.get(pk=member.pk).status == ProposalStatus.VALIDATED


@pytest.mark.parametrize(("name", "status"), [("anonymous", 404), ("outsider", 404), ("paul", 200)])
def test_map_page_access(client, actor_map, workspace, everyone, name, status):
    if name != "anonymous":
        client.force_login(everyone[name])
    assert client.get(actor_map.get_absolute_url()).status_code == status
    edit = reverse("directory:map_edit", args=[workspace.slug, actor_map.pk])
    assert client.get(edit).status_code in ((302, 404) if name != "paul" else (404,))


def test_shared_link_is_read_only_and_hides_proposals(client, actor_map, workspace, josiane):
    structure = add_structure(workspace, "Collectif proposé")
    maps.member_add(actor=josiane, actor_map=actor_map, record=structure)
    url = reverse("directory:map_shared", args=[actor_map.share_token])
    html = client.get(url).content.decode()
    assert "Centre social" in html and "Collectif proposé" not in html and "Proposer" not in html
    assert client.get(reverse("directory:map_shared", args=["x" * 32])).status_code == 404
    data = client.get(reverse("directory:map_shared_graph", args=[actor_map.share_token])).json()
    assert len(data["nodes"]) == 3


def test_graph_json_and_exports(client, actor_map, workspace, paul, karim):
    maps.import_directory_links(actor=karim, actor_map=actor_map)
    client.force_login(paul)
    data = client.get(reverse("directory:map_graph", args=[workspace.slug, actor_map.pk])).json()
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 2
    assert {n["category"] for n in data["nodes"]} >= {"Associations et structures"}
    focus = data["nodes"][0]["id"]
    hood = client.get(
        reverse("directory:map_graph", args=[workspace.slug, actor_map.pk]), {"focus": focus}
    ).json()
    assert focus in {n["id"] for n in hood["nodes"]}
    export = lambda fmt: client.get(reverse("directory:map_export", args=[workspace.slug, actor_map.pk, fmt]))  # noqa: E731
    graphml = nx.read_graphml(io.BytesIO(export("graphml").content))
    assert graphml.number_of_nodes() == 3 and graphml.number_of_edges() == 2
    assert b"<gexf" in export("gexf").content
    csv_text = export("csv").content.decode()
    assert csv_text.count("\n") == 3 and "Financeur" in csv_text
    svg = export("svg").content.decode()
    assert svg.startswith("<svg") and svg.count("<circle") == 3 and "Carte de la CTG" in svg
    assert json.loads(export("geojson").content)["type"] == "FeatureCollection"
    assert export("exe").status_code == 404


def test_private_people_hidden_from_shared_graph(actor_map, workspace, karim):
    from django.utils import timezone

    from maillage.directory.services import person_create

    person = person_create(
        actor=None, workspace=workspace, display_name="Mme R.", consent_given_at=timezone.now(),
        consent_scope="Membres seulement", show_publicly=False, roles=[],
    )  # fmt: skip
    maps.member_add(actor=karim, actor_map=actor_map, record=person)
    assert len(map_graph(actor_map, GraphOptions(can_see_private=True))["nodes"]) == 4
    assert len(map_graph(actor_map)["nodes"]) == 3
    assert ActorMapLink.objects.count() == 0


def test_api_map_links(client, actor_map, karim, paul, outsider):
    maps.import_directory_links(actor=karim, actor_map=actor_map)
    url = f"/api/v1/maps/{actor_map.pk}"
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(paul)
    data = client.get(url).json()
    assert data["name"] == "Carte de la CTG" and len(data["nodes"]) == 3 and len(data["edges"]) == 2
    assert client.get("/api/v1/maps/999999").status_code == 404


def test_scheme_actors(actor_map, workspace, oleron, karim):
    from maillage.directory.models import Scheme

    scheme = Scheme.objects.create(workspace=workspace, name="Convention territoriale globale", acronym="CTG")
    scheme.pilots.add(oleron["caf"], oleron["ccas"])
    scheme.funders.add(oleron["caf"])
    actor_map.schemes.add(scheme)
    assert (
        maps.add_scheme_actors(actor=karim, actor_map=actor_map) == 1
    )  # the scheme; the structures were there
    assert maps.add_scheme_actors(actor=karim, actor_map=actor_map) == 0
    kinds = sorted(link.kind.code for link in actor_map.links.select_related("kind"))
    assert kinds == ["co_pilote", "co_pilote", "financeur"]
    assert {n["kind"] for n in map_graph(actor_map)["nodes"]} == {"structure", "scheme"}
