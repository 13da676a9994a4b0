"""One damaged customer record does not keep the book locked: the others open, that one is listed as damaged
(ids only), shown by a placeholder that matches nothing personal, and never saved over. Errors that are not
about one row (wrong passphrase, a damaged database file, a tampered ledger) still stop unlock, each its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod, LedgerTampered
from core.customers.store import DAMAGED_NAME, Customer, CustomerDraft, DamagedCustomer, damaged_name
from core.errors import DamagedFile, TamperedRecord, WrongPassphrase
from core.keys.crypto import FAST_TEST_KDF
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE, SHOP, ask_contacts

PEOPLE = [
    ("Ana Souza", "+1 202 555 0134", "ana@example.com"),
    ("Bo Lind", "+1 202 555 0135", "bo@example.com"),
    ("Chidi Okafor", "+1 202 555 0136", "chidi@example.com"),
]


@pytest.fixture
def closed(data_folder: DataFolder) -> tuple[DataFolder, dict[str, str]]:
    """A closed book with three customers (name → id), one consent event among them."""
    book = CustomerBook(data_folder)
    book.set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)
    ask_contacts(book)
    ids = {name: book.save_customer(CustomerDraft(name, [phone], [email])).id for name, phone, email in PEOPLE}
    book.desk.set_consent(ids["Bo Lind"], "marketing_email", True, ConsentMethod.VERBAL)
    book.close()
    return data_folder, ids


def flip_last_byte(database: Path, customer_id: str, column: str = "name") -> None:
    """What a failing disk or a hand edit does to one sealed value: the GCM tag no longer matches."""
    with sqlite3.connect(database) as raw:
        (sealed,) = raw.execute(f"SELECT {column} FROM customers WHERE id = ?", (customer_id,)).fetchone()
        raw.execute(
            f"UPDATE customers SET {column} = ? WHERE id = ?",
            (sealed[:-1] + bytes([sealed[-1] ^ 1]), customer_id),
        )
    raw.close()


@pytest.mark.parametrize("column", ["name", "contacts"])
def test_one_damaged_customer_leaves_the_others_open(closed: tuple[DataFolder, dict[str, str]], column: str) -> None:
    folder, ids = closed
    ana = ids["Ana Souza"]
    flip_last_byte(folder.database, ana, column)
    book = CustomerBook(folder)
    try:
        book.unlock(PASSPHRASE)
        assert book.is_unlocked
        assert book.damaged_customers == (ana,)
        assert len(book.index) == 3
        # The others: searchable by name, phone and e-mail, and openable.
        for name, phone, email in PEOPLE[1:]:
            for query in (name.split()[0], phone[-4:], email):
                assert [row.name for row in book.index.search(query).rows] == [name]
            customer = book.get_customer(ids[name])
            assert customer is not None
            assert customer.name == name
        assert book.desk.granted(ids["Bo Lind"]) == frozenset({"marketing_email"})
        # The damaged one: a placeholder that says nothing personal, found by nothing personal.
        (row,) = book.index.search("damaged").rows
        assert (row.id, row.name, row.phones, row.emails) == (ana, damaged_name(ana), (), ())
        assert row.name == f"{DAMAGED_NAME} {ana[:8]}"
        for query in ("Ana", "Souza", "0134", "ana@example.com"):
            assert book.index.search(query).rows == []
        with pytest.raises(DamagedCustomer) as caught:
            book.get_customer(ana)
        assert isinstance(caught.value, TamperedRecord)
        assert (caught.value.row_id, caught.value.field) == (ana, column)
    finally:
        book.close()


def test_a_damaged_customer_is_never_saved_over(closed: tuple[DataFolder, dict[str, str]]) -> None:
    folder, ids = closed
    ana = ids["Ana Souza"]
    flip_last_byte(folder.database, ana)
    with sqlite3.connect(folder.database) as raw:
        before = raw.execute("SELECT name, contacts, revision FROM customers WHERE id = ?", (ana,)).fetchone()
    raw.close()
    book = CustomerBook(folder)
    try:
        book.unlock(PASSPHRASE)
        # Even with a Customer object made by hand (the window never gets one): refused, nothing written.
        stand_in = Customer(id=ana, name="Ana Souza", revision=before[2])
        with pytest.raises(DamagedCustomer):
            book.save_customer(CustomerDraft("Ana Souza", ["+1 202 555 0199"]), existing=stand_in)
        with sqlite3.connect(folder.database) as raw:
            after = raw.execute("SELECT name, contacts, revision FROM customers WHERE id = ?", (ana,)).fetchone()
        raw.close()
        assert after == before
        # Adding a new customer still works, and the marketing export reads everyone but the damaged one.
        book.save_customer(CustomerDraft("Dara Quinn"))
        names = sorted(c.name for c in book.customers.iter_all(skip=book.damaged_customers))
        assert names == ["Bo Lind", "Chidi Okafor", "Dara Quinn"]
    finally:
        book.close()


def test_damaged_notes_are_found_on_opening_and_listed_too(closed: tuple[DataFolder, dict[str, str]]) -> None:
    folder, ids = closed
    book = CustomerBook(folder)
    try:
        book.unlock(PASSPHRASE)
        chidi = book.get_customer(ids["Chidi Okafor"])
        assert chidi is not None
        book.save_customer(CustomerDraft("Chidi Okafor", notes="prefers mornings"), existing=chidi)
        book.close()
        flip_last_byte(folder.database, ids["Chidi Okafor"], "notes")
        book.unlock(PASSPHRASE)
        assert book.damaged_customers == ()  # notes are not read at unlock
        with pytest.raises(DamagedCustomer) as caught:
            book.get_customer(ids["Chidi Okafor"])
        assert caught.value.field == "notes"
        assert book.damaged_customers == (ids["Chidi Okafor"],)
        book.lock()
        assert book.damaged_customers == ()
    finally:
        book.close()


def test_every_other_unlock_error_still_keeps_the_book_locked(closed: tuple[DataFolder, dict[str, str]]) -> None:
    folder, ids = closed
    flip_last_byte(folder.database, ids["Ana Souza"])
    book = CustomerBook(folder)
    try:
        with pytest.raises(WrongPassphrase):
            book.unlock("not the passphrase at all")
        assert not book.is_unlocked
        book.close()
        with sqlite3.connect(folder.database) as raw:  # someone deletes the consent event behind our back
            raw.execute("DROP TRIGGER IF EXISTS consent_events_no_delete")
            raw.execute("DELETE FROM consent_events")
        raw.close()
        with pytest.raises(LedgerTampered):
            book.unlock(PASSPHRASE)
        assert not book.is_unlocked
        assert len(book.index) == 0
        assert book.damaged_customers == ()
        book.close()
        folder.database.write_bytes(folder.database.read_bytes()[:1000])  # a truncated file
        with pytest.raises(DamagedFile):
            book.unlock(PASSPHRASE)
        assert not book.is_unlocked
    finally:
        book.close()
