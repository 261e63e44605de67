import os

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from maillage.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("healthz", include("maillage.core.health_urls")),
]
urlpatterns += i18n_patterns(
    path("", include("maillage.core.urls")),
    path("compte/", include("maillage.accounts.urls")),
    path("espaces/", include("maillage.workspaces.urls")),
    path("territoires/", include("maillage.territories.urls")),
    path("glossaire/", include("maillage.glossary.urls")),
    path("annuaire/", include("maillage.directory.urls")),
    path("observatoire/", include("maillage.diagnostics.urls")),
    path("pratiques/", include("maillage.practices.urls")),
    path("collectifs/", include("maillage.collectives.urls")),
    path("ateliers/", include("maillage.workshops.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if (
    os.environ.get("MAILLAGE_BENCH_VIEWS") == "1"
):  # `make bench` only: the baseline view for throughput ratios
    from django.http import HttpResponse

    urlpatterns.append(path("bench/bare", lambda request: HttpResponse("ok")))

if settings.DEBUG:  # pragma: no cover - development convenience only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "Maillage — administration"
admin.site.site_title = "Maillage"
