"""The geographic map (Leaflet, clustered markers, filters shared with the search) and the graph of the whole
directory (Cytoscape), each with its list alternative."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from maillage.directory import geo
from maillage.directory import graph as graphs_facade
from maillage.directory.choices import THEMATIQUE_CATEGORY_CHOICES, LegalForm
from maillage.directory.models import Category
from maillage.directory.search_index import FACETS
from maillage.directory.selectors import SearchParams
from maillage.workspaces.rules import get_workspace_for_user

DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© les contributeurs d'OpenStreetMap"


def _params(request) -> SearchParams:
    return SearchParams(**{k: request.GET.get(k, "").strip()[:200] for k in ("q", *FACETS)})


def _crumbs(workspace, label):
    return [
        (workspace.name, workspace.get_absolute_url()),
        (_("Qui fait quoi"), reverse("directory:search", args=[workspace.slug])),
        (label, ""),
    ]


def geo_map(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    params = _params(request)
    points = geo.map_points(workspace, params)
    query = urlencode({k: v for k, v in [("q", params.q), *params.filters().items()] if v})
    context = {
        "workspace": workspace,
        "params": params,
        "points": points,
        "points_url": reverse("directory:geo_points", args=[slug]) + (f"?{query}" if query else ""),
        "tile_url": getattr(settings, "MAILLAGE_TILE_URL", DEFAULT_TILES),
        "attribution": getattr(settings, "MAILLAGE_TILE_ATTRIBUTION", DEFAULT_ATTRIBUTION),
        "headings": Category.objects.filter(parent__isnull=True),
        "thematiques": THEMATIQUE_CATEGORY_CHOICES,
        "kinds": LegalForm.choices,
        "query": query,
        "crumbs": _crumbs(workspace, _("Carte des acteurs")),
    }
    return render(request, "directory/geo_map.html", context)


def geo_points(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    return JsonResponse(geo.as_geojson(geo.map_points(workspace, _params(request))))


def graph_page(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    graph = graphs_facade.workspace_graph(workspace)
    context = {
        "workspace": workspace,
        "graph": graph,
        "actors": graphs_facade.links_by_actor(graph),
        "graph_url": reverse("directory:graph_json", args=[slug]),
        "export_base": reverse("directory:graph", args=[slug]),
        "crumbs": _crumbs(workspace, _("Graphe des liens")),
    }
    return render(request, "directory/graph.html", context)


def graph_json(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    return JsonResponse(graphs_facade.workspace_graph(workspace))


def graph_export(request, slug, fmt):
    from maillage.directory.views.maps import export_graph

    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    if fmt not in ("svg", "graphml", "gexf", "csv", "geojson"):
        raise Http404
    return export_graph(graphs_facade.workspace_graph(workspace), fmt, workspace.name)
