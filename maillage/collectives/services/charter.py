"""The charter (charte): written together (every edit a version with its author), adopted by a decision
of the group when it is ready, then signed by members with the date."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives.models import (
    Charter,
    CharterSignature,
    CharterVersion,
    Collective,
    Decision,
    Member,
)
from maillage.collectives.rules import member_of
from maillage.collectives.services._common import require as _require
from maillage.core.services import audit_record

MAX_CHARTER_LENGTH = 20_000


class StaleEdit(ValidationError):
    """Someone saved another version since the text was opened: nothing is overwritten. Carries the
    current text so the page can show both side by side (the typed text is never lost)."""

    def __init__(self, message, *, current_text: str, current_version: int, current_author: str):
        super().__init__(message)
        self.current_text = current_text
        self.current_version = current_version
        self.current_author = current_author


def _charter(collective: Collective) -> Charter:
    charter, _created = Charter.objects.select_for_update().get_or_create(collective=collective)
    return charter


@transaction.atomic
def charter_edit(
    *, actor, collective: Collective, text: str, base_version: int, note: str = ""
) -> CharterVersion:
    """Save a new version of the charter. `base_version` is the version the writer started from (0 for
    the first draft): if someone saved in between, StaleEdit is raised and nothing is written."""
    _require(actor, "collectives.write_together", collective)
    text = text.strip()
    if not text:
        raise ValidationError(_("Écrivez le texte de la charte."))
    if len(text) > MAX_CHARTER_LENGTH:
        raise ValidationError(
            _("La charte est trop longue (%(n)d caractères au plus).") % {"n": MAX_CHARTER_LENGTH}
        )
    charter = _charter(collective)
    latest = charter.versions.select_related("author").first()
    current = latest.number if latest else 0
    if base_version != current:
        raise StaleEdit(
            _("Quelqu'un a enregistré une autre version de la charte pendant que vous écriviez."),
            current_text=latest.text if latest else "",
            current_version=current,
            current_author=latest.author.display_label if latest and latest.author else "",
        )
    if latest is not None and latest.text == text:
        raise ValidationError(_("Le texte n'a pas changé."))
    return CharterVersion.objects.create(
        charter=charter, number=current + 1, text=text, note=note.strip()[:200], author=actor
    )


@transaction.atomic
def charter_adopt(*, actor, collective: Collective, decision: Decision) -> Charter:
    """The group adopts the latest version by one of its decisions (not at creation: when it is ready)."""
    _require(actor, "collectives.manage_collective", collective.workspace)
    if decision.collective_id != collective.pk:
        raise ValidationError(_("Cette décision n'est pas celle du collectif."))
    charter = _charter(collective)
    latest = charter.versions.first()
    if latest is None:
        raise ValidationError(_("La charte n'a pas encore de texte : écrivez-la ensemble d'abord."))
    if charter.adopted_version_id == latest.pk:
        raise ValidationError(_("Cette version de la charte est déjà adoptée."))
    charter.adopted_version = latest
    charter.adopting_decision = decision
    charter.adopted_on = decision.decided_on
    charter.save(update_fields=["adopted_version", "adopting_decision", "adopted_on"])
    audit_record(
        actor=actor,
        action="collective.charter_adopt",
        target=collective,
        workspace=collective.workspace,
        details={"version": latest.number, "decision": decision.pk},
    )
    return charter


@transaction.atomic
def charter_sign(*, actor, member: Member, signed_on: date | None = None) -> CharterSignature:
    """A member signs the adopted charter. Members sign for themselves; an animateur may record the
    signature of any member (a person without account signs on paper): recorded as "on behalf"."""
    collective = member.collective
    charter = Charter.objects.filter(collective=collective).select_related("adopted_version").first()
    if charter is None or not charter.is_adopted:
        raise ValidationError(_("La charte doit d'abord être adoptée par une décision du groupe."))
    own = member_of(actor, collective) if actor is not None else None
    on_behalf = own is None or own.pk != member.pk
    if on_behalf:
        _require(actor, "collectives.manage_collective", collective.workspace)
    else:
        _require(actor, "collectives.write_together", collective)
    if not member.is_active:
        raise ValidationError(_("Cette personne a quitté le collectif."))
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate():
        raise ValidationError(_("La date de signature ne peut pas être dans le futur."))
    if CharterSignature.objects.filter(version=charter.adopted_version, member=member).exists():
        raise ValidationError(_("%(name)s a déjà signé cette charte.") % {"name": member.display_name})
    return CharterSignature.objects.create(
        charter=charter,
        version=charter.adopted_version,
        member=member,
        signed_on=signed_on,
        recorded_by=actor,
        on_behalf=on_behalf,
    )
