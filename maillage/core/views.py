import os

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from maillage.workspaces.selectors import workspaces_visible_to


def home(request):
    workspaces = workspaces_visible_to(request.user)
    return render(request, "core/home.html", {"workspaces": workspaces})


def styleguide(request):
    paginator = Paginator(list(range(1, 95)), 10)
    page = paginator.get_page(request.GET.get("page", 3))
    crumbs = [(_("Composants d'interface"), "")]
    return render(request, "core/styleguide.html", {"page_obj": page, "crumbs": crumbs})


def privacy(request):
    return render(request, "core/privacy.html", {"version": settings.MAILLAGE_PRIVACY_NOTICE_VERSION})


def accessibility(request):
    return render(request, "core/accessibility.html")


@never_cache
def healthz(request):
    """Liveness and readiness: database reachable, Redis reachable when configured; names the process."""
    status = {"pid": os.getpid(), "database": connection.vendor, "redis": None}
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if settings.REDIS_URL:
        import redis

        status["redis"] = bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    response = JsonResponse(status)
    response["X-Maillage-Worker"] = str(os.getpid())
    return response


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
