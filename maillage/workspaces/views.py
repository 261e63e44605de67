from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.accounts.forms import SignupForm
from maillage.core.models import AuditEvent
from maillage.territories.selectors import territory_search
from maillage.territories.services import perimeter_create
from maillage.workspaces import selectors, services
from maillage.workspaces.forms import (
    TERRITORY_KINDS,
    InvitationForm,
    MilestoneForm,
    NetworkForm,
    PerimeterForm,
    RoleForm,
    WorkspaceForm,
)
from maillage.workspaces.models import Invitation
from maillage.workspaces.rules import get_workspace_for_user


def workspace_list(request):
    return render(
        request, "workspaces/list.html", {"workspaces": selectors.workspaces_visible_to(request.user)}
    )


def workspace_home(request, slug):
    workspace = get_workspace_for_user(request.user, slug)
    timeline = selectors.workspace_timeline(workspace, request.user)
    context = {
        "workspace": workspace,
        "members_by_role": timeline["members_by_role"],
        "timeline": timeline,
        "milestone_form": MilestoneForm(),
    }
    return render(request, "workspaces/home.html", context)


def workspace_members(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "workspaces.view_members")
    can_manage = request.user.has_perm("workspaces.manage_members", workspace)
    form = InvitationForm(request.POST or None, can_grant_admin=can_manage)
    if (
        request.method == "POST"
        and request.user.has_perm("workspaces.invite_member", workspace)
        and form.is_valid()
    ):
        invitation = services.invitation_create(
            actor=request.user,
            workspace=workspace,
            base_url=request.build_absolute_uri("/")[:-1],
            **form.cleaned_data,
        )
        messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
        return redirect("workspaces:members", slug=slug)
    context = {
        "workspace": workspace,
        "members": selectors.workspace_members(workspace),
        "invitations": workspace.invitations.filter(accepted_at__isnull=True),
        "form": form,
        "can_manage": can_manage,
        "role_form": RoleForm(),
    }
    return render(request, "workspaces/members.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def member_set_role(request, slug, user_id):
    workspace = get_workspace_for_user(request.user, slug, "workspaces.manage_members")
    member = get_object_or_404(get_user_model(), pk=user_id, memberships__workspace=workspace)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(
                actor=request.user, workspace=workspace, user=member, role=form.cleaned_data["role"]
            )
            messages.success(request, _("Rôle de %(name)s mis à jour.") % {"name": member.display_label})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("workspaces:members", slug=slug)


@login_required
@require_POST
def milestone_add(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "workspaces.manage_milestones")
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_add(
            actor=request.user,
            workspace=workspace,
            title=form.cleaned_data["title"],
            when=form.cleaned_data["date"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("Étape ajoutée."))
    else:
        messages.error(request, _("Donnez un intitulé et une date valide (jj/mm/aaaa)."))
    return redirect(workspace)


def audit_log(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "workspaces.view_audit_log")
    events = AuditEvent.objects.filter(workspace=workspace)[:200]
    return render(request, "workspaces/audit_log.html", {"workspace": workspace, "events": events})


def invitation_accept(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("workspace"), token=token)
    if not invitation.is_usable:
        return render(request, "workspaces/invitation_invalid.html", {"invitation": invitation}, status=410)
    if request.user.is_authenticated:
        return _invitation_join(request, invitation)
    return _invitation_signup(request, invitation)


def _invitation_join(request, invitation):
    """A person who already has an account joins the workspace."""
    if request.method != "POST":
        return render(request, "workspaces/invitation_accept.html", {"invitation": invitation})
    services.invitation_accept(invitation=invitation, user=request.user)
    messages.success(
        request, _("Bienvenue dans l'espace « %(name)s ».") % {"name": invitation.workspace.name}
    )
    return redirect(invitation.workspace)


def _invitation_signup(request, invitation):
    """A newcomer creates an account from the invitation (its e-mail) and joins."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password"],
                accepted_privacy_notice=form.cleaned_data["accept_privacy"],
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            welcome = _("Votre compte est créé. Bienvenue dans « %(name)s ».")
            messages.success(request, welcome % {"name": invitation.workspace.name})
            return redirect(invitation.workspace)
    context = {"invitation": invitation, "form": form}
    return render(request, "workspaces/invitation_signup.html", context, status=400 if form.errors else 200)


@login_required
def workspace_create(request):
    if not (settings.MAILLAGE_OPEN_WORKSPACE_CREATION or request.user.is_staff):
        raise Http404
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace = services.workspace_create(creator=request.user, **form.cleaned_data)
        messages.success(
            request, _("L'espace est créé : vous en êtes l'administrateur ou l'administratrice.")
        )
        return redirect(workspace)
    return render(
        request, "workspaces/form.html", {"form": form, "creating": True}, status=400 if form.errors else 200
    )


@login_required
def workspace_settings(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "workspaces.change_workspace")
    initial = {
        "name": workspace.name,
        "description": workspace.description,
        "visibility": workspace.visibility,
        "territory": f"{workspace.territory.name} ({workspace.territory.code})"
        if workspace.territory
        else "",
    }
    form = WorkspaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.workspace_update(actor=request.user, workspace=workspace, **form.cleaned_data)
        messages.success(request, _("Les réglages de l'espace sont enregistrés."))
        return redirect("workspaces:settings", slug=slug)
    context = {
        "form": form,
        "workspace": workspace,
        "network_form": NetworkForm(queryset=selectors.possible_network_heads(workspace, request.user)),
        "heads": workspace.publishes_to.all(),
        "network_members": workspace.network_members.all(),
        "perimeters": workspace.perimeters.all(),
    }
    return render(request, "workspaces/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def workspace_network(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "workspaces.change_workspace")
    if "remove" in request.POST:
        head = get_object_or_404(workspace.publishes_to, pk=request.POST["remove"])
        services.workspace_unpublish_from(actor=request.user, workspace=workspace, head=head)
        messages.success(request, _("Cet espace ne publie plus vers « %(name)s ».") % {"name": head.name})
        return redirect("workspaces:settings", slug=slug)
    form = NetworkForm(request.POST, queryset=selectors.possible_network_heads(workspace, request.user))
    if form.is_valid():
        head = form.cleaned_data["head"]
        services.workspace_publish_to(actor=request.user, workspace=workspace, head=head)
        messages.success(request, _("Cet espace publie maintenant vers « %(name)s ».") % {"name": head.name})
    else:
        messages.error(request, _("Choisissez un espace dans la liste."))
    return redirect("workspaces:settings", slug=slug)


def territory_options(request):
    """<option>s for the territory field's <datalist>, refreshed by HTMX as the person types."""
    query = request.GET.get("territory", "").strip()
    territories = territory_search(query, kinds=TERRITORY_KINDS, limit=10) if len(query) >= 2 else []
    return render(request, "workspaces/_territory_options.html", {"territories": territories})


@login_required
def perimeter_add(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "workspaces.change_workspace")
    form = PerimeterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            perimeter = perimeter_create(
                actor=request.user,
                workspace=workspace,
                name=data["name"],
                kind=data["kind"],
                code=data["code"],
                description=data["description"],
                commune_codes=data["commune_codes"].replace(",", " ").split(),
                geojson=data["geojson"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le périmètre « %(name)s » est créé.") % {"name": perimeter.name})
            return redirect(perimeter)
    context = {"form": form, "workspace": workspace}
    return render(request, "workspaces/perimeter_form.html", context, status=400 if form.errors else 200)
