"""Writing, expertise and publication of a practice; capitalisation of a collective."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.practices import services, services_workflow
from maillage.practices.capitalise import practice_draft_from_collective
from maillage.practices.forms_network import AnswerForm, CommentForm, StatusForm, section_form
from maillage.practices.models import Practice
from maillage.practices.rules import get_practice_for_user
from maillage.workspaces.rules import get_workspace_for_user

NEXT_STEPS = {
    Practice.Status.DRAFT: [(Practice.Status.SUBMITTED, "practices.edit")],
    Practice.Status.SUBMITTED: [
        (Practice.Status.IN_REVIEW, "practices.review"),
        (Practice.Status.DRAFT, "practices.edit"),
    ],
    Practice.Status.IN_REVIEW: [
        (Practice.Status.PUBLISHED, "practices.publish"),
        (Practice.Status.DRAFT, "practices.review"),
    ],
    Practice.Status.PUBLISHED: [(Practice.Status.ARCHIVED, "practices.publish")],
    Practice.Status.ARCHIVED: [(Practice.Status.PUBLISHED, "practices.publish")],
}
STEP_LABELS = {
    Practice.Status.SUBMITTED: gettext_lazy("Soumettre à l'expertise"),
    Practice.Status.IN_REVIEW: gettext_lazy("Prendre en expertise"),
    Practice.Status.PUBLISHED: gettext_lazy("Publier"),
    Practice.Status.DRAFT: gettext_lazy("Revenir au brouillon"),
    Practice.Status.ARCHIVED: gettext_lazy("Archiver"),
}


def _workflow_practice(request, slug) -> Practice:
    practice = get_practice_for_user(request.user, slug)
    if not (
        request.user.has_perm("practices.edit", practice)
        or request.user.has_perm("practices.review", practice)
    ):
        raise Http404("Pratique introuvable")
    return practice


def _back(practice, anchor=""):
    return redirect(reverse("practices:workflow", args=[practice.slug]) + anchor)


@login_required
def workflow(request, slug):
    practice = _workflow_practice(request, slug)
    user = request.user
    comments = services_workflow.comments_by_section(practice)
    sent_back = services_workflow.open_sendbacks(practice)
    editing = request.GET.get("rubrique", "")
    sections = [
        {
            "key": key,
            "label": label,
            "values": [(Practice._meta.get_field(n).verbose_name, getattr(practice, n)) for n in names],
            "comments": comments.get(key, []),
            "sent_back": key in sent_back,
            "can_edit": services_workflow.can_edit_section(user, practice, key, sent_back),
            "form": section_form(key, practice) if editing == key else None,
        }
        for key, (label, names) in services_workflow.SECTIONS.items()
    ]
    steps = [
        (status, STEP_LABELS[status])
        for status, perm in NEXT_STEPS.get(practice.status, [])
        if user.has_perm(perm, practice)
    ]
    context = {
        "practice": practice,
        "sections": sections,
        "steps": steps,
        "scopes": Practice.Scope.choices,
        "can_review": user.has_perm("practices.review", practice) and practice.status == "en_expertise",
        "can_answer": user.has_perm("practices.edit", practice) and practice.status == "en_expertise",
        "comment_form": CommentForm(),
        "answer_form": AnswerForm(),
        "sources": practice.import_report.get("sources", {}),
        "crumbs": [
            (_("Pratiques inspirantes"), reverse("practices:list")),
            (practice.title, practice.get_absolute_url()),
            (_("Rédaction et expertise"), ""),
        ],
    }
    return render(request, "practices/workflow.html", context)


@login_required
@require_POST
def status_change(request, slug):
    practice = _workflow_practice(request, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez pour qui publier la pratique."))
        return _back(practice)
    try:
        services.practice_set_status(
            actor=request.user,
            practice=practice,
            status=form.cleaned_data["status"],
            scope=form.cleaned_data.get("scope") or None,
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [_("Action non permise.")])))
    else:
        messages.success(request, _("Statut : %(s)s.") % {"s": practice.get_status_display()})
    return _back(practice)


@login_required
def section_edit(request, slug, section):
    practice = _workflow_practice(request, slug)
    if not services_workflow.can_edit_section(request.user, practice, section):
        raise Http404("Rubrique non modifiable")
    form = section_form(section, practice, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_workflow.practice_section_update(
                actor=request.user, practice=practice, section=section, values=form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Rubrique enregistrée."))
            return _back(practice, f"#section-{section}")
    if request.method == "GET":
        return redirect(reverse("practices:workflow", args=[slug]) + f"?rubrique={section}#section-{section}")
    context = {"practice": practice, "form": form, "section": section}
    return render(request, "practices/section_edit.html", context, status=400)


@login_required
@require_POST
def comment_add(request, slug, section):
    practice = _workflow_practice(request, slug)
    answer = request.POST.get("answer") == "1"
    form = (AnswerForm if answer else CommentForm)(request.POST)
    if not form.is_valid():
        messages.error(request, _("Écrivez votre texte avant d'envoyer."))
        return _back(practice, f"#section-{section}")
    try:
        if answer:
            services_workflow.practice_comment_answer(
                actor=request.user, practice=practice, section=section, text=form.cleaned_data["text"]
            )
        else:
            services_workflow.practice_comment_add(
                actor=request.user,
                practice=practice,
                section=section,
                text=form.cleaned_data["text"],
                sends_back=form.cleaned_data["sends_back"],
            )
    except PermissionDenied as exc:
        raise Http404("Action non permise") from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(practice, f"#section-{section}")


@login_required
def capitalise(request, ws):
    workspace = get_workspace_for_user(request.user, ws, "practices.add_to_workspace")
    from maillage.collectives.models import Collective

    collectives = Collective.objects.filter(workspace=workspace).only("name", "slug", "purpose", "stage")
    if request.method == "POST":
        collective = collectives.filter(slug=request.POST.get("collective", "")).first()
        if collective is None:
            raise Http404("Collectif introuvable")
        collective.workspace = workspace
        practice = practice_draft_from_collective(actor=request.user, collective=collective)
        messages.success(request, _("Le brouillon est prêt : complétez-le avec le groupe."))
        return redirect(reverse("practices:workflow", args=[practice.slug]))
    context = {
        "workspace": workspace,
        "collectives": collectives,
        "crumbs": [
            (workspace.name, reverse("practices:workspace", args=[ws])),
            (_("Capitaliser un collectif"), ""),
        ],
    }
    return render(request, "practices/capitalise.html", context)
