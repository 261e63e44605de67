"""Builds docs/PERMISSIONS.md from the rules themselves, so the table cannot drift from the code."""

import importlib

import rules
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from maillage.workspaces.models import Role, Workspace

VISIBILITY_SHORT = {"public": "public", "members": "restreint", "private": "privé"}


class _Persona:
    """A stand-in user whose role is pre-set in the same cache the predicates read."""

    is_authenticated = True
    is_superuser = False
    is_staff = False
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


def _module_permissions():
    """(app label, {perm: (predicate, object kind, description)}) for every app whose rules.py has PERMISSIONS.

    Object kind is "workspace" (checked on the workspace: shown in the table) or another object (checked on
    that object, e.g. a collective: listed under the table with its description).
    """
    for app in apps.get_app_configs():
        if not app.name.startswith("maillage."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.rules")
        except ModuleNotFoundError:
            continue
        permissions = getattr(module, "PERMISSIONS", None)
        if permissions:
            # (predicate, description) is the workspaces app's own short form; other apps say what the
            # permission is checked on: (predicate, "workspace" or an object name, description).
            default_target = "workspace" if app.label == "workspaces" else "object"
            normalised = {
                name: (entry[0], default_target, entry[1]) if len(entry) == 2 else entry
                for name, entry in permissions.items()
            }
            yield app, normalised


def build_table() -> str:
    columns = [(label, _Persona(role)) for role, label in Role.choices]
    columns += [("Connecté, non membre", _Persona(None)), ("Anonyme", AnonymousUser())]
    header = "| Action | " + " | ".join(str(label).split(" ou ")[0] for label, _ in columns) + " |"
    lines = [
        "# Permissions — who may do what in a workspace",
        "",
        "Generated from the `PERMISSIONS` of each app's `rules.py` by `python manage.py permissions_table`;",
        "a test fails when this file and the rules disagree. Visibility of a workspace: *public* (anyone sees it),",
        "*restreint* (listed, content for members), *privé* (hidden from non-members). Platform superusers",
        "(`is_superuser`) may see and administer every workspace.",
    ]
    for app, permissions in _module_permissions():
        lines += ["", f"## {str(app.verbose_name).capitalize()}"]
        on_workspace = [(p, d) for p, (_pred, target, d) in permissions.items() if target == "workspace"]
        on_objects = [(p, t, d) for p, (_pred, t, d) in permissions.items() if t != "workspace"]
        if on_workspace:
            lines += ["", header, "|" + "---|" * (len(columns) + 1)]
            for perm, description in on_workspace:
                cells = " | ".join(_cell(perm, user) for _, user in columns)
                lines.append(f"| {description} (`{perm}`) | {cells} |")
        if on_objects:
            lines += [
                "",
                "Checked on each object rather than on the workspace (see the app's `rules.py`):",
                "",
            ]
            lines += [
                f"- {description} (`{perm}`, on the {target})" for perm, target, description in on_objects
            ]
    lines += [
        "",
        "Rules of thumb: an *animateur* may invite people to any role but administrateur; only an *administrateur*",
        "changes roles; a workspace always keeps at least one administrateur.",
        "",
    ]
    return "\n".join(lines)
