"""Network around practices: reaching a porteur through the platform, and working groups across workspaces."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillage.core.services import audit_record
from maillage.core.uploads import validate_upload
from maillage.practices.masking import EMAIL
from maillage.practices.models import (
    ContactRequest,
    GroupDocument,
    GroupMembership,
    GroupMessage,
    GroupThread,
    Practice,
    WorkingGroup,
)

# Rate limits of "Contacter le porteur".
CONTACT_PER_DAY = 5
CONTACT_SAME_PRACTICE_PER_DAY = 1
DOCUMENT_EXTENSIONS = {"pdf", "odt", "docx", "txt", "md", "ods", "xlsx", "csv", "png", "jpg", "jpeg"}


# --- Contacter le porteur --------------------------------------------------------------------------------


def porteur_reachable(practice: Practice) -> bool:
    return bool(EMAIL.search(practice.contact or ""))


@transaction.atomic
def practice_contact_porteur(*, actor, practice: Practice, message: str) -> ContactRequest:
    """Send `message` to the e-mail address(es) stored in the practice's contact, never shown to anyone. The
    porteur answers the sender directly (reply-to); the platform logs who wrote, not what."""
    if not actor.has_perm("practices.contact_porteur", practice):
        raise PermissionDenied("practices.contact_porteur")
    message = (message or "").strip()
    if len(message) < 20:
        raise ValidationError({"message": _("Écrivez au moins quelques phrases (20 caractères).")})
    recipients = list(dict.fromkeys(EMAIL.findall(practice.contact or "")))[:3]
    if not recipients:
        raise ValidationError(_("Ce porteur ne peut pas être joint par la plateforme."))
    since = timezone.now() - timedelta(days=1)
    recent = ContactRequest.objects.filter(sender=actor, created_at__gte=since)
    if recent.filter(practice=practice).count() >= CONTACT_SAME_PRACTICE_PER_DAY:
        raise ValidationError(_("Vous avez déjà écrit à ce porteur aujourd'hui. Réessayez demain."))
    if recent.count() >= CONTACT_PER_DAY:
        raise ValidationError(
            _("Vous avez envoyé %(n)s messages aujourd'hui : c'est le maximum. Réessayez demain.")
            % {"n": CONTACT_PER_DAY}
        )
    log = ContactRequest.objects.create(practice=practice, sender=actor)
    body = _(
        "Bonjour,\n\n%(sender)s a lu votre pratique « %(title)s » sur Maillage et vous écrit :\n\n"
        "%(message)s\n\n---\nRépondez directement à ce message pour lui écrire. Maillage ne vous a pas "
        "communiqué son adresse avant votre réponse, et n'a pas communiqué la vôtre."
    ) % {"sender": actor.display_label, "title": practice.title, "message": message[:5000]}
    email = EmailMessage(
        subject=_("Maillage : un message à propos de « %(title)s »") % {"title": practice.title[:120]},
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[actor.email],
    )
    log.delivered = email.send(fail_silently=True) > 0
    log.save(update_fields=["delivered"])
    audit_record(
        actor=actor,
        action="practice.contact_porteur",
        target=practice,
        workspace=practice.workspace,
        details={"delivered": log.delivered},
    )
    return log


# --- Working groups --------------------------------------------------------------------------------------


def _unique_group_slug(name: str) -> str:
    base = slugify(name)[:70] or "groupe"
    slug, n = base, 2
    while WorkingGroup.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def working_group_create(*, actor, name: str, description: str = "") -> WorkingGroup:
    if not actor.has_perm("practices.create_group"):
        raise PermissionDenied("practices.create_group")
    name = (name or "").strip()
    if len(name) < 3:
        raise ValidationError({"name": _("Donnez un nom au groupe (3 caractères au moins).")})
    group = WorkingGroup.objects.create(
        name=name[:160], slug=_unique_group_slug(name), description=description.strip(), created_by=actor
    )
    GroupMembership.objects.create(group=group, user=actor, role=GroupMembership.Role.COORDINATOR)
    audit_record(actor=actor, action="practice_group.create", target=group)
    return group


@transaction.atomic
def working_group_add_member(*, actor, group: WorkingGroup, email: str) -> GroupMembership:
    """Add a person with an account, from any workspace, by e-mail address."""
    from maillage.accounts.models import User

    if not actor.has_perm("practices.manage_group", group):
        raise PermissionDenied("practices.manage_group")
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None or not user.memberships.exists():
        raise ValidationError(
            {"email": _("Aucune personne inscrite dans un espace n'a cette adresse. Invitez-la d'abord.")}
        )
    membership, created = GroupMembership.objects.get_or_create(group=group, user=user)
    if not created:
        raise ValidationError({"email": _("Cette personne fait déjà partie du groupe.")})
    audit_record(actor=actor, action="practice_group.add_member", target=group, details={"user": user.pk})
    return membership


@transaction.atomic
def working_group_link_practice(*, actor, group: WorkingGroup, practice: Practice) -> None:
    if not actor.has_perm("practices.view_group", group) or not actor.has_perm("practices.view", practice):
        raise PermissionDenied("practices.view_group")
    group.practices.add(practice)


@transaction.atomic
def thread_start(
    *, actor, group: WorkingGroup, title: str, text: str, practice: Practice | None = None
) -> GroupThread:
    """Open a discussion (optionally about a practice the author may see) with its first message."""
    if not actor.has_perm("practices.view_group", group):
        raise PermissionDenied("practices.view_group")
    if practice is not None and not actor.has_perm("practices.view", practice):
        raise PermissionDenied("practices.view")
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Donnez un sujet à la discussion.")
    if not text:
        errors["text"] = _("Écrivez le premier message.")
    if errors:
        raise ValidationError(errors)
    thread = GroupThread.objects.create(group=group, title=title[:200], practice=practice, created_by=actor)
    GroupMessage.objects.create(thread=thread, author=actor, text=text[:10000])
    if practice is not None:
        group.practices.add(practice)
    return thread


@transaction.atomic
def message_post(*, actor, thread: GroupThread, text: str) -> GroupMessage:
    if not actor.has_perm("practices.view_group", thread.group):
        raise PermissionDenied("practices.view_group")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Écrivez votre message.")})
    return GroupMessage.objects.create(thread=thread, author=actor, text=text[:10000])


@transaction.atomic
def document_share(*, actor, group: WorkingGroup, upload) -> GroupDocument:
    """Share a file with the group (type and size validated; served only to members)."""
    if not actor.has_perm("practices.view_group", group):
        raise PermissionDenied("practices.view_group")
    validate_upload(upload, allowed_extensions=DOCUMENT_EXTENSIONS)
    name = (upload.name or "document").rsplit("/", 1)[-1][:200]
    extension = name.rsplit(".", 1)[-1].lower()
    safe = f"{slugify(name.rsplit('.', 1)[0])[:80] or 'document'}.{extension}"
    document = GroupDocument(group=group, name=name, size=upload.size, uploaded_by=actor)
    document.file.save(safe, upload, save=False)
    document.save()
    audit_record(actor=actor, action="practice_group.document", target=group, details={"name": name})
    return document
