"""A deployment's state machine: the one door for every state change, permission-checked and
recorded with who, when and why."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.principals import acting_person
from brokerage import errors as brokerage_errors
from brokerage import services as brokerage_services
from brokerage.choices import RequestStatus, ShortlistStatus
from brokerage.models import ShortlistEntry, SupportRequest
from changefeed import services as changefeed
from changefeed.choices import EventType

from ..choices import FINISHED_STATES, LIVE_STATES, DeploymentState, StateReason
from ..errors import DeploymentError, InvalidTransition, validated
from ..models import Deployment, DeploymentTransition
from ..rules import refusal_for

State = DeploymentState

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    State.PROPOSED: {State.AGREED, State.ENDED_EARLY},
    State.AGREED: {State.ACTIVE, State.ENDED_EARLY},
    State.ACTIVE: {State.PAUSED, State.AWAITING_FINAL_EVALUATION, State.ENDED_EARLY},
    State.PAUSED: {State.ACTIVE, State.AWAITING_FINAL_EVALUATION, State.ENDED_EARLY},
    State.AWAITING_FINAL_EVALUATION: {State.COMPLETED},
    State.COMPLETED: set(),
    State.ENDED_EARLY: set(),
}
# Moves a broker makes by hand; the rest follow from agreement, the calendar or the final evaluation.
MANUAL_TARGETS = {State.PAUSED, State.ACTIVE, State.ENDED_EARLY, State.AWAITING_FINAL_EVALUATION}
NEEDS_REASON = {State.PAUSED, State.ENDED_EARLY}


def transition(
    deployment: Deployment,
    to_state: str,
    *,
    actor=None,
    reason: str = "",
    note: str = "",
    check_permission: bool = True,
) -> Deployment:
    """Move the deployment to ``to_state``. ``actor`` None is the service itself (a daily job).

    Refused: InvalidTransition when the current state does not allow it (409 in the API);
    DeploymentError when the actor may not, or a pause or early end has no reason.
    """
    if (
        check_permission
        and actor is not None
        and not actor.has_perm("deployments.manage_deployment", deployment)
    ):
        raise DeploymentError(
            refusal_for(actor, deployment, "Only the deployment's broker can change its state.")
        )
    if to_state in NEEDS_REASON and reason not in StateReason.values:
        raise DeploymentError("Choose the reason.", field="reason")
    with transaction.atomic():
        if to_state == State.ENDED_EARLY:
            # The request first (as proposing does), so its status can follow without a deadlock.
            SupportRequest.objects.select_for_update().get(pk=deployment.support_request_id)
        locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
        if to_state not in ALLOWED_TRANSITIONS[locked.state]:
            raise InvalidTransition(
                f"This deployment is {locked.get_state_display().lower()}: it cannot become "
                f"{State(to_state).label.lower()}."
            )
        record = DeploymentTransition(
            deployment=locked,
            from_state=locked.state,
            to_state=to_state,
            reason=reason,
            note=note,
            actor=acting_person(actor),
        )
        validated(record, fields=["note"])
        record.save()
        # The change's own time, so the deployment never says it changed before its transition did.
        locked.state, locked.state_changed_at = to_state, record.at
        if to_state in NEEDS_REASON:
            locked.state_reason, locked.state_note = reason, note
        elif to_state == State.ACTIVE:
            locked.state_reason, locked.state_note = "", ""
        locked.save(update_fields=["state", "state_changed_at", "state_reason", "state_note"])
        if to_state == State.ENDED_EARLY:
            _brokerage_follows_ended_deployment(locked, actor=actor)
        changefeed.record(
            EventType.DEPLOYMENT_STATE_CHANGED, locked,
            {"from_state": record.from_state, "to_state": to_state, "reason": reason,
             "state_changed_at": record.at},
        )
    from .. import emails

    previous = deployment.state
    transaction.on_commit(lambda: emails.state_changed(locked, previous))
    deployment.refresh_from_db()
    return deployment


def _brokerage_follows_ended_deployment(deployment: Deployment, *, actor) -> None:
    """The one place the request and its shortlist follow a deployment that ended early (the
    caller holds the request's lock). The leader's shortlist entry no longer says "Proposed" but
    "Proposal ended" (they may be proposed again). A request that says "Leader proposed" goes back
    to finding a leader once no proposal is left on it; an agreed request stays agreed (support
    was agreed, and the broker closes it), as does a withdrawn or closed one."""
    ShortlistEntry.objects.filter(
        request_id=deployment.support_request_id,
        designation_id=deployment.designation_id,
        status=ShortlistStatus.PROPOSED,
    ).update(status=ShortlistStatus.PROPOSAL_ENDED)
    request = deployment.support_request
    request.refresh_from_db(fields=["status"])
    if request.status != RequestStatus.PROPOSED:
        return
    if Deployment.objects.filter(support_request=request, state__in=sorted(LIVE_STATES)).exists():
        return
    brokerage_services.change_status(
        request,
        RequestStatus.SHORTLISTING,
        actor=actor,
        reason=f"The proposal of {deployment.leader} ended early: "
        f"{StateReason(deployment.state_reason).label.lower()}.",
    )


def end_proposals_of_ending_request(sender, *, request: SupportRequest, actor, reason: str, **kwargs) -> None:
    """A request being withdrawn or closed (``brokerage.signals.request_ending``, sent under the
    request's lock): its live proposals end early, each leader told, so no proposal stays live on
    a request nobody is brokering. Refused if support has been agreed on it.

    The refusal is brokerage's (the signal's contract: a receiver refuses with a BrokerageError),
    so the page withdrawing or closing the request shows it like its own."""
    live = Deployment.objects.filter(support_request=request, state__in=sorted(LIVE_STATES))
    if live.exclude(state=State.PROPOSED).exists():
        raise brokerage_errors.InvalidTransition(
            "Support has been agreed on this request: the broker closes it instead."
        )
    note = f"The support request was {request.get_status_display().lower()}: {reason}"
    for deployment in live.select_related("leader"):
        try:
            transition(
                deployment,
                State.ENDED_EARLY,
                actor=actor,
                reason=StateReason.OTHER,
                note=note,
                check_permission=False,
            )
        except DeploymentError as refusal:
            raise _as_brokerage_refusal(refusal) from refusal


def _as_brokerage_refusal(refusal: DeploymentError) -> brokerage_errors.BrokerageError:
    error = (
        brokerage_errors.InvalidTransition
        if isinstance(refusal, InvalidTransition)
        else brokerage_errors.BrokerageError
    )
    return error(refusal.message, field=refusal.field)


def pause(deployment: Deployment, *, actor, reason: str, note: str = "") -> Deployment:
    return transition(deployment, State.PAUSED, actor=actor, reason=reason, note=note)


def resume(deployment: Deployment, *, actor, note: str = "") -> Deployment:
    if deployment.state != State.PAUSED:
        raise InvalidTransition("Only a paused deployment can be resumed.")
    return transition(deployment, State.ACTIVE, actor=actor, note=note)


def end_early(deployment: Deployment, *, actor, reason: str, note: str = "") -> Deployment:
    return transition(deployment, State.ENDED_EARLY, actor=actor, reason=reason, note=note)


def may_escalate(deployment: Deployment) -> bool:
    """Escalation tells the commissioner, so it needs a commissioner other than the broker."""
    return deployment.state not in FINISHED_STATES and deployment.commissioner_id != deployment.broker_id


def escalate(deployment: Deployment, *, actor, note: str) -> Deployment:
    """The broker tells the commissioner of a problem (e.g. the school will not engage)."""
    if not actor.has_perm("deployments.manage_deployment", deployment):
        raise DeploymentError(refusal_for(actor, deployment, "Only the deployment's broker can escalate it."))
    if deployment.commissioner_id == deployment.broker_id:
        raise DeploymentError(
            "You commissioned this deployment yourselves: there is no one else to escalate it to."
        )
    if deployment.state in FINISHED_STATES:
        raise DeploymentError("This deployment has finished: there is nothing to escalate.")
    if not note.strip():
        raise DeploymentError("Say what the commissioner needs to know.", field="note")
    deployment.escalated_at = timezone.now()
    deployment.save(update_fields=["escalated_at"])
    from .. import emails

    transaction.on_commit(lambda: emails.escalated(deployment, note, actor))
    return deployment
