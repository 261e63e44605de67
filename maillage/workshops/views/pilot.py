"""The facilitator's page and its actions (one small handler per action, each through a service)."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from maillage.workshops import forms, selectors, services
from maillage.workshops.models import Cluster, Contribution, Participant
from maillage.workshops.views._common import feedback, live_context, pilot_workshop

PHASE_ACTIONS = [
    ("start", _l("Démarrer ou reprendre")),
    ("pause", _l("Pause")),
    ("next", _l("Phase suivante")),
]


def _results(workshop) -> list[dict]:
    """Dots by role of the voters, most voted first (three queries)."""
    by_role = selectors.votes_by_role(workshop)
    ids = {k.split(":")[0]: [] for k in by_role}
    for key in by_role:
        kind, pk = key.split(":")
        ids[kind].append(int(pk))
    labels = {
        f"contribution:{pk}": t
        for pk, t in Contribution.objects.filter(pk__in=ids.get("contribution", [])).values_list("pk", "text")
    }
    labels |= {
        f"cluster:{pk}": _("Groupe « %(t)s »") % {"t": t}
        for pk, t in Cluster.objects.filter(pk__in=ids.get("cluster", [])).values_list("pk", "title")
    }
    roles = [value for value, _label in Participant.RoleAs.choices]
    rows = [
        {
            "label": labels.get(key, key),
            "counts": [counts.get(r, 0) for r in roles],
            "total": sum(counts.values()),
        }
        for key, counts in by_role.items()
    ]
    return sorted(rows, key=lambda r: -r["total"])


def pilot_extra(workshop) -> dict:
    participants = list(workshop.participants.all())
    return {
        "participants": participants,
        "projects": selectors.projects_of(workshop),
        "results": _results(workshop),
        "role_labels": dict(Participant.RoleAs.choices),
        "scribe_form": forms.ScribeForm(participants=participants),
        "phase_actions": PHASE_ACTIONS,
    }


def pilot(request, pk):
    workshop = pilot_workshop(request, pk)
    context = live_context(workshop, selectors.Viewer(selectors.PILOT))
    context.update(pilot_extra(workshop))
    context["board_url"] = reverse("workshops:board", args=[workshop.pk, workshop.board_key])
    context["crumbs"] = [
        (workshop.workspace.name, workshop.workspace.get_absolute_url()),
        (_("Ateliers"), reverse("workshops:list", args=[workshop.workspace.slug])),
        (workshop.title, ""),
    ]
    return render(request, "workshops/pilot.html", context)


def _contribution(workshop, value) -> Contribution:
    c = (
        Contribution.objects.filter(workshop=workshop, pk=int(value or 0))
        .select_related("author", "typed_by")
        .first()
    )
    if c is None:
        raise ValidationError(_("Post-it introuvable."))
    return c


def _cluster(workshop, value) -> Cluster | None:
    if not value:
        return None
    cluster = Cluster.objects.filter(workshop=workshop, pk=int(value)).first()
    if cluster is None:
        raise ValidationError(_("Groupe introuvable."))
    return cluster


def _phase(request, w, p):
    services.phase_control(
        actor=request.user, workshop=w, action=p.get("do", ""), phase_order=int(p.get("order") or 0) or None
    )
    return _("Phase mise à jour.")


def _hide(request, w, p):
    services.contribution_hide(
        actor=request.user,
        contribution=_contribution(w, p.get("id")),
        reason=p.get("reason", ""),
        hidden=p.get("hidden") != "0",
    )
    return _("Post-it masqué.") if p.get("hidden") != "0" else _("Post-it de nouveau visible.")


def _merge(request, w, p):
    services.contribution_merge(
        actor=request.user, contribution=_contribution(w, p.get("id")), into=_contribution(w, p.get("into"))
    )
    return _("Doublon fusionné.")


def _cluster_new(request, w, p):
    ids = [int(i) for i in p.getlist("contribution_ids") if i.isdigit()]
    services.cluster_create(
        actor=request.user,
        workshop=w,
        client_id=p.get("client_id") or uuid.uuid4(),
        title=p.get("title", ""),
        contribution_ids=ids,
        suggested=p.get("suggested") == "1",
    )
    return _("Groupe créé.")


def _cluster_rename(request, w, p):
    services.cluster_rename(actor=request.user, cluster=_cluster(w, p.get("id")), title=p.get("title", ""))
    return _("Groupe renommé.")


def _cluster_delete(request, w, p):
    services.cluster_delete(actor=request.user, cluster=_cluster(w, p.get("id")))
    return _("Groupe défait : ses post-it restent.")


def _move(request, w, p):
    services.contribution_move(
        actor=request.user, contribution=_contribution(w, p.get("id")), cluster=_cluster(w, p.get("cluster"))
    )
    return _("Post-it déplacé.")


def _reveal(request, w, p):
    services.votes_reveal(actor=request.user, workshop=w, revealed=p.get("revealed") != "0")
    return _("Votes dévoilés.") if p.get("revealed") != "0" else _("Votes cachés.")


def _project(request, w, p):
    services.project_create(
        actor=request.user,
        workshop=w,
        title=p.get("title", ""),
        cluster_id=int(p.get("cluster") or 0) or None,
        objective=p.get("objective", ""),
        first_steps=p.get("first_steps", ""),
        resources=p.get("resources", ""),
    )
    return _("Fiche projet créée.")


def _scribe(request, w, p):
    form = forms.ScribeForm(p, participants=w.participants.all())
    if not form.is_valid():
        raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
    data = form.cleaned_data
    who = data["on_behalf_of"]
    if not who:
        if not data["new_consent"]:
            raise ValidationError(
                _("Choisissez une personne, ou confirmez l'accord de la nouvelle personne.")
            )
        who = services.participant_add_by_scribe(
            actor=request.user,
            workshop=w,
            display_name=data["new_name"],
            role_as=data["new_role"] or "habitant",
            consent=True,
        ).pk
    services.contribution_post(
        workshop=w,
        client_id=data["client_id"],
        text=data["text"],
        participant=None,
        actor=request.user,
        on_behalf_of=who,
    )
    return _("Post-it saisi.")


def _close(request, w, p):
    when = forms.NextMeetingForm(p)
    if not when.is_valid():
        raise ValidationError(_("La date du prochain rendez-vous n'est pas valide."))
    collectives = services.workshop_close(
        actor=request.user, workshop=w, next_meeting_at=when.cleaned_data["next_meeting_at"]
    )
    return _("Atelier clos : %(n)d groupe(s) projet(s) créé(s).") % {"n": len(collectives)}


ACTIONS = {
    "phase": _phase,
    "masquer": _hide,
    "fusionner": _merge,
    "groupe": _cluster_new,
    "renommer": _cluster_rename,
    "defaire": _cluster_delete,
    "deplacer": _move,
    "votes": _reveal,
    "projet": _project,
    "saisir": _scribe,
    "clore": _close,
}


@require_POST
def pilot_action(request, pk, action):
    workshop = pilot_workshop(request, pk)
    if action == "suggestions":
        return suggestions(request, workshop)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("Action inconnue")
    url = reverse("workshops:pilot", args=[pk])
    try:
        message = handler(request, workshop, request.POST)
    except (ValidationError, PermissionDenied, ValueError) as error:
        return feedback(
            request, url, " ".join(getattr(error, "messages", [_("Action impossible.")])), error=True
        )
    return feedback(request, url, message)


def suggestions(request, workshop):
    try:
        groups = services.suggest_for_phase(actor=request.user, workshop=workshop)
        error = ""
    except ValidationError as exc:
        groups, error = [], " ".join(exc.messages)
    texts = dict(
        Contribution.objects.filter(
            workshop=workshop, pk__in=[i for g in groups for i in g["contribution_ids"]]
        ).values_list("pk", "text")
    )
    for g in groups:
        g["items"] = [(i, texts.get(i, "")) for i in g["contribution_ids"]]
    return render(
        request, "workshops/_suggestions.html", {"workshop": workshop, "groups": groups, "error": error}
    )
