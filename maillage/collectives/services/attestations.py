"""Attestations de participation (actions inspirantes lines 1195, 2229-2230): sessions attended, roles
held and skills chosen from a shipped list, signed by the référent, verifiable by a code."""

import json
import secrets
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives.models import Attendance, Attestation, Member
from maillage.collectives.rules import member_of
from maillage.collectives.services._common import require as _require
from maillage.core.services import audit_record

SKILLS_FILE = Path(__file__).resolve().parent.parent / "data" / "skills.json"
# Crockford-like alphabet: no 0/O, 1/I/L confusion when a code is typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16  # 31**16 ≈ 7·10^23 (~79 bits): unguessable


@cache
def skills() -> dict[str, str]:
    """Skill code → label, from data/skills.json (sources cited there)."""
    data = json.loads(SKILLS_FILE.read_text(encoding="utf-8"))
    return {s["code"]: s["label"] for s in data["skills"]}


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(typed: str) -> str:
    """What a person typed (spaces, lower case, missing dashes) → the stored form."""
    raw = "".join(c for c in typed.upper() if c.isalnum())
    if len(raw) != CODE_LENGTH:
        return ""
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def roles_of(member: Member) -> list[str]:
    """Roles the platform knows: category, personne relais, référent, binôme."""
    roles = [str(member.get_category_display())]
    if member.is_relay:
        roles.append(_("Personne relais"))
    if member.collective.referent_id == member.pk:
        roles.append(_("Référent ou référente du collectif"))
    return roles


@transaction.atomic
def attestation_issue(
    *, actor, member: Member, skills_chosen: list[str], extra_roles: list[str] | None = None
) -> Attestation:
    """Issue an attestation for a member (animateurs). The référent signs: the collective needs one."""
    collective = member.collective
    _require(actor, "collectives.manage_collective", collective.workspace)
    referent = collective.referent
    if referent is None:
        raise ValidationError(
            _("Désignez d'abord le référent ou la référente du collectif : c'est lui ou elle qui signe.")
        )
    known = skills()
    unknown = [s for s in skills_chosen if s not in known]
    if unknown:
        raise ValidationError(_("Compétence inconnue : %(s)s") % {"s": ", ".join(unknown)})
    if not skills_chosen:
        raise ValidationError(_("Choisissez au moins une compétence développée."))
    attended = list(
        Attendance.objects.filter(member=member, status=Attendance.Status.PRESENT)
        .order_by("session__starts_at")
        .values_list("session__starts_at", flat=True)
    )
    if not attended:
        raise ValidationError(
            _("%(name)s n'a encore assisté à aucune séance.") % {"name": member.display_name}
        )
    roles = roles_of(member) + [r.strip()[:120] for r in extra_roles or [] if r.strip()]
    code = new_code()
    while Attestation.objects.filter(code=code).exists():  # pragma: no cover - astronomically rare
        code = new_code()
    attestation = Attestation.objects.create(
        collective=collective,
        member=member,
        code=code,
        holder_name=member.display_name[:150],
        sessions=[timezone.localdate(d).isoformat() for d in attended],
        roles=roles,
        skills=[known[s] for s in skills_chosen],
        signed_by_name=referent.display_name[:150],
        issued_by=actor,
    )
    audit_record(
        actor=actor, action="collective.attestation_issue", target=member, workspace=collective.workspace
    )
    return attestation


def can_download(user, attestation: Attestation) -> bool:
    """The member it is about, or an animateur of the workspace."""
    own = member_of(user, attestation.collective)
    if own is not None and own.pk == attestation.member_id:
        return True
    return user.has_perm("collectives.manage_collective", attestation.collective.workspace)


@transaction.atomic
def attestation_revoke(*, actor, attestation: Attestation) -> Attestation:
    _require(actor, "collectives.manage_collective", attestation.collective.workspace)
    attestation.revoked_at = timezone.now()
    attestation.save(update_fields=["revoked_at"])
    return attestation


def attestation_verify(typed: str) -> Attestation | None:
    code = normalise_code(typed)
    if not code:
        return None
    return Attestation.objects.select_related("collective__workspace").filter(code=code).first()
