"""Emails about deployments and their agreements. Templates: templates/emails/<kind>-subject.txt,
-body.txt, -body.html.

Services call these through transaction.on_commit, so nothing is sent for a rolled-back change;
the daily jobs (deployments.jobs) call them inside the transaction that records the notice.
Recipient helpers read prefetched memberships (see ``jobs.recipient_prefetches``), so a job's
batch costs the same queries however many deployments it holds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from accounts.choices import EmailKind, OrganisationKind
from accounts.emails import informational_recipients
from brokerage.emails import broker_recipients, commissioner_recipients, organisation_recipients
from brokerage.rules import SCHOOL_ROLES
from designations.emails import absolute_url, designating_body_recipients, send_email

from .choices import DeploymentState, NoticeKind, ReminderKind
from .models import Notice

SCHOOL_KINDS = {OrganisationKind.SCHOOL, OrganisationKind.TEACHING_SCHOOL}


def unique(*groups: Iterable[str]) -> list[str]:
    """Addresses in order of first appearance, each once."""
    return list(dict.fromkeys(address for group in groups for address in group if address))


def school_recipients(school) -> list[str]:
    """The people who act for a school: each of its organisations' inbox, else its members in a
    school role. Reads ``school.organisations.all()`` and their memberships."""
    return unique(
        *(
            organisation_recipients(o, SCHOOL_ROLES)
            for o in school.organisations.all()
            if o.kind in SCHOOL_KINDS
        )
    )


def leader_recipients(deployment) -> list[str]:
    leader = deployment.leader
    return [leader.email] if leader.is_active else []


def party_recipients(deployment) -> list[str]:
    """The three parties to the agreement: the supported school, the leader and their school, and
    the commissioner."""
    return unique(
        school_recipients(deployment.supported_school),
        leader_recipients(deployment),
        school_recipients(deployment.leader_school),
        commissioner_recipients(deployment.commissioner),
    )


def deployment_link(deployment) -> str:
    return absolute_url("deployments:deployment-detail", deployment.pk)


def agreement_link(agreement) -> str:
    return absolute_url("deployments:agreement-version", agreement.deployment_id, agreement.version)


def deployment_update_recipients(deployment, *others: Iterable[str]) -> list[str]:
    """An informational update on a deployment: its broker, always (the broker runs the deployment,
    so each change in its life is work for them, such as recording the final evaluation), then
    ``others`` without the people who turned deployment updates off."""
    return unique(
        broker_recipients(deployment.broker),
        informational_recipients(unique(*others), EmailKind.DEPLOYMENT_UPDATES),
    )


def _send(kind: str, to: list[str], context: dict) -> bool:
    """Sends when there is someone to send to; says whether it did."""
    if not to:
        return False
    send_email(kind, to=to, context=context)
    return True


# --- from the services -------------------------------------------------------------------------


def _told_by_closing_notice(deployment) -> bool:
    """A move the daily job made when the deployment passed its end date: its closed-at-end
    notice told people, so the state change is not told again. Once that notice exists the
    deployment can only be awaiting its final evaluation or completed."""
    if deployment.state not in {DeploymentState.ACTIVE, DeploymentState.AWAITING_FINAL_EVALUATION}:
        return False
    if deployment.ends_on is None:
        return False
    return Notice.objects.filter(
        kind=NoticeKind.CLOSED_AT_END, deployment=deployment, key=deployment.ends_on.isoformat()
    ).exists()


def state_changed(deployment, previous_state: str) -> None:
    """To the broker and the parties: the deployment started, paused, resumed, ended early, is
    awaiting its final evaluation or completed, with the reason given. Being agreed is told by
    agreement_agreed, and closing at the end date by the daily job's notice."""
    if deployment.state == previous_state or _told_by_closing_notice(deployment):
        return
    if previous_state == DeploymentState.PROPOSED and deployment.state == DeploymentState.AGREED:
        return  # agreement_agreed tells everyone that
    _send(
        "deployment-state-changed",
        deployment_update_recipients(deployment, party_recipients(deployment)),
        {
            "deployment": deployment,
            "previous_state": DeploymentState(previous_state).label,
            "link": deployment_link(deployment),
        },
    )


