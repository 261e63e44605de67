"""Every write about collectives goes through here: views, API, commands and other modules call these.

`collective_create` is THE entry point that creates a collective. Other modules hand groups over to it:
- workshops (constructive phase of an Atelier de l'Avenir): closing the phase calls
  `collective_create(actor=facilitator, workspace=…, name=project title, kind=Collective.Kind.GROUPE_PROJET,
  origin=Collective.Origin.WORKSHOP, origin_label="Atelier de l'Avenir du …", origin_url=workshop URL,
  members=[MemberSpec(user=…), MemberSpec(pseudonym=…, contact=…, consent_given_at=…), …])`;
- diagnostics (hand-off of a préconisation): `collective_create(…, origin=Collective.Origin.DIAGNOSTIC,
  origin_label="Préconisation 3 — …", origin_url=préconisation URL, themes=diagnostic themes,
  perimeter=diagnostic perimeter)`.
Services check rights themselves (PermissionDenied); `actor=None` is a trusted system call (commands).
"""

from maillage.collectives.services.collectives import (
    MemberSpec,
    collective_change_stage,
    collective_create,
    collective_update_settings,
    default_composition_target,
    member_add,
    member_leave,
    normalise_themes,
)
from maillage.collectives.services.decisions import decision_record, proposal_add, proposal_give_retour
from maillage.collectives.services.sessions import (
    expected_members,
    feedback_give,
    session_close,
    session_create,
    session_record_attendance,
)

__all__ = [
    "MemberSpec",
    "collective_change_stage",
    "collective_create",
    "collective_update_settings",
    "decision_record",
    "default_composition_target",
    "expected_members",
    "feedback_give",
    "member_add",
    "member_leave",
    "normalise_themes",
    "proposal_add",
    "proposal_give_retour",
    "session_close",
    "session_create",
    "session_record_attendance",
]
