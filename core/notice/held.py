"""Which kinds of data the shop holds about one customer today: the personalised notice prints them."""

from __future__ import annotations

from collections.abc import Mapping

from core.catalogue import Catalogue, Stage
from core.customers.profiling import Answer, AnswerStatus
from core.customers.store import Customer

# Held outside the catalogue's fields, so named here; the customer must still be told about them.
NOTES = "Notes our staff wrote"
VISITS = "Record of your visits"


def categories_held(
    catalogue: Catalogue, customer: Customer, answers: Mapping[str, Answer], visits: int = 0
) -> tuple[str, ...]:
    """The categories, in the catalogue's words and order, of what is actually stored for this customer.

    Fields since switched off still count when an answer is kept: the data is held whatever the form asks now.
    A declined or "ask later" answer holds no value, so it adds nothing. `visits` is how many visits are recorded.
    """
    present = {"name"}
    if customer.phones:
        present.add("phone")
    if customer.emails:
        present.add("email")
    present |= {
        key for key, answer in answers.items() if answer.status is AnswerStatus.ANSWERED and answer.value.strip()
    }
    specs = sorted(
        (spec for spec in catalogue.fields if spec.key in present),
        key=lambda s: (s.stage is not Stage.FIRST_VISIT, s.order),
    )
    held = [spec.category for spec in specs]
    if customer.notes.strip():
        held.append(NOTES)
    if visits:
        held.append(VISITS)
    return tuple(dict.fromkeys(held))
