"""The finance system's side of paying claims: the export of approved, unpaid claims (marked
exported, so each claim's history says so), and the import of the payment file that comes back,
which pays each claim it lists through ``claims.pay``.

Each row of an import is checked and applied on its own: a row that fails is reported with the
reason and changes nothing; the others are still paid. Importing the same file again pays nothing
twice: its rows are reported as already paid."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import money

from ..choices import ClaimState, PaymentMethod
from ..errors import FundingError
from ..models import Claim
from .claims import pay

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
#: The file's columns: each name and the headings accepted for it (the first is the one asked for).
COLUMNS = {
    "reference": ("Claim reference", "Claim", "Reference"),
    "amount": ("Amount", "Amount (£)"),
    "paid_on": ("Paid on", "Date paid", "Payment date"),
    "payment_reference": ("Payment reference",),
}
EXPORT_HEADER = [
    "Claim reference",
    "Payee URN",
    "Payee",
    "Amount",
    "Approved",
    "Paid on",
    "Payment reference",
]


def awaiting_payment(organisation_id: int):
    """The organisation's approved claims not yet paid, oldest first."""
    return (
        Claim.objects.filter(commissioner_id=organisation_id, state=ClaimState.APPROVED)
        .select_related("claiming_school")
        .order_by("state_changed_at", "pk")
    )


def export_rows(claims: list[Claim]):
    """The export file: the columns the import reads back, with "Paid on" and "Payment reference"
    left for the finance system to fill in."""
    yield EXPORT_HEADER
    for claim in claims:
        yield [
            claim.reference,
            claim.claiming_school.urn,
            claim.claiming_school.name,
            money.round_money(claim.total),
            claim.state_changed_at.date(),
            "",
            "",
        ]


@dataclass(frozen=True)
class RowResult:
    number: int
    reference: str
    paid: bool
    message: str


def parse_paid_on(text: str) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def parse_amount(text: str) -> Decimal | None:
    try:
        return money.round_money(text.replace("£", "").replace(",", "").strip())
    except (ValueError, InvalidOperation):
        return None


def _refusal(claim: Claim | None, values: dict[str, str], organisation) -> str:
    """Why the row cannot be paid, or "" when it can be tried."""
    reference = values["reference"]
    if not reference:
        return "No claim reference"
    if claim is None:
        return f"Unknown claim: there is no claim {reference}"
    if claim.commissioner_id != organisation.pk:
        return f"Not this organisation's claim: {claim.reference} is for another commissioner to pay"
    if claim.state == ClaimState.PAID:
        paid = getattr(claim, "payment", None)
        return (
            f"Already paid on {paid.paid_on:%-d %B %Y} (reference {paid.reference})"
            if paid
            else "Already paid"
        )
    if claim.state != ClaimState.APPROVED:
        return f"Not approved: the claim is {claim.get_state_display().lower()}"
    if not values["amount"]:
        return "No amount: give the amount paid"
    amount = parse_amount(values["amount"])
    if amount is None:
        return f"The amount ‘{values['amount']}’ is not an amount of money, like 1350.00"
    if amount != claim.total:
        return (
            f"The amount differs from the approved amount: {money.format_pounds(amount)} in the file, "
            f"{money.format_pounds(claim.total)} approved"
        )
    if not values["paid_on"]:
        return "Bad date: the date paid is missing"
    if parse_paid_on(values["paid_on"]) is None:
        return f"Bad date: ‘{values['paid_on']}’ is not a date like 2027-03-31 or 31/03/2027"
    return ""


def import_payment_file(rows, *, organisation, actor) -> list[RowResult]:
    """Pay each row's claim (``claims.pay``, by payment file), reporting each row's result.

    Side effects, in order, for each row that passes its checks: the payment and the claim's move
    to paid in one transaction (the claim locked), then the email to the school once committed."""
    references = {row.values["reference"].upper() for row in rows if row.values["reference"]}
    claims = {
        claim.reference.upper(): claim
        for claim in Claim.objects.filter(reference__in=references).select_related("payment")
    }
    results = []
    for row in rows:
        values = row.values
        claim = claims.get(values["reference"].upper())
        why = _refusal(claim, values, organisation)
        if not why:
            try:
                payment = pay(
                    claim,
                    actor=actor,
                    paid_on=parse_paid_on(values["paid_on"]),
                    reference=values["payment_reference"],
                    method=PaymentMethod.PAYMENT_FILE,
                )
            except FundingError as refused:
                why = "Already paid" if "already paid" in refused.message.lower() else refused.message
            else:
                claim.state, claim.payment = ClaimState.PAID, payment  # a second row for it: already paid
                results.append(
                    RowResult(
                        row.number,
                        claim.reference,
                        True,
                        f"Paid {money.format_pounds(payment.amount)} on {payment.paid_on:%-d %B %Y}, "
                        f"reference {payment.reference}",
                    )
                )
                continue
        results.append(RowResult(row.number, claim.reference if claim else values["reference"], False, why))
    return results
