"""Writing and expertise of a practice, section by section.

brouillon (the authors edit every section) → soumise → en expertise (reviewers comment per section and may
send a section back; the authors answer and edit the sections sent back) → publiée (scope chosen) → archivée.
Status changes go through `services.practice_set_status` (permissions, allowed transitions, audit).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.services import audit_record
from maillage.practices.models import Practice, PracticeComment

# Sections of a practice as its authors write them and its reviewers comment them, in the annex's order.
SECTIONS: dict[str, tuple[str, list[str]]] = {
    "chapeau": (gettext_lazy("Titre et chapeau"), ["title", "chapeau"]),
    "reperes": (
        gettext_lazy("Repères"),
        ["action_name", "objectives", "participant_objectives", "public", "porteurs"],
    ),
    "contexte": (gettext_lazy("Le contexte"), ["context"]),
    "diagnostic": (gettext_lazy("Diagnostic et enjeux"), ["diagnostic"]),
    "projet": (
        gettext_lazy("Le projet"),
        ["project", "project_elected", "project_transversality", "project_participation"],
    ),
    "actions": (gettext_lazy("Les actions réalisées"), ["actions"]),
    "evaluation": (gettext_lazy("L'évaluation de la démarche"), ["evaluation"]),
    "illustration": (
        gettext_lazy("En quoi cette action illustre une démarche de développement social"),
        ["illustration"],
    ),
    "perspectives": (gettext_lazy("Les perspectives"), ["perspectives"]),
    "cles": (gettext_lazy("Clés de la réussite et points de vigilance"), ["success_keys", "vigilance"]),
    "moyens": (gettext_lazy("Moyens et financements"), ["resources"]),
    "sources": (gettext_lazy("Sources et licence"), ["sources", "licence"]),
}


def open_sendbacks(practice: Practice) -> set[str]:
    """Sections sent back to the authors and not answered yet."""
    return set(practice.comments.filter(sends_back=True, resolved_at=None).values_list("section", flat=True))


def can_edit_section(user, practice: Practice, section: str, sent_back: set[str] | None = None) -> bool:
    """Any section of a draft; during the expertise, only the sections sent back (`sent_back`: the result of
    `open_sendbacks`, when the caller already has it)."""
    if section not in SECTIONS or not user.has_perm("practices.edit", practice):
        return False
    if practice.status == Practice.Status.DRAFT:
        return True
    if practice.status != Practice.Status.IN_REVIEW:
        return False
    return section in (open_sendbacks(practice) if sent_back is None else sent_back)


@transaction.atomic
def practice_section_update(*, actor, practice: Practice, section: str, values: dict[str, str]) -> Practice:
    """Rewrite one section: any section of a draft, or a section sent back during the expertise."""
    from maillage.practices.services import _unique_slug, practice_index

    if not can_edit_section(actor, practice, section):
        raise PermissionDenied("practices.edit")
    fields = SECTIONS[section][1]
    for name in fields:
        value = (values.get(name) or "").strip()
        if name == "title":
            if not value:
                raise ValidationError({"title": _("Le titre ne peut pas être vide.")})
            value = value[:300]
        elif name in ("action_name", "licence"):
            value = value[:300]
        setattr(practice, name, value)
    if not practice.slug:
        practice.slug = _unique_slug(practice.title)
    practice.save(update_fields=[*fields, "updated_at"])
    practice_index(practice)
    audit_record(
        actor=actor,
        action="practice.section_edit",
        target=practice,
        workspace=practice.workspace,
        details={"section": section},
    )
    return practice


@transaction.atomic
def practice_comment_add(
    *, actor, practice: Practice, section: str, text: str, sends_back: bool = False
) -> PracticeComment:
    """A reviewer comments one section of a practice under expertise, and may send it back to the authors."""
    if not actor.has_perm("practices.review", practice):
        raise PermissionDenied("practices.review")
    if practice.status != Practice.Status.IN_REVIEW:
        raise ValidationError(_("On commente une pratique pendant son expertise."))
    if section not in SECTIONS:
        raise ValidationError(_("Cette rubrique n'existe pas."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Écrivez votre commentaire.")})
    comment = PracticeComment.objects.create(
        practice=practice, section=section, author=actor, text=text[:5000], sends_back=sends_back
    )
    if sends_back:
        audit_record(
            actor=actor,
            action="practice.section_sent_back",
            target=practice,
            workspace=practice.workspace,
            details={"section": section},
        )
    return comment


@transaction.atomic
def practice_comment_answer(*, actor, practice: Practice, section: str, text: str) -> PracticeComment:
    """The authors answer the comments on a section; a section sent back is then handed back to the
    reviewers (its open comments are marked as dealt with)."""
    if not actor.has_perm("practices.edit", practice):
        raise PermissionDenied("practices.edit")
    if practice.status != Practice.Status.IN_REVIEW:
        raise ValidationError(_("On répond aux commentaires pendant l'expertise."))
    if not practice.comments.filter(section=section, is_answer=False).exists():
        raise ValidationError(_("Aucun commentaire à cette rubrique."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Écrivez votre réponse.")})
    answer = PracticeComment.objects.create(
        practice=practice, section=section, author=actor, text=text[:5000], is_answer=True
    )
    practice.comments.filter(section=section, sends_back=True, resolved_at=None).update(
        resolved_at=timezone.now()
    )
    return answer


def comments_by_section(practice: Practice) -> dict[str, list[PracticeComment]]:
    """Every comment of the practice grouped by section, in one query."""
    out: dict[str, list[PracticeComment]] = {}
    for comment in practice.comments.select_related("author"):
        out.setdefault(comment.section, []).append(comment)
    return out
