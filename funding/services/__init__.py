"""Funding services: claims and their payment (bursaries, assurance and finance in their modules)."""

from .claims import (
    ClaimDraft,
    CostClaim,
    approve,
    claims_visible_to,
    days_claimed,
    draft_claim,
    give_information,
    mark_exported,
    pay,
    reject,
    request_information,
    second_approval_above,
    submit_claim,
    unclaimed_time,
    withdraw,
)

__all__ = [
    "ClaimDraft",
    "CostClaim",
    "approve",
    "claims_visible_to",
    "days_claimed",
    "draft_claim",
    "give_information",
    "mark_exported",
    "pay",
    "reject",
    "request_information",
    "second_approval_above",
    "submit_claim",
    "unclaimed_time",
    "withdraw",
]
