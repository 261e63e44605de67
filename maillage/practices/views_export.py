"""PDF sheet of a practice, Atom feed of new publications, side-by-side comparison."""

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.pdf import pdf_response
from maillage.practices import selectors
from maillage.practices.models import Practice, Transformation
from maillage.practices.rules import get_practice_for_user

FEED_SIZE = 30


def _transformations(practice):
    viewpoints = dict(Transformation.Viewpoint.choices)
    return [(t.label or viewpoints[t.viewpoint], t) for t in practice.transformations.all()]


def practice_pdf(request, slug):
    practice = selectors.practice_detail(get_practice_for_user(request.user, slug))
    context = {
        "practice": practice,
        "transformations": _transformations(practice),
        "terms": set(),
        "url": request.build_absolute_uri(practice.get_absolute_url()),
    }
    return pdf_response("practices/pdf/practice.html", context, request=request, filename=practice.slug)


class PublicationsFeed(Feed):
    """Practices newly published for everyone (the feed is public: no workspace or network content)."""

    feed_type = Atom1Feed
    title = gettext_lazy("Maillage — nouvelles pratiques inspirantes")
    link = reverse_lazy("practices:list")
    subtitle = gettext_lazy("Les dernières pratiques de développement social publiées pour tout le monde.")

    def items(self):
        return (
            Practice.objects.filter(
                status=Practice.Status.PUBLISHED, scope=Practice.Scope.PUBLIC, published_at__isnull=False
            )
            .select_related("workspace")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.chapeau or item.context[:400]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.workspace.name if item.workspace_id else _("Contenu de référence national")


COMPARED = [
    ("chapeau", gettext_lazy("En bref")),
    ("public", gettext_lazy("Public")),
    ("objectives", gettext_lazy("Objectifs")),
    ("porteurs", gettext_lazy("Porteurs et partenaires")),
    ("context", gettext_lazy("Le contexte")),
    ("diagnostic", gettext_lazy("Diagnostic et enjeux")),
    ("project", gettext_lazy("Le projet")),
    ("project_participation", gettext_lazy("Participation citoyenne")),
    ("actions", gettext_lazy("Les actions réalisées")),
    ("evaluation", gettext_lazy("L'évaluation")),
    ("success_keys", gettext_lazy("Clés de la réussite")),
    ("vigilance", gettext_lazy("Points de vigilance")),
    ("resources", gettext_lazy("Moyens et financements")),
]


def _facts(practice) -> list[tuple[str, str]]:
    return [
        (_("Où ?"), ", ".join(t.name for t in practice.territories.all()) or ", ".join(practice.place_names)),
        (_("Échelle"), practice.get_scale_display() or "—"),
        (_("Type de territoire"), practice.get_setting_display() or "—"),
        (_("Fiches"), ", ".join(f"{f.number}" for f in practice.fiches.all()) or "—"),
        (_("Méthodes"), ", ".join(m.name for m in practice.methods.all()) or "—"),
        (_("Validation"), practice.get_validation_level_display()),
    ]


def practice_compare(request):
    slugs = [request.GET.get("a", ""), request.GET.get("b", "")]
    practices = [
        selectors.practice_detail(get_practice_for_user(request.user, s)) if s else None for s in slugs
    ]
    rows = []
    if all(practices):
        a, b = practices
        rows = [(_(label), fa, fb) for (label, fa), (_l, fb) in zip(_facts(a), _facts(b), strict=True)]
        rows += [(label, getattr(a, name), getattr(b, name)) for name, label in COMPARED]
        rows = [r for r in rows if r[1] or r[2]]
    query = request.GET.get("q", "")[:200]
    choices = []
    if practices[0] and not practices[1]:
        found = selectors.practice_search(request.user, q=query, limit=10, with_facets=False)
        choices = [p for p in found.items if p.slug != slugs[0]]
    context = {
        "practices": practices,
        "rows": rows,
        "query": query,
        "choices": choices,
        "slugs": slugs,
        "crumbs": [(_("Pratiques inspirantes"), reverse("practices:list")), (_("Comparer"), "")],
    }
    return render(request, "practices/compare.html", context)
