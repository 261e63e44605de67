"""The public API (django-ninja) at /api/v1/.

Every error is typed: a JSON body {"error": {"code": ..., "message": ..., "details": ...}} with a 4xx status.
Each app contributes a router from its own api.py.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from maillage.accounts.api import router as accounts_router
from maillage.collectives.api import router as collectives_router
from maillage.diagnostics.api import router as diagnostics_router
from maillage.directory.api import router as directory_router
from maillage.practices.api import router as practices_router
from maillage.territories.api import router as territories_router
from maillage.workshops.api import router as workshops_router

api = NinjaAPI(
    title="Maillage API",
    version="1.0.0",
    description=(
        "API de Maillage, plateforme du développement social local. "
        "Authentification des logiciels partenaires : en-tête `Authorization: Bearer <jeton>` "
        "(jetons créés depuis la page « Mes données »). Les erreurs ont toujours la forme "
        '`{"error": {"code", "message", "details"}}`.'
    ),
    urls_namespace="api",
)


def error_response(request, status: int, code: str, message: str, details=None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return error_response(
        request, 422, "invalid_input", "Les paramètres envoyés ne sont pas valides.", exc.errors
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(request, 401, "not_authenticated", "Authentification requise (jeton ou session).")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error_response(request, 403, "forbidden", "Vous n'avez pas le droit de faire cela.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", str(exc) or "Introuvable.")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
    }
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


api.add_router("/", accounts_router)
api.add_router("/territories", territories_router)
api.add_router("/", directory_router)
api.add_router("/", diagnostics_router)
api.add_router("/practices", practices_router)
api.add_router("/collectives", collectives_router)
api.add_router("/workshops", workshops_router)
