"""A throwaway demo shop: generated customers in a temporary folder, with a generated passphrase.

The demo is a complete shop, so every screen and Ctrl+P show something real: the profile the notice needs, a
catalogue the owner changed twice (a notice version history), visits, answers and consents, some withdrawn."""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from core.book import CustomerBook
from core.catalogue.edits import asking_only
from core.consent.ledger import ConsentMethod
from core.customers.visits import VisitKind
from core.keys.crypto import MIN_ITERATIONS, MIN_MEMORY_KIB, KdfParams
from core.keys.passphrase_policy import generate_passphrase
from core.shop.basics import ShopBasics
from core.storage.data_folder import DataFolder

DEMO_CUSTOMERS = 300
DEMO_REGULARS = 60  # the customers with a history: visits, answers, consents (the rest are new faces)
DEMO_OWNER = "Ana Souza"
# The demo is throwaway and fake, so it uses the floor cost rather than calibrating.
DEMO_KDF = KdfParams(memory_kib=MIN_MEMORY_KIB, iterations=MIN_ITERATIONS)


@dataclass(frozen=True)
class DemoShop:
    folder: DataFolder
    passphrase: str


def new_demo_folder() -> DataFolder:
    return DataFolder(Path(tempfile.mkdtemp(prefix="counterpart-demo-")))


def create_demo_shop(folder: DataFolder, customers: int = DEMO_CUSTOMERS, seed: int = 7) -> DemoShop:
    """Set up a demo book with generated customers and their history, then lock it. Slow-ish: run it in the
    background."""
    from core.customers.sample_shop import seed_book

    passphrase = generate_passphrase(words=4)
    book = CustomerBook(folder)
    try:
        book.set_up(ShopBasics(name="Demo Corner Shop", country="GB"), passphrase, DEMO_KDF)
        _furnish_shop(book)
        seed_book(book, customers, seed)
        _give_history(book, random.Random(seed), min(DEMO_REGULARS, customers))  # noqa: S311 - reproducible, not secret
    finally:
        book.close()
    return DemoShop(folder=folder, passphrase=passphrase)


def _furnish_shop(book: CustomerBook) -> None:
    """The profile, the staff name and three notice versions, as an owner who set up and then changed things."""
    preferences = book.preferences()
    preferences.staff_name = DEMO_OWNER
    book.save_preferences(preferences)
    notices = book.notices
    notices.save_profile(
        replace(
            notices.profile(),
            legal_name="Demo Corner Shop Ltd",
            address="14 Market Street, Bristol BS1 4DJ",
            phone="0117 496 0321",
            email="hello@democornershop.example",
            privacy_contact=DEMO_OWNER,
        )
    )
    first = asking_only(book.catalogue.current(), ["phone", "email"])
    book.catalogue.save(first, DEMO_OWNER, "Chosen at set-up")
    notices.current()  # version 1
    later = asking_only(
        book.catalogue.current(), ["phone", "email", "age_range", "birthday", "preferred_contact_channel"]
    )
    book.catalogue.save(later, DEMO_OWNER, "Ask returning customers their age range, birthday and preferred contact")
    notices.current()  # version 2
    notices.save_profile(replace(notices.profile(), complaint_days=10))
    notices.current()  # version 3: a quicker promise to answer complaints


_AGE_RANGES = ("18–24", "25–39", "40–64", "65 or over")
_CHANNELS = ("E-mail", "Text message", "Phone call", "Only in the shop")
_METHODS = (ConsentMethod.SIGNED_PAPER, ConsentMethod.VERBAL, ConsentMethod.WRITTEN)


def _give_history(book: CustomerBook, rng: random.Random, regulars: int) -> None:
    """Visits, answers and consents for the first `regulars` customers; about one in five withdraws one later."""
    desk = book.desk
    now = datetime.now(UTC)
    for customer in islice(book.customers.iter_all(), regulars):
        # Visits and answers on earlier days, as a real shop's would be: a regular opened today is asked
        # today's question ("Asked today: 0 of 1"), not told three were asked already. Consents stay today's:
        # each cites the notice version in force when it was given, and the demo's versions are all new.
        days = sorted(rng.sample(range(2, 90), rng.randint(1, 4)), reverse=True)
        moments = [(now - timedelta(days=day, minutes=rng.randint(0, 480))).isoformat() for day in days]
        for moment in moments:
            desk.record_visit(customer.id, rng.choice(list(VisitKind)), note="", at=moment)
        first = moments[0]
        desk.answer(customer.id, "age_range", rng.choice(_AGE_RANGES), at=first)
        if rng.random() < 0.5:
            birthday = f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            desk.answer(customer.id, "birthday", birthday, at=first)
        if rng.random() < 0.5:
            desk.answer(customer.id, "preferred_contact_channel", rng.choice(_CHANNELS), at=moments[-1])
        granted = []
        if customer.emails and rng.random() < 0.7:
            granted.append("marketing_email")
        if customer.phones and rng.random() < 0.4:
            granted.append("marketing_sms")
        if rng.random() < 0.3:
            granted.append("surveys")
        method = rng.choice(_METHODS)
        for purpose in granted:
            desk.set_consent(customer.id, purpose, True, method)
        if granted and rng.random() < 0.2:
            desk.set_consent(customer.id, granted[0], False, ConsentMethod.VERBAL)  # changed their mind
