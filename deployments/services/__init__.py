"""Deployment services: capacity, the agreement, the state machine and the work itself."""

from .agreements import (
    CostLineData,
    ObjectiveData,
    StaffData,
    agree,
    cancel_recorded_signoff,
    confirm_recorded_signoff,
    current_agreement,
    open_agreement,
    payee_schools,
    propose,
    record_outside_agreement,
    request_changes,
    save_draft,
    send_for_agreement,
    start_if_due,
    start_new_version,
)
from .capacity import check_capacity
from .transitions import ALLOWED_TRANSITIONS, end_early, escalate, may_escalate, pause, resume, transition
from .work import (
    Rating,
    current_objectives,
    days_allowed,
    days_used,
    log_time,
    record_final_evaluation,
    record_review,
    record_variation,
    refresh_latest_review,
    refresh_latest_reviews,
)
