"""Cartes d'acteurs: list, the OUTIL 4 wizard, the map page (graph, list, inclusivity check), cartopartie
(proposals refreshed every few seconds), review, the read-only shared link, graph JSON and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.directory import graph as graphs
from maillage.directory import graph_export, maps
from maillage.directory.map_forms import (
    MapLinkForm,
    MemberForm,
    NetworksForm,
    PerimeterForm,
    PurposeForm,
    SchemesForm,
)
from maillage.directory.models import ActorMap, ActorMapLink, ActorMapMember, ProposalStatus
from maillage.workspaces.rules import get_workspace_for_user

STEPS = [
    (1, gettext_lazy("Finalité et légende")),
    (2, gettext_lazy("Périmètre")),
    (3, gettext_lazy("Dispositifs")),
    (4, gettext_lazy("Acteurs")),
    (5, gettext_lazy("Liens")),
    (6, gettext_lazy("Réseaux")),
]


def _map(request, slug, pk, perm="directory.view"):
    workspace = get_workspace_for_user(request.user, slug, perm)
    return workspace, get_object_or_404(
        ActorMap.objects.select_related("workspace"), workspace=workspace, pk=pk
    )


def _crumbs(workspace, *more):
    return [
        (workspace.name, workspace.get_absolute_url()),
        (_("Qui fait quoi"), reverse("directory:search", args=[workspace.slug])),
        (_("Cartes d'acteurs"), reverse("directory:map_list", args=[workspace.slug])),
        *more,
    ]


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or request.GET.get("here") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if ok and target.startswith("/") else default


def map_list(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.view")
    context = {
        "workspace": workspace,
        "maps": ActorMap.objects.filter(workspace=workspace),
        "can_create": request.user.has_perm("directory.animate", workspace),
        "crumbs": _crumbs(workspace)[:-1] + [(_("Cartes d'acteurs"), "")],
    }
    return render(request, "directory/maps/list.html", context)


@login_required
def map_create(request, slug):
    workspace = get_workspace_for_user(request.user, slug, "directory.animate")
    form = PurposeForm(request.POST or None, legend=maps.DEFAULT_LEGEND, initial={"version": 0})
    if request.method == "POST" and form.is_valid():
        try:
            actor_map = maps.actor_map_create(
                actor=request.user,
                workspace=workspace,
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                legend=form.legend_items(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("directory:map_step", slug=slug, pk=actor_map.pk, step=2)
    context = {"workspace": workspace, "form": form, "step": 1, "steps": STEPS, "actor_map": None}
    context["crumbs"] = _crumbs(workspace, (_("Nouvelle carte"), ""))
    return render(request, "directory/maps/wizard.html", context, status=400 if form.errors else 200)


def _step_form(step: int, actor_map: ActorMap, data):
    workspace, initial = actor_map.workspace, {"version": actor_map.version}
    if step == 1:
        initial |= {"name": actor_map.name, "purpose": actor_map.purpose}
        return PurposeForm(data, legend=actor_map.legend, initial=initial)
    if step == 2:
        codes = " ".join(t.code for t in actor_map.perimeter_territories.all())
        initial |= {
            "codes": codes,
            "perimeter_note": actor_map.perimeter_note,
            "perimeters": list(actor_map.perimeter_perimeters.all()),
        }
        return PerimeterForm(data, workspace=workspace, initial=initial)
    if step == 3:
        return SchemesForm(
            data, workspace=workspace, initial=initial | {"schemes": list(actor_map.schemes.all())}
        )
    if step == 6:
        return NetworksForm(
            data, workspace=workspace, initial=initial | {"networks": list(actor_map.networks.all())}
        )
    return None


def _save_step(step: int, form, actor, actor_map: ActorMap) -> None:
    d = form.cleaned_data
    values = {"actor": actor, "actor_map": actor_map, "version": d["version"], "step": step + 1}
    if step == 1:
        maps.actor_map_update(**values, name=d["name"], purpose=d["purpose"], legend=form.legend_items())
    elif step == 2:
        maps.actor_map_update(
            **values, territories=d["codes"], perimeters=d["perimeters"], perimeter_note=d["perimeter_note"]
        )
    elif step == 3:
        maps.actor_map_update(**values, schemes=d["schemes"])
    elif step == 6:
        maps.actor_map_update(**values, networks=d["networks"])


@login_required
def map_step(request, slug, pk, step):
    workspace, actor_map = _map(request, slug, pk, "directory.animate")
    if step not in dict(STEPS):
        raise Http404
    form = _step_form(step, actor_map, request.POST or None)
    if request.method == "POST":
        if form is None:  # steps 4 and 5: their items are added one by one; "continue" moves on
            maps.actor_map_update(
                actor=request.user, actor_map=actor_map, version=actor_map.version, step=step + 1
            )
            return redirect("directory:map_step", slug=slug, pk=pk, step=step + 1)
        if form.is_valid():
            try:
                _save_step(step, form, request.user, actor_map)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if step == 6:
                    messages.success(
                        request, _("La carte « %(name)s » est prête.") % {"name": actor_map.name}
                    )
                    return redirect(actor_map)
                return redirect("directory:map_step", slug=slug, pk=pk, step=step + 1)
    context = {
        "workspace": workspace,
        "actor_map": actor_map,
        "form": form,
        "step": step,
        "steps": STEPS,
        "here": request.path,
        "crumbs": _crumbs(
            workspace, (actor_map.name, actor_map.get_absolute_url()), (_("Étape %d") % step, "")
        ),
    }
    if step in (4, 5):
        context |= _edit_context(request, actor_map)
    return render(
        request,
        "directory/maps/wizard.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )


def _lists_context(request, actor_map: ActorMap) -> dict:
    workspace = actor_map.workspace
    return {
        "members": maps.map_members(actor_map),
        "links": maps.map_links(actor_map),
        "can_review": request.user.has_perm("directory.animate", workspace),
        "can_contribute": request.user.has_perm("directory.contribute", workspace),
    }


def _edit_context(request, actor_map: ActorMap, member_form=None, link_form=None) -> dict:
    return _lists_context(request, actor_map) | {
        "member_form": member_form or MemberForm(actor_map=actor_map),
        "link_form": link_form or MapLinkForm(actor_map=actor_map),
    }


def map_detail(request, slug, pk):
    workspace, actor_map = _map(request, slug, pk)
    can_see_private = request.user.has_perm("directory.view_private", workspace)
    graph = graphs.map_graph(actor_map, graphs.GraphOptions(can_see_private=can_see_private))
    context = {
        "workspace": workspace,
        "actor_map": actor_map,
        "graph": graph,
        "actors": graphs.links_by_actor(graph),
        "inclusivity": maps.inclusivity(actor_map),
        "can_animate": request.user.has_perm("directory.animate", workspace),
        "can_contribute": request.user.has_perm("directory.contribute", workspace),
        "graph_url": reverse("directory:map_graph", args=[slug, pk]),
        "export_base": reverse("directory:map_detail", args=[slug, pk]),
        "share_url": request.build_absolute_uri(
            reverse("directory:map_shared", args=[actor_map.share_token])
        ),
        "pending": sum(1 for n in graph["nodes"] if n["status"] == ProposalStatus.PROPOSED)
        + sum(1 for e in graph["edges"] if e["status"] == ProposalStatus.PROPOSED),
        "crumbs": _crumbs(workspace, (actor_map.name, "")),
    }
    return render(request, "directory/maps/detail.html", context)


def map_edit(request, slug, pk):
    """Cartopartie: everyone who may contribute proposes actors and links; the lists refresh every few seconds."""
    workspace, actor_map = _map(request, slug, pk, "directory.contribute")
    context = {"workspace": workspace, "actor_map": actor_map, "here": request.path}
    context |= _edit_context(request, actor_map)
    context["crumbs"] = _crumbs(
        workspace, (actor_map.name, actor_map.get_absolute_url()), (_("Contribuer"), "")
    )
    return render(request, "directory/maps/edit.html", context)


def map_items(request, slug, pk):
    """The HTMX-refreshed lists of actors and links (with their status) of the cartopartie page."""
    workspace, actor_map = _map(request, slug, pk)
    only = request.GET.get("only")
    context = {
        "workspace": workspace,
        "actor_map": actor_map,
        "here": _back(request, ""),
        "only_members": only == "members",
        "only_links": only == "links",
    }
    context |= _lists_context(request, actor_map)
    return render(request, "directory/maps/_items.html", context)


@login_required
@require_POST
def member_add(request, slug, pk):
    workspace, actor_map = _map(request, slug, pk, "directory.contribute")
    form = MemberForm(request.POST, actor_map=actor_map)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member = maps.member_add(actor=request.user, actor_map=actor_map, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = (
                _("« %(name)s » est sur la carte.")
                if member.status == ProposalStatus.VALIDATED
                else _("« %(name)s » est proposé : un animateur ou une animatrice va le valider.")
            )
            messages.success(request, done % {"name": member.record})
            return redirect(_back(request, reverse("directory:map_edit", args=[slug, pk])))
    return _edit_errors(request, actor_map, member_form=form)


@login_required
@require_POST
def link_add(request, slug, pk):
    workspace, actor_map = _map(request, slug, pk, "directory.contribute")
    form = MapLinkForm(request.POST, actor_map=actor_map)
    if form.is_valid():
        try:
            link = maps.map_link_add(actor=request.user, actor_map=actor_map, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = (
                _("Le lien est sur la carte.")
                if link.status == ProposalStatus.VALIDATED
                else _("Le lien est proposé : un animateur ou une animatrice va le valider.")
            )
            messages.success(request, done)
            return redirect(_back(request, reverse("directory:map_edit", args=[slug, pk])))
    return _edit_errors(request, actor_map, link_form=form)


def _edit_errors(request, actor_map, **forms):
    here = _back(request, reverse("directory:map_edit", args=[actor_map.workspace.slug, actor_map.pk]))
    context = {"workspace": actor_map.workspace, "actor_map": actor_map, "here": here, "steps": STEPS}
    context |= _edit_context(request, actor_map, **forms)
    context["crumbs"] = _crumbs(
        actor_map.workspace, (actor_map.name, actor_map.get_absolute_url()), (_("Contribuer"), "")
    )
    return render(request, "directory/maps/edit.html", context, status=400)


@login_required
@require_POST
def import_links(request, slug, pk):
    workspace, actor_map = _map(request, slug, pk, "directory.animate")
    count = maps.import_directory_links(actor=request.user, actor_map=actor_map)
    messages.success(request, _("%(n)d liens connus de l'annuaire ajoutés à la carte.") % {"n": count})
    return redirect(_back(request, reverse("directory:map_step", args=[slug, pk, 5])))


@login_required
@require_POST
def scheme_actors(request, slug, pk):
    workspace, actor_map = _map(request, slug, pk, "directory.animate")
    count = maps.add_scheme_actors(actor=request.user, actor_map=actor_map)
    messages.success(request, _("%(n)d acteurs des dispositifs ajoutés à la carte.") % {"n": count})
    return redirect(_back(request, reverse("directory:map_step", args=[slug, pk, 4])))


@login_required
@require_POST
def review(request, slug, pk, what, item_pk):
    workspace, actor_map = _map(request, slug, pk, "directory.animate")
    model = {"acteur": ActorMapMember, "lien": ActorMapLink}.get(what)
    if model is None:
        raise Http404
    item = get_object_or_404(model, actor_map=actor_map, pk=item_pk)
    maps.proposal_review(actor=request.user, item=item, accept=request.POST.get("decision") == "accept")
    if request.headers.get("HX-Request"):
        return map_items(request, slug, pk)
    return redirect(_back(request, reverse("directory:map_edit", args=[slug, pk])))


def _graph_for(request, actor_map: ActorMap) -> dict:
    can_see_private = request.user.has_perm("directory.view_private", actor_map.workspace)
    return graphs.map_graph(actor_map, graphs.GraphOptions(can_see_private=can_see_private))


def map_graph(request, slug, pk):
    workspace, actor_map = _map(request, slug, pk)
    graph = _graph_for(request, actor_map)
    focus = request.GET.get("focus")
    return JsonResponse(graphs.neighbourhood(graph, focus) if focus else graph)


EXPORTS = {
    "graphml": ("application/graphml+xml", graph_export.to_graphml),
    "gexf": ("application/gexf+xml", graph_export.to_gexf),
    "csv": ("text/csv; charset=utf-8", graph_export.to_links_csv),
    "geojson": ("application/geo+json", graph_export.to_geojson),
}


def export_graph(graph: dict, fmt: str, name: str) -> HttpResponse:
    if fmt == "svg":
        body, content_type = graph_export.to_svg(graph, title=name), "image/svg+xml"
    elif fmt in EXPORTS:
        content_type, build = EXPORTS[fmt]
        body = build(graph)
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="carte-acteurs.{fmt}"'
    return response


def map_export(request, slug, pk, fmt):
    workspace, actor_map = _map(request, slug, pk)
    return export_graph(_graph_for(request, actor_map), fmt, actor_map.name)


def _shared(token: str) -> ActorMap:
    if len(token) < 20:
        raise Http404
    return get_object_or_404(ActorMap.objects.select_related("workspace"), share_token=token)


def map_shared(request, token):
    """Read-only view for whoever has the link: validated actors and links, people only if shown publicly."""
    actor_map = _shared(token)
    graph = graphs.map_graph(actor_map, graphs.GraphOptions(include_proposed=False))
    context = {
        "actor_map": actor_map,
        "graph": graph,
        "actors": graphs.links_by_actor(graph),
        "graph_url": reverse("directory:map_shared_graph", args=[token]),
        "export_base": reverse("directory:map_shared", args=[token]),
        "shared": True,
        "crumbs": [(actor_map.name, "")],
    }
    return render(request, "directory/maps/shared.html", context)


def map_shared_graph(request, token):
    actor_map = _shared(token)
    return JsonResponse(graphs.map_graph(actor_map, graphs.GraphOptions(include_proposed=False)))


def map_shared_export(request, token, fmt):
    actor_map = _shared(token)
    graph = graphs.map_graph(actor_map, graphs.GraphOptions(include_proposed=False))
    return export_graph(graph, fmt, actor_map.name)
