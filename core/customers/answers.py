"""What we know about a customer: each recorded answer, when and at which visit it was given, and what it replaced.

Answers are appended (core/customers/profiling.py); a correction is one more row that names the row it replaces,
so the earlier value and when it was replaced stay visible. This module turns those rows into what the customer
page's "What we know" section shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from core.catalogue import Catalogue
from core.customers.profiling import Answer, AnswerStatus, local_date
from core.customers.visits import Visit


@dataclass(frozen=True)
class Earlier:
    """A value that a correction replaced."""

    status: AnswerStatus
    value: str
    given_at: str
    replaced_at: str


@dataclass(frozen=True)
class KnownAnswer:
    field_key: str
    label: str
    status: AnswerStatus
    value: str
    at: str
    visit_number: int | None  # 1 for their first visit; None when given before any visit was recorded
    visit_at: str | None
    earlier: tuple[Earlier, ...]
    to_review: bool  # kept only for a purpose the customer withdrew
    is_date: bool


def known_answers(
    catalogue: Catalogue, rows: Sequence[Answer], visits: Sequence[Visit], granted: frozenset[str]
) -> list[KnownAnswer]:
    """One entry per field with its current answer and what it replaced, in the catalogue's order."""
    by_field: dict[str, list[Answer]] = {}
    for row in rows:  # oldest first
        by_field.setdefault(row.field_key, []).append(row)
    order = {spec.key: index for index, spec in enumerate(catalogue.fields)}
    numbers = {visit.id: (index, visit.at) for index, visit in enumerate(visits, start=1)}
    known = []
    for key in sorted(by_field, key=lambda k: (order.get(k, len(order)), k)):
        history = by_field[key]
        current = history[-1]
        earlier = tuple(
            Earlier(row.status, row.value, row.at, replaced.at)
            for row, replaced in pairwise(history)
            if row.status is not AnswerStatus.ASK_LATER  # "ask later" said nothing about them
        )
        try:
            spec = catalogue.field(key)
            label, depends_on, is_date = spec.label, spec.depends_on, spec.type.value == "date"
        except KeyError:  # a field no longer in the catalogue: its answer is still shown, so it can be removed
            label, depends_on, is_date = key.replace("_", " ").capitalize(), None, False
        number, visit_at = numbers.get(current.visit_id or "", (None, None))
        if number is None:  # answered before F2 that day: the visit recorded on the same day
            number, visit_at = next(
                ((n, v.at) for n, v in enumerate(visits, start=1) if local_date(v.at) == local_date(current.at)),
                (None, None),
            )
        answered = current.status is AnswerStatus.ANSWERED
        review = answered and bool(depends_on) and depends_on not in granted
        value, status = current.value, current.status
        known.append(KnownAnswer(key, label, status, value, current.at, number, visit_at, earlier, review, is_date))
    return known
