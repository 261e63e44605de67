from maillage.workshops.views.live import (
    board,
    join_by_code,
    participant_post,
    participant_signup,
    participant_vote,
    participate,
    state_partial,
)
from maillage.workshops.views.pages import (
    template_create,
    workshop_create,
    workshop_csv,
    workshop_list,
    workshop_pdf,
    workshop_record,
)
from maillage.workshops.views.pilot import pilot, pilot_action

__all__ = [
    "board",
    "join_by_code",
    "participant_post",
    "participant_signup",
    "participant_vote",
    "participate",
    "pilot",
    "pilot_action",
    "state_partial",
    "template_create",
    "workshop_create",
    "workshop_csv",
    "workshop_list",
    "workshop_pdf",
    "workshop_record",
]
