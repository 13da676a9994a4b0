"""Consent events, visits (purchases among them) and profile answers for the synthetic shop, in shop-like
proportions, written through the book's own stores so they are encrypted and chained like real ones.

Proportions per customer: 60 % gave consent choices at the counter (one event per purpose they said yes
to — e-mail news most often, phone calls least — and one in twelve withdrew one later); 40 % have visits on
record (one to five, most of them purchases, some with a note); 25 % answered one to three later-visit
profile questions. At 100,000 customers that is roughly 115,000 consent events, 100,000 visits and 50,000
answers. The stores are looked up at run time, so the generator works on a book that lacks them.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from core.book import CustomerBook

# Chance that a consenting customer says yes to each purpose.
YES_RATES = {
    "marketing_email": 0.7,
    "marketing_sms": 0.4,
    "marketing_phone": 0.1,
    "marketing_post": 0.1,
    "profiling_offers": 0.3,
    "surveys": 0.2,
}
PURCHASES = (
    "Winter coat, navy, size M",
    "Two loaves and a dozen eggs",
    "Birthday card and wrapping paper",
    "Reading glasses repair",
    "Gift voucher £20",
    "Garden gloves and seeds",
)
PROFILE_ANSWERS = {
    "age_range": ("18–24", "25–39", "40–64", "65 or over"),
    "preferred_contact_channel": ("E-mail", "Text message", "Phone call", "Only in the shop"),
    "preferred_contact_times": ("Mornings", "Afternoons", "Evenings", "Weekends", "Any time"),
    "birthday": ("1961-04-12", "1979-11-30", "1988-02-29", "1994-07-08", "2001-09-21"),
}
START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)


def fill(book: CustomerBook, ids: list[str], rng: random.Random) -> dict[str, int]:
    """Write whatever this version of the book can store; returns how many of each were written."""
    if not all(hasattr(CustomerBook, name) for name in ("consent", "visits", "profile")):
        return {}
    _fast_writes(book)
    return {
        "consent_events": _consent(book, ids, rng),
        "visits": _visits(book, ids, rng),
        "profile_answers": _profile(book, ids, rng),
    }


def _fast_writes(book: CustomerBook) -> None:
    """Data preparation only: skip the fsync per transaction (the benchmarks themselves use the real settings,
    since every benchmark opens its own engine on a copy)."""

    def relax(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous=OFF")

    event.listen(book.engine, "connect", relax)
    book.engine.dispose()  # pooled connections pick the pragma up when they reconnect


def _consent(book: CustomerBook, ids: list[str], rng: random.Random) -> int:
    from core.consent.ledger import ConsentMethod

    ledger: Any = book.consent
    enabled = {purpose.key: purpose for purpose in book.catalogue.current().enabled_purposes()}
    rates = {key: rate for key, rate in YES_RATES.items() if key in enabled}
    notice_ref = book.current_notice_ref()
    methods = (ConsentMethod.SIGNED_PAPER, ConsentMethod.VERBAL, ConsentMethod.WRITTEN)
    written = 0
    for customer_id in ids:
        if rng.random() >= 0.6:
            continue
        granted = [key for key, rate in rates.items() if rng.random() < rate]
        method = rng.choice(methods)
        for key in granted:
            ledger.record(customer_id, key, True, method, notice_ref, "Owner", channel=enabled[key].channel)
        written += len(granted)
        if granted and rng.random() < 1 / 12:
            key = rng.choice(granted)
            ledger.record(customer_id, key, False, ConsentMethod.EMAIL, notice_ref, "Sam", channel=enabled[key].channel)
            written += 1
    return written


def _visits(book: CustomerBook, ids: list[str], rng: random.Random) -> int:
    from core.customers.visits import VisitKind

    store: Any = book.visits
    kinds = (VisitKind.PURCHASE,) * 6 + (VisitKind.SERVICE, VisitKind.ENQUIRY, VisitKind.OTHER)
    written = 0
    for customer_id in ids:
        if rng.random() >= 0.4:
            continue
        for _ in range(rng.randint(1, 5)):
            kind = rng.choice(kinds)
            note = rng.choice(PURCHASES) if kind is VisitKind.PURCHASE and rng.random() < 0.3 else ""
            at = START + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            store.record(customer_id, kind, note, at=at.isoformat(timespec="microseconds"))
            written += 1
    return written


def _profile(book: CustomerBook, ids: list[str], rng: random.Random) -> int:
    from core.customers.profiling import AnswerStatus

    store: Any = book.profile
    enabled = {spec.key for spec in book.catalogue.current().enabled_fields()}
    fields = [key for key in PROFILE_ANSWERS if key in enabled]
    written = 0
    for customer_id in ids:
        if not fields or rng.random() >= 0.25:
            continue
        for key in rng.sample(fields, k=min(len(fields), rng.randint(1, 3))):
            if rng.random() < 0.1:
                store.record(customer_id, key, AnswerStatus.DECLINED)
            else:
                store.record(customer_id, key, AnswerStatus.ANSWERED, rng.choice(PROFILE_ANSWERS[key]))
            written += 1
    return written
