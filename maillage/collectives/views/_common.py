"""Helpers shared by the collectives' views."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

MANAGE = "collectives.manage_collective"


def form_status(form) -> int:
    return 400 if form.errors else 200


def add_form_error(form, error: ValidationError) -> None:
    form.add_error(None, error)


def crumbs_for(collective, *extra):
    workspace = collective.workspace
    return [
        (workspace.name, workspace.get_absolute_url()),
        (_("Collectifs"), reverse("collectives:list", args=[workspace.slug])),
        (collective.name, collective.get_absolute_url()),
        *extra,
    ]


def render_collective(request, template, collective, context=None, *, status=200, crumbs=()):
    base = {
        "collective": collective,
        "workspace": collective.workspace,
        "crumbs": crumbs_for(collective, *crumbs),
    }
    return render(request, template, {**base, **(context or {})}, status=status)


def hx_fragment(request, template, context):
    """A partial answer to an HTMX request. Always 200 (errors included, with role="alert" summaries):
    htmx 2 does not swap 4xx answers; the same form without JS gets its 400 through the full page."""
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def save_versioned(form, save) -> tuple[bool, object]:
    """Run `save(**form.cleaned_data)` for co-edited text. On a stale version, keep what was typed, add
    the error and move the form's base version to the current one (saving again then overrides knowingly).
    Returns (saved, conflict)."""
    from maillage.collectives.services import StaleEdit

    try:
        save(**form.cleaned_data)
    except StaleEdit as stale:
        add_form_error(form, stale)
        form.data = form.data.copy()
        form.data["base_version"] = stale.current_version
        return False, stale
    except ValidationError as error:
        add_form_error(form, error)
        return False, None
    return True, None
