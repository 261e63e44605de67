"""Pages of the collectives: parse input, fetch and authorise, call a service, render or redirect."""

from maillage.collectives.views.collectives import (
    attendance_trends,
    collective_create,
    collective_detail,
    collective_list,
    collective_settings,
    collective_timeline,
    member_add,
    member_leave,
    member_list,
    stage_change,
)
from maillage.collectives.views.decisions import decision_create, decision_list, proposal_add, proposal_retour
from maillage.collectives.views.sessions import (
    session_attendance,
    session_close,
    session_create,
    session_detail,
    session_feedback,
    session_list,
    session_sheet,
)

__all__ = [
    "attendance_trends",
    "collective_create",
    "collective_detail",
    "collective_list",
    "collective_settings",
    "collective_timeline",
    "decision_create",
    "decision_list",
    "member_add",
    "member_leave",
    "member_list",
    "proposal_add",
    "proposal_retour",
    "session_attendance",
    "session_close",
    "session_create",
    "session_detail",
    "session_feedback",
    "session_list",
    "session_sheet",
    "stage_change",
]
