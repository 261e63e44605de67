import json
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from maillage.core.text import fold
from maillage.practices import selectors, textindex
from maillage.practices.export import practice_json, practice_markdown
from maillage.practices.falc import falc_summary
from maillage.practices.forms import PracticeSearchForm, RecommendationSearchForm
from maillage.practices.models import Fundamental, Obstacle, Transformation, WorkModel
from maillage.practices.porteurs import structures_visible_to
from maillage.practices.rules import get_practice_for_user


@dataclass
class _Page:
    """Enough of a Django Page for components/pagination.html."""

    number: int
    num_pages: int

    @property
    def paginator(self):
        return self

    def has_other_pages(self):
        return self.num_pages > 1

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def _num_pages(result, page: int) -> int:
    if result.capped:  # uncounted: offer the next page while pages are full
        return page + 1 if len(result.items) == selectors.PAGE_SIZE else page
    return max(1, -(-result.total // selectors.PAGE_SIZE))


def practice_list(request):
    form = PracticeSearchForm(request.GET or None)
    filters = form.filters()
    page = (form.cleaned_data.get("page") if form.is_bound and form.is_valid() else None) or 1
    offset = (page - 1) * selectors.PAGE_SIZE
    result = selectors.practice_search(request.user, **filters, offset=offset)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "result": result,
        "page_obj": _Page(page, _num_pages(result, page)),
        "query_string": params.urlencode(),
        "active_filters": any(v for k, v in filters.items() if k != "q"),
        "my_workspaces": _my_workspaces(request.user) if not request.headers.get("HX-Request") else [],
    }
    template = "practices/_results.html" if request.headers.get("HX-Request") else "practices/list.html"
    return render(request, template, context, status=400 if form.errors else 200)


def _my_workspaces(user):
    """The workspaces where this person may write practices (links to import, capitalise, review)."""
    if not user.is_authenticated:
        return []
    from maillage.workspaces.models import Workspace

    return list(Workspace.objects.filter(memberships__user=user).order_by("name").only("name", "slug"))


def practice_detail(request, slug):
    practice = selectors.practice_detail(get_practice_for_user(request.user, slug))
    terms = set(textindex.query_terms(request.GET.get("q", "")))
    viewpoints = dict(Transformation.Viewpoint.choices)
    context = {
        "practice": practice,
        "terms": terms,
        "similar": selectors.similar_practices(practice, request.user),
        "transformations": [(t.label or viewpoints[t.viewpoint], t) for t in practice.transformations.all()],
        "crumbs": [(_("Pratiques inspirantes"), "/pratiques/"), (practice.title, "")],
        "structures": structures_visible_to(request.user)
        .filter(pk__in=practice.porteur_structures.values("pk"))
        .select_related("workspace")
        .only("name", "workspace__slug"),
        "can_contact": practice.contact and request.user.has_perm("practices.contact_porteur", practice),
        "can_workflow": request.user.has_perm("practices.edit", practice)
        or request.user.has_perm("practices.review", practice),
    }
    return render(request, "practices/detail.html", context)


def practice_summary(request, slug):
    practice = selectors.practice_detail(get_practice_for_user(request.user, slug))
    return render(request, "practices/summary.html", {"practice": practice, "falc": falc_summary(practice)})


def practice_export_markdown(request, slug):
    practice = selectors.practice_detail(get_practice_for_user(request.user, slug))
    response = HttpResponse(
        practice_markdown(practice, base_url=request.build_absolute_uri("/")[:-1]),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{practice.slug}.md"'
    return response


def practice_export_json(request, slug):
    practice = selectors.practice_detail(get_practice_for_user(request.user, slug))
    data = practice_json(practice, base_url=request.build_absolute_uri("/")[:-1])
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{practice.slug}.json"'
    return response


def referentials(request):
    context = {
        "fundamentals": Fundamental.objects.all(),
        "obstacles": Obstacle.objects.all(),
        "models": WorkModel.objects.all(),
        "fiches": selectors.fiches_with_counts(request.user),
        "levers": selectors.levers_with_proposals(),
        "methods_count": selectors.methods_with_counts(request.user).count(),
    }
    return render(request, "practices/referentials.html", context)


def fiche_list(request):
    return render(request, "practices/fiches.html", {"fiches": selectors.fiches_with_counts(request.user)})


def lever_list(request):
    return render(request, "practices/levers.html", {"levers": selectors.levers_with_proposals()})


def method_list(request):
    return render(request, "practices/methods.html", {"methods": selectors.methods_with_counts(request.user)})


def recommendation_list(request):
    form = RecommendationSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    recommendations, words = selectors.recommendation_search(query)
    items = list(recommendations)
    for item in items:
        item.marked = _mark_words(item.preconisation, words)
        item.levers_marked = _mark_words(item.levers, words)
    context = {"form": form, "recommendations": items, "query": query}
    template = (
        "practices/_recommendations.html"
        if request.headers.get("HX-Request")
        else "practices/recommendations.html"
    )
    return render(request, template, context)


def _mark_words(text: str, words: list[str]):
    """Escaped text with <mark> around words containing one of the (folded) query words."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    if not words:
        return escape(text)
    out, last = [], 0
    for word in textindex.words(text):
        if any(w in fold(text[word.start : word.end]) for w in words):
            out += [escape(text[last : word.start]), f"<mark>{escape(text[word.start : word.end])}</mark>"]
            last = word.end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - pieces escaped
