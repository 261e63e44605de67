"""Contacter le porteur; working groups across workspaces (members, threads, documents, practices)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.practices import selectors
from maillage.practices import services_network as network
from maillage.practices.forms_network import (
    ContactForm,
    DocumentForm,
    GroupForm,
    LinkPracticeForm,
    MemberForm,
    MessageForm,
    ThreadForm,
)
from maillage.practices.models import GroupDocument, GroupThread, Practice, WorkingGroup
from maillage.practices.rules import get_group_for_user, get_practice_for_user


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def contact_porteur(request, slug):
    practice = get_practice_for_user(request.user, slug, "practices.contact_porteur")
    form = ContactForm(request.POST or None)
    reachable = network.porteur_reachable(practice)
    if request.method == "POST" and form.is_valid():
        try:
            network.practice_contact_porteur(
                actor=request.user, practice=practice, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Votre message est parti. Le porteur vous répondra par e-mail."))
            return redirect(practice.get_absolute_url())
    context = {
        "practice": practice,
        "form": form,
        "reachable": reachable,
        "crumbs": [
            (_("Pratiques inspirantes"), reverse("practices:list")),
            (practice.title, practice.get_absolute_url()),
            (_("Contacter le porteur"), ""),
        ],
    }
    return render(request, "practices/contact.html", context, status=400 if form.errors else 200)


@login_required
def group_list(request):
    groups = WorkingGroup.objects.filter(memberships__user=request.user).order_by("name")
    form = GroupForm(request.POST or None)
    can_create = request.user.has_perm("practices.create_group")
    if request.method == "POST" and can_create and form.is_valid():
        try:
            group = network.working_group_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(group.get_absolute_url())
    context = {
        "groups": groups,
        "form": form,
        "can_create": can_create,
        "crumbs": [(_("Pratiques inspirantes"), reverse("practices:list")), (_("Groupes de travail"), "")],
    }
    return render(request, "practices/groups.html", context, status=400 if form.errors else 200)


@login_required
def group_detail(request, slug):
    group = get_group_for_user(request.user, slug)
    visible = selectors.practices_visible_to(request.user).values("pk")
    practices = list(group.practices.filter(pk__in=visible).only("title", "slug"))
    context = {
        "group": group,
        "members": group.memberships.select_related("user").order_by("pk"),
        "threads": group.threads.select_related("practice", "created_by"),
        "documents": group.documents.select_related("uploaded_by"),
        "practices": practices,
        "can_manage": request.user.has_perm("practices.manage_group", group),
        "member_form": MemberForm(),
        "thread_form": ThreadForm(practices=practices),
        "document_form": DocumentForm(),
        "crumbs": [(_("Groupes de travail"), reverse("practices:groups")), (group.name, "")],
    }
    return render(request, "practices/group_detail.html", context)


def _group_post(request, slug, form, action, anchor):
    """Run `action(group, form)` for a valid form; errors come back as messages on the group page."""
    group = get_group_for_user(request.user, slug)
    if form.is_valid():
        try:
            result = action(group, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            raise Http404("Action non permise") from exc
        else:
            if isinstance(result, GroupThread):
                return redirect(reverse("practices:thread", args=[group.slug, result.pk]))
            return redirect(group.get_absolute_url() + anchor)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(group.get_absolute_url() + anchor)


@login_required
@require_POST
def group_add_member(request, slug):
    return _group_post(
        request,
        slug,
        MemberForm(request.POST),
        lambda g, d: network.working_group_add_member(actor=request.user, group=g, email=d["email"]),
        "#members",
    )


@login_required
@require_POST
def group_document(request, slug):
    return _group_post(
        request,
        slug,
        DocumentForm(request.POST, request.FILES),
        lambda g, d: network.document_share(actor=request.user, group=g, upload=d["file"]),
        "#documents",
    )


@login_required
@require_POST
def group_link_practice(request, slug):
    def link(group, data):
        practice = get_practice_for_user(request.user, data["practice"])
        network.working_group_link_practice(actor=request.user, group=group, practice=practice)

    return _group_post(request, slug, LinkPracticeForm(request.POST), link, "#practices")


@login_required
@require_POST
def thread_create(request, slug):
    def start(group, data):
        practice = None
        if data.get("practice"):
            practice = Practice.objects.filter(slug=data["practice"]).first()
        return network.thread_start(
            actor=request.user, group=group, title=data["title"], text=data["text"], practice=practice
        )

    group = get_group_for_user(request.user, slug)
    visible = selectors.practices_visible_to(request.user).values("pk")
    form = ThreadForm(request.POST, practices=group.practices.filter(pk__in=visible))
    return _group_post(request, slug, form, start, "#threads")


@login_required
def thread_detail(request, slug, pk):
    group = get_group_for_user(request.user, slug)
    thread = GroupThread.objects.filter(group=group, pk=pk).select_related("practice").first()
    if thread is None:
        raise Http404("Discussion introuvable")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network.message_post(actor=request.user, thread=thread, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(reverse("practices:thread", args=[slug, pk]) + "#reply")
    practice = thread.practice
    context = {
        "group": group,
        "thread": thread,
        "messages_list": thread.messages.select_related("author"),
        "practice": practice if practice and request.user.has_perm("practices.view", practice) else None,
        "form": form,
        "crumbs": [
            (_("Groupes de travail"), reverse("practices:groups")),
            (group.name, group.get_absolute_url()),
            (thread.title, ""),
        ],
    }
    return render(request, "practices/thread.html", context, status=400 if form.errors else 200)


@login_required
def document_download(request, slug, pk):
    group = get_group_for_user(request.user, slug)
    document = GroupDocument.objects.filter(group=group, pk=pk).first()
    if document is None:
        raise Http404("Document introuvable")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)