def escalated(deployment, note: str, actor) -> None:
    """To the commissioner: the broker needs them to act (for example the school will not engage).
    Always sent."""
    _send(
        "deployment-escalated",
        commissioner_recipients(deployment.commissioner),
        {"deployment": deployment, "note": note, "actor": actor, "link": deployment_link(deployment)},
    )


def leader_proposed(deployment) -> None:
    """To the leader: the broker has proposed them to support a school; the agreement follows.
    Always sent: it commits the leader's time, and they should speak up before the agreement is
    drawn up if they cannot do it."""
    _send(
        "leader-proposed",
        leader_recipients(deployment),
        {
            "deployment": deployment,
            "request": deployment.support_request,
            "link": deployment_link(deployment),
        },
    )


def agreement_sent(agreement) -> None:
    """To the three parties: a version of the agreement is waiting for each of them to agree.
    Always sent."""
    deployment = agreement.deployment
    _send(
        "agreement-sent",
        party_recipients(deployment),
        {"agreement": agreement, "deployment": deployment, "link": agreement_link(agreement)},
    )


def changes_requested(agreement, actor, reason: str) -> None:
    """To the broker: a party sent the agreement back to draft, and what needs to change. Always sent."""
    deployment = agreement.deployment
    _send(
        "agreement-changes-requested",
        broker_recipients(deployment.broker),
        {
            "agreement": agreement,
            "deployment": deployment,
            "actor": actor,
            "reason": reason,
            "link": agreement_link(agreement),
        },
    )


def agreement_agreed(agreement) -> None:
    """To the three parties and the broker: all three have agreed; the deployment goes ahead.
    Informational for the parties (the broker still starts the deployment)."""
    deployment = agreement.deployment
    _send(
        "agreement-agreed",
        deployment_update_recipients(deployment, party_recipients(deployment)),
        {"agreement": agreement, "deployment": deployment, "link": agreement_link(agreement)},
    )


# --- from the daily jobs -----------------------------------------------------------------------


def review_reminder(deployment, kind: str, *, due_on: datetime.date, today: datetime.date) -> bool:
    """To the broker: a progress review is due in 14 days or less, due today, or overdue. Always sent."""
    return _send(
        "deployment-review-reminder",
        broker_recipients(deployment.broker),
        {
            "deployment": deployment,
            "kind": kind,
            "due_on": due_on,
            "overdue": kind == ReminderKind.OVERDUE,
            "due_today": kind == ReminderKind.DUE_TODAY,
            "days_left": (due_on - today).days,
            "link": deployment_link(deployment),
        },
    )


def stalled(deployment, *, since: datetime.date, today: datetime.date) -> bool:
    """To the broker and the commissioner: no time has been logged for four weeks or more. Always
    sent: a stalled deployment is for them to chase."""
    return _send(
        "deployment-stalled",
        unique(broker_recipients(deployment.broker), commissioner_recipients(deployment.commissioner)),
        {
            "deployment": deployment,
            "since": since,
            "time_logged": deployment.last_time_logged_on is not None,
            "days": (today - since).days,
            "link": deployment_link(deployment),
        },
    )


def closed_at_end(deployment) -> bool:
    """To the broker, the leader and the supported school: past its end date, the deployment now
    awaits its final evaluation. Informational for the leader and the school; the broker records
    the evaluation, so is always told."""
    return _send(
        "deployment-closed-at-end",
        deployment_update_recipients(
            deployment, leader_recipients(deployment), school_recipients(deployment.supported_school)
        ),
        {"deployment": deployment, "link": deployment_link(deployment)},
    )


def undeployed_sles(organisation, designations: list, *, today: datetime.date) -> bool:
    """To a teaching school: its SLEs designated more than three months ago and never deployed.
    Always sent: it asks the teaching school to get them deployed (the national target), and it
    is sent once per leader."""
    return _send(
        "undeployed-sles",
        designating_body_recipients(organisation),
        {
            "organisation": organisation,
            "designations": designations,
            "today": today,
            "link": absolute_url("pool:index"),
        },
    )
