"""Every write about workspaces, memberships and invitations goes through here.

Services check the actor's right themselves (PermissionDenied), so views, API and commands share one gate.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.accounts.services import user_create
from maillage.core.registry import timeline_changed
from maillage.core.services import audit_record
from maillage.workspaces.models import Invitation, Membership, Milestone, Role, Workspace


def _require(actor, perm: str, workspace: Workspace) -> None:
    if actor is not None and not actor.has_perm(perm, workspace):
        raise PermissionDenied(perm)


def reserved_slugs() -> frozenset[str]:
    """Fixed first path segments under every module prefix ("/collectifs/notifications/",
    "/ateliers/rejoindre/"…): a workspace with that slug would be unreachable there."""
    global _RESERVED
    if _RESERVED is None:
        from django.urls import URLResolver, get_resolver

        found = set()
        for top in get_resolver().url_patterns:
            for pattern in getattr(top, "url_patterns", []):
                children = pattern.url_patterns if isinstance(pattern, URLResolver) else [pattern]
                for child in children:
                    segment = str(child.pattern).lstrip("^").split("/")[0]
                    if segment and "<" not in segment and "(" not in segment and "\\" not in segment:
                        found.add(segment.rstrip("$"))
        _RESERVED = frozenset(found)
    return _RESERVED


_RESERVED: frozenset[str] | None = None


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "espace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists() or slug in reserved_slugs():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def workspace_create(
    *,
    name: str,
    creator,
    visibility: str = Workspace.Visibility.MEMBERS,
    territory=None,
    description: str = "",
    slug: str = "",
) -> Workspace:
    """Create a workspace; its creator becomes its first administrateur."""
    workspace = Workspace.objects.create(
        name=name.strip(),
        slug=slug or _unique_slug(name),
        visibility=visibility,
        territory=territory,
        description=description,
    )
    if creator is not None:
        Membership.objects.create(workspace=workspace, user=creator, role=Role.ADMINISTRATEUR)
        audit_record(actor=creator, action="workspace.create", target=workspace, workspace=workspace)
    return workspace


@transaction.atomic
def workspace_update(
    *, actor, workspace: Workspace, name: str, description: str, visibility: str, territory=None
) -> Workspace:
    _require(actor, "workspaces.change_workspace", workspace)
    previous_visibility = workspace.visibility
    workspace.name = name.strip()
    workspace.description = description
    workspace.visibility = visibility
    workspace.territory = territory
    workspace.save(update_fields=["name", "description", "visibility", "territory"])
    if previous_visibility != visibility:
        audit_record(
            actor=actor,
            action="workspace.visibility_change",
            target=workspace,
            workspace=workspace,
            details={"from": previous_visibility, "to": visibility},
        )
    return workspace


@transaction.atomic
def membership_set_role(*, actor, workspace: Workspace, user, role: str) -> Membership:
    """Add a member or change their role. Keeps at least one administrateur."""
    _require(actor, "workspaces.manage_members", workspace)
    if role not in Role.values:
        raise ValidationError(_("Rôle inconnu : %(role)s") % {"role": role})
    membership = Membership.objects.select_for_update().filter(workspace=workspace, user=user).first()
    previous = membership.role if membership else None
    if previous == Role.ADMINISTRATEUR and role != Role.ADMINISTRATEUR:
        _ensure_other_admin(workspace, user)
    if membership is None:
        membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    else:
        membership.role = role
        membership.save(update_fields=["role"])
    timeline_changed(workspace.pk)
    audit_record(
        actor=actor,
        action="membership.role_change",
        target=membership,
        workspace=workspace,
        details={"user_id": user.pk, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, workspace: Workspace, user) -> None:
    if actor != user:
        _require(actor, "workspaces.manage_members", workspace)
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    if membership is None:
        return
    if membership.role == Role.ADMINISTRATEUR:
        _ensure_other_admin(workspace, user)
    membership.delete()
    timeline_changed(workspace.pk)
    audit_record(
        actor=actor,
        action="membership.remove",
        workspace=workspace,
        details={"user_id": user.pk, "role": membership.role},
    )


def _ensure_other_admin(workspace: Workspace, user) -> None:
    others = workspace.memberships.filter(role=Role.ADMINISTRATEUR).exclude(user=user)
    if not others.exists():
        raise ValidationError(_("L'espace doit garder au moins un administrateur ou une administratrice."))


@transaction.atomic
def invitation_create(
    *, actor, workspace: Workspace, email: str, role: str, base_url: str = ""
) -> Invitation:
    """Invite someone by e-mail. Animateurs may invite to any role but administrateur."""
    _require(actor, "workspaces.invite_member", workspace)
    if role == Role.ADMINISTRATEUR:
        _require(actor, "workspaces.manage_members", workspace)
    invitation = Invitation.objects.create(
        workspace=workspace, email=email.strip().lower(), role=role, invited_by=actor
    )
    context = {"invitation": invitation, "url": base_url + invitation.get_absolute_url(), "actor": actor}
    send_mail(
        subject=_("Invitation à rejoindre « %(name)s » sur Maillage") % {"name": workspace.name},
        message=render_to_string("workspaces/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    audit_record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        workspace=workspace,
        details={"role": role},
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user=None,
    display_name: str = "",
    password: str = "",
    accepted_privacy_notice: bool = False,
):
    """Accept an invitation, as the logged-in user or by creating an account. Returns the member."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("Cette invitation a déjà servi ou a expiré. Demandez-en une nouvelle."))
    if user is None:
        user = user_create(
            email=invitation.email,
            display_name=display_name,
            password=password,
            accepted_privacy_notice=accepted_privacy_notice,
        )
    membership, created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        action="invitation.accept",
        target=invitation,
        workspace=invitation.workspace,
        details={"role": membership.role, "new_membership": created},
    )
    return user


@transaction.atomic
def milestone_add(*, actor, workspace: Workspace, title: str, when: date, description: str = "") -> Milestone:
    _require(actor, "workspaces.manage_milestones", workspace)
    timeline_changed(workspace.pk)
    return Milestone.objects.create(
        workspace=workspace, title=title.strip(), date=when, description=description, created_by=actor
    )


@transaction.atomic
def workspace_publish_to(*, actor, workspace: Workspace, head: Workspace) -> None:
    """Join a network: `head` (e.g. the département's workspace) will see what `workspace` publishes to it."""
    _require(actor, "workspaces.change_workspace", workspace)
    if head == workspace:
        raise ValidationError(_("Un espace ne peut pas publier vers lui-même."))
    workspace.publishes_to.add(head)
    audit_record(
        actor=actor,
        action="workspace.network_join",
        target=workspace,
        workspace=workspace,
        details={"head": head.slug},
    )


@transaction.atomic
def workspace_unpublish_from(*, actor, workspace: Workspace, head: Workspace) -> None:
    _require(actor, "workspaces.change_workspace", workspace)
    workspace.publishes_to.remove(head)
    audit_record(
        actor=actor,
        action="workspace.network_leave",
        target=workspace,
        workspace=workspace,
        details={"head": head.slug},
    )
