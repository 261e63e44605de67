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

from maillage.collectives.services.attestations import (
    attestation_issue,
    attestation_revoke,
    attestation_verify,
)
from maillage.collectives.services.charter import StaleEdit, charter_adopt, charter_edit, charter_sign
from maillage.collectives.services.collectives import (
    MemberSpec,
    collective_change_stage,
    collective_create,
    collective_set_referent,
    collective_update_settings,
    coordination_set,
    default_composition_target,
    member_add,
    member_leave,
    member_set_binome,
    normalise_themes,
)
from maillage.collectives.services.decisions import decision_record, proposal_add, proposal_give_retour
from maillage.collectives.services.local_ds import (
    application_decide,
    application_results,
    application_submit,
    funding_report,
    participant_add,
    programme_set,
)
from maillage.collectives.services.notifications import notifications_mark_read, send_digests
from maillage.collectives.services.plan import (
    funding_line_save,
    send_task_reminders,
    task_create,
    task_update,
    tasks_to_remind,
)
from maillage.collectives.services.sessions import (
    expected_members,
    feedback_give,
    minutes_save,
    session_close,
    session_create,
    session_record_attendance,
)

__all__ = [
    "MemberSpec",
    "StaleEdit",
    "application_decide",
    "application_results",
    "application_submit",
    "attestation_issue",
    "attestation_revoke",
    "attestation_verify",
    "charter_adopt",
    "charter_edit",
    "charter_sign",
    "collective_change_stage",
    "collective_create",
    "collective_set_referent",
    "collective_update_settings",
    "coordination_set",
    "decision_record",
    "default_composition_target",
    "expected_members",
    "feedback_give",
    "funding_line_save",
    "funding_report",
    "member_add",
    "member_leave",
    "member_set_binome",
    "notifications_mark_read",
    "minutes_save",
    "normalise_themes",
    "participant_add",
    "programme_set",
    "proposal_add",
    "proposal_give_retour",
    "send_digests",
    "send_task_reminders",
    "session_close",
    "session_create",
    "session_record_attendance",
    "task_create",
    "task_update",
    "tasks_to_remind",
]
