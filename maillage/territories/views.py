from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from maillage.territories import selectors
from maillage.territories.models import Territory

PAGE_SIZE = 50
SEARCH_LIMIT = 20


def _wants_partial(request) -> bool:
    """An HTMX request for the results only (not htmx restoring a page from its history)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _search_url() -> str:
    return reverse("territories:search")


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in Territory.Kind.values else None
    context = {
        "query": query,
        "kind": kind if kinds else "",
        "kind_choices": Territory.Kind.choices,
        "results": selectors.territory_search(query, kinds=kinds, limit=SEARCH_LIMIT) if query else [],
        "limit": SEARCH_LIMIT,
        "crumbs": [(_("Territoires"), "")],
    }
    partial = _wants_partial(request)
    template = "territories/_results.html" if partial else "territories/search.html"
    response = render(request, template, {**context, "oob": partial})
    patch_vary_headers(response, ["HX-Request"])
    return response


def detail(request, kind, code):
    territory = selectors.territory_get(kind, code)
    if territory is None:
        raise Http404(_("Territoire introuvable."))
    parents = selectors.territory_parents(territory)
    crumbs = [(_("Territoires"), _search_url())]
    crumbs += [(p.name, p.get_absolute_url()) for p in (parents["region"], parents["departement"]) if p]
    crumbs.append((territory.name, ""))
    context = {
        "territory": territory,
        "parents": parents,
        "page_obj": Paginator(selectors.territory_children(territory), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "perimeters": selectors.perimeters_containing(territory, user=request.user)
        if territory.is_commune_like
        else None,
        "crumbs": crumbs,
    }
    return render(request, "territories/detail.html", context)


def perimeter(request, pk):
    perimeter = selectors.perimeter_get(pk, user=request.user)
    if perimeter is None:
        raise Http404(_("Périmètre introuvable."))
    communes = selectors.perimeter_communes(perimeter)
    context = {
        "perimeter": perimeter,
        "page_obj": Paginator(communes, PAGE_SIZE).get_page(request.GET.get("page")),
        "crumbs": [(_("Territoires"), _search_url()), (perimeter.name, "")],
    }
    return render(request, "territories/perimeter.html", context)
