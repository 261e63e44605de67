from maillage.core.registry import register_personal_data
from maillage.practices.models import (
    ContactRequest,
    GroupDocument,
    GroupMembership,
    GroupMessage,
    ImportBatch,
    Practice,
    PracticeComment,
)


def export_practices(user) -> dict:
    """What the practices module links to this person: practices and imports they created, their expertise
    comments, the porteurs they wrote to (when, not what: the text is not kept), their working groups and
    messages."""
    return {
        "practices_created": [
            {"title": p.title, "slug": p.slug, "status": p.status, "created_at": p.created_at.isoformat()}
            for p in Practice.objects.filter(created_by=user)
        ],
        "imports": [
            {"document": b.source_name, "created_at": b.created_at.isoformat()}
            for b in ImportBatch.objects.filter(created_by=user)
        ],
        "expertise_comments": [
            {
                "practice": c.practice.slug,
                "section": c.section,
                "text": c.text,
                "at": c.created_at.isoformat(),
            }
            for c in PracticeComment.objects.filter(author=user).select_related("practice")
        ],
        "porteurs_contacted": [
            {"practice": r.practice.slug, "at": r.created_at.isoformat()}
            for r in ContactRequest.objects.filter(sender=user).select_related("practice")
        ],
        "working_groups": [
            {"group": m.group.name, "role": m.role}
            for m in GroupMembership.objects.filter(user=user).select_related("group")
        ],
        "group_messages": [
            {"thread": m.thread.title, "text": m.text, "at": m.created_at.isoformat()}
            for m in GroupMessage.objects.filter(author=user).select_related("thread")
        ],
    }


def erase_practices(user) -> None:
    """Practices, comments and discussions are collective work: they stay, without the link to the deleted
    account. Memberships of working groups end."""
    Practice.objects.filter(created_by=user).update(created_by=None)
    ImportBatch.objects.filter(created_by=user).update(created_by=None)
    PracticeComment.objects.filter(author=user).update(author=None)
    ContactRequest.objects.filter(sender=user).update(sender=None)
    GroupMessage.objects.filter(author=user).update(author=None)
    GroupDocument.objects.filter(uploaded_by=user).update(uploaded_by=None)
    GroupMembership.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data("practices", export=export_practices, erase=erase_practices)
