"""The counter's rules for saving customers: validate, refuse a duplicate contact, store sealed, update the index."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable

from core.customers.collected import CollectedContacts, refuse_uncollected
from core.customers.search import DuplicateMatch, SearchIndex
from core.customers.store import (
    Customer,
    CustomerDraft,
    CustomerStore,
    DamagedCustomer,
    SealedContacts,
    validate_draft,
)
from core.errors import CounterpartError, TamperedRecord

log = logging.getLogger(__name__)


class DuplicateContact(CounterpartError):
    """Saving would give a phone or e-mail that another customer already has."""

    def __init__(self, matches: list[DuplicateMatch]) -> None:
        first = matches[0]
        what = "phone" if first.kind == "phone" else "e-mail"
        super().__init__(f"This {what} belongs to {first.name} — open them instead?")
        self.matches = matches


class CustomerDesk:
    """Adds and edits customers so that the store and the search index never disagree."""

    def __init__(
        self,
        store: CustomerStore,
        index: SearchIndex,
        phone_region: Callable[[], str],
        collected: Callable[[], CollectedContacts],
    ) -> None:
        self._store = store
        self._index = index
        self._phone_region = phone_region  # read at each save: the owner may change the shop's country
        self._collected = collected  # and this: the owner may switch the phone or e-mail field on or off
        index.set_phone_region(phone_region)  # and at each digit query: "0044…" is a UK way of dialling
        self.damaged: set[str] = set()  # ids of customers whose record does not open (ids only, never plaintext)

    def build_index(self, sealed: deque[list[SealedContacts]] | None = None) -> None:
        """Build the search index from every stored customer (unlock). A customer whose name or contacts do not
        open is listed in `damaged` and indexed as "Damaged record <short id>", so the rest of the book opens."""
        damaged: list[str] = []
        self._index.build_from_contacts(self._store.iter_contacts(sealed, damaged))
        self.damaged = set(damaged)
        if damaged:
            log.warning("%d customer records do not open; they are listed as damaged", len(damaged))

    def get(self, customer_id: str) -> Customer | None:
        """The customer, decrypted; None when gone. Raises DamagedCustomer for one whose record does not open
        (then listed in `damaged`, notes included: those are read only here)."""
        try:
            customer = self._store.get(customer_id)
        except TamperedRecord as error:
            self.damaged.add(customer_id)
            raise DamagedCustomer(customer_id, error.field) from error
        if customer is not None and customer.id in self.damaged:  # mended on disk meanwhile: unlock again
            raise DamagedCustomer(customer_id)
        return customer

    def save(self, draft: CustomerDraft, existing: Customer | None = None, allow_duplicates: bool = False) -> Customer:
        """Validate, check for duplicates, encrypt and store; the index follows. Raises ValidationError,
        DuplicateContact (unless allowed), StorageError or DamagedCustomer (a damaged record is never written
        over: restoring a backup gets it back); on any error nothing is written."""
        if existing is not None and existing.id in self.damaged:
            raise DamagedCustomer(existing.id)
        name, phones, emails, notes = validate_draft(draft, self._phone_region())
        if existing is None:
            refuse_uncollected(self._collected(), phones, emails)
        else:
            refuse_uncollected(self._collected(), phones, emails, existing.phones, existing.emails)
        if not allow_duplicates:
            matches = self._index.duplicates(phones, emails, exclude_id=existing.id if existing else "")
            if matches:
                raise DuplicateContact(matches)
        if existing is None:
            customer = self._store.add(name, phones, emails, notes)
        else:
            customer = self._store.update(existing, name, phones, emails, notes)
        self._index.upsert(customer)
        return customer

    def add_many(self, drafts: list[CustomerDraft]) -> list[Customer]:
        """Validate every draft first, then store all in one transaction: all or nothing. Imported customers are
        new: a phone or e-mail the shop does not collect is refused like one typed at the counter."""
        region, collected = self._phone_region(), self._collected()
        validated = [validate_draft(d, region) for d in drafts]
        for _name, phones, emails, _notes in validated:
            refuse_uncollected(collected, phones, emails)
        added = self._store.add_many(validated)
        for customer in added:
            self._index.upsert(customer)
        return added
