"""API authentication: bearer tokens for partner software, the browser session for our own pages."""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from maillage.accounts.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`."""

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


# For endpoints that need a person: a token, or the browser session (CSRF-checked for writes).
AUTHENTICATED = [ApiTokenAuth(), django_auth]


def optional_user(request):
    """For public endpoints that show more to members: the token's user, the session's, or anonymous.

    A bearer token that is present but wrong is an error (401), never silently anonymous.
    """
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = api_token_authenticate(header[7:].strip())
        if user is None:
            raise AuthenticationError()
        request.user = user
    return request.user
