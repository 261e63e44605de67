"""Builds docs/PERMISSIONS.md from the rules themselves, so the table cannot drift from the code."""

import rules
from django.contrib.auth.models import AnonymousUser

from maillage.workspaces.models import Role, Workspace
from maillage.workspaces.rules import PERMISSIONS

VISIBILITY_SHORT = {"public": "public", "members": "restreint", "private": "privé"}


class _Persona:
    """A stand-in user whose role is pre-set in the same cache the predicates read."""

    is_authenticated = True
    is_superuser = False
    is_active = True

    def __init__(self, role):
        self._maillage_roles = {-1: role}


def _cell(perm: str, user) -> str:
    allowed = [
        v for v in Workspace.Visibility.values if rules.has_perm(perm, user, Workspace(pk=-1, visibility=v))
    ]
    if len(allowed) == len(Workspace.Visibility.values):
        return "oui"
    if not allowed:
        return "non"
    return "si " + " ou ".join(VISIBILITY_SHORT[v] for v in allowed)


def build_table() -> str:
    columns = [(label, _Persona(role)) for role, label in Role.choices]
    columns += [("Connecté, non membre", _Persona(None)), ("Anonyme", AnonymousUser())]
    header = "| Action | " + " | ".join(str(label).split(" ou ")[0] for label, _ in columns) + " |"
    lines = [
        "# Permissions — who may do what in a workspace",
        "",
        "Generated from `maillage/workspaces/rules.py` by `python manage.py permissions_table`;",
        "a test fails when this file and the rules disagree. Visibility of a workspace: *public* (anyone sees it),",
        "*restreint* (listed, content for members), *privé* (hidden from non-members). Platform superusers",
        "(`is_superuser`) may see and administer every workspace.",
        "",
        header,
        "|" + "---|" * (len(columns) + 1),
    ]
    for perm, (_predicate, description) in PERMISSIONS.items():
        cells = " | ".join(_cell(perm, user) for _, user in columns)
        lines.append(f"| {description} (`{perm}`) | {cells} |")
    lines += [
        "",
        "Rules of thumb: an *animateur* may invite people to any role but administrateur; only an *administrateur*",
        "changes roles; a workspace always keeps at least one administrateur. Later modules add their own rows.",
        "",
    ]
    return "\n".join(lines)
