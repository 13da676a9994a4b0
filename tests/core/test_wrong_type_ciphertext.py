"""A ciphertext column edited to hold the wrong type (TEXT, a number, NULL) reads as a tampered record naming
the table, row and field, on the unlock fast path and on every ordinary read; never as a TypeError. At unlock,
one customer's damaged row does not keep the book locked: the customer is listed as damaged instead."""

from __future__ import annotations

import sqlite3
from collections import deque
from pathlib import Path

import pytest

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from core.errors import TamperedRecord
from core.keys.crypto import FAST_TEST_KDF, Aead, DecryptionFailed, new_key
from core.storage.data_folder import DataFolder
from core.storage.records import RecordCipher
from tests.conftest import PASSPHRASE, SHOP, ask_contacts

WRONG = {
    "plain text": "'plain text'",
    "the ciphertext cast to TEXT": "CAST({column} AS TEXT)",
    "an integer": "42",
    "a real": "4.2",
}


@pytest.fixture
def stocked(data_folder: DataFolder) -> tuple[DataFolder, str]:
    """A closed book with one customer (name, phone, notes), a visit with a note and a consent event."""
    book = CustomerBook(data_folder)
    book.set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)
    ask_contacts(book)
    customer = book.save_customer(CustomerDraft("Ana Souza", ["+1 202 555 0134"], ["ana@example.com"], "tea"))
    book.desk.record_visit(customer.id, VisitKind.PURCHASE, "bought a teapot")
    book.desk.set_consent(customer.id, "marketing_email", True, ConsentMethod.VERBAL)
    book.close()
    return data_folder, customer.id


def _edit(database: Path, sql: str) -> None:
    with sqlite3.connect(database) as raw:
        raw.execute(sql)
    raw.close()


def _allow_null(database: Path, table: str, column: str) -> None:
    """Drop a NOT NULL as a hand edit with a database tool would (the table rebuilt without it)."""
    with sqlite3.connect(database) as raw:
        raw.execute("PRAGMA writable_schema = ON")
        raw.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
            (f"{column} BLOB NOT NULL", f"{column} BLOB", table),
        )
    raw.close()


def _reopen(folder: DataFolder) -> CustomerBook:
    return CustomerBook(folder)


@pytest.mark.parametrize("value", sorted(WRONG))
@pytest.mark.parametrize("column", ["name", "contacts"])
def test_unlock_lists_a_wrong_type_in_the_index_columns_as_damaged(
    stocked: tuple[DataFolder, str], column: str, value: str
) -> None:
    folder, customer_id = stocked
    _edit(folder.database, f"UPDATE customers SET {column} = {WRONG[value].format(column=column)}")
    book = _reopen(folder)
    try:
        book.unlock(PASSPHRASE)
        assert book.damaged_customers == (customer_id,)
        with pytest.raises(TamperedRecord) as tampered:
            book.get_customer(customer_id)
        assert (tampered.value.table, tampered.value.row_id, tampered.value.field) == ("customers", customer_id, column)
    finally:
        book.close()


@pytest.mark.parametrize("column", ["name", "contacts"])
def test_unlock_lists_null_where_a_value_must_be_as_damaged(stocked: tuple[DataFolder, str], column: str) -> None:
    folder, customer_id = stocked
    _allow_null(folder.database, "customers", column)
    _edit(folder.database, f"UPDATE customers SET {column} = NULL")
    book = _reopen(folder)
    try:
        book.unlock(PASSPHRASE)
        assert book.damaged_customers == (customer_id,)
        with pytest.raises(TamperedRecord) as tampered:
            list(book.customers.iter_contacts())  # without a list to collect them in, a damaged row still raises
        assert (tampered.value.row_id, tampered.value.field) == (customer_id, column)
    finally:
        book.close()


@pytest.mark.parametrize("value", sorted(WRONG))
def test_reading_a_customer_says_tampered_for_a_wrong_type_in_notes(stocked: tuple[DataFolder, str], value: str):
    folder, customer_id = stocked
    _edit(folder.database, f"UPDATE customers SET notes = {WRONG[value].format(column='notes')}")
    book = _reopen(folder)
    try:
        book.unlock(PASSPHRASE)  # notes are not in the search index
        with pytest.raises(TamperedRecord) as tampered:
            book.get_customer(customer_id)
        assert (tampered.value.table, tampered.value.row_id, tampered.value.field) == (
            "customers",
            customer_id,
            "notes",
        )
        with pytest.raises(TamperedRecord):
            list(book.customers.iter_all(with_notes=True))
    finally:
        book.close()


def test_the_slow_reads_say_tampered_too(stocked: tuple[DataFolder, str]) -> None:
    folder, customer_id = stocked
    book = _reopen(folder)
    try:
        book.unlock(PASSPHRASE)
        _edit(folder.database, "UPDATE customers SET name = CAST(name AS TEXT)")
        with pytest.raises(TamperedRecord, match="integrity") as tampered:
            book.get_customer(customer_id)
        assert tampered.value.field == "name"
        with pytest.raises(TamperedRecord):
            list(book.customers.iter_contacts())
        _edit(folder.database, "UPDATE visits SET note = 'plain text'")
        with pytest.raises(TamperedRecord) as tampered:
            book.visits.for_customer(customer_id)
        assert (tampered.value.table, tampered.value.field) == ("visits", "note")
    finally:
        book.close()


@pytest.mark.parametrize("value", sorted(WRONG))
def test_a_wrong_type_in_the_consent_ledger_is_tampered(stocked: tuple[DataFolder, str], value: str) -> None:
    folder, customer_id = stocked
    book = _reopen(folder)
    try:
        book.unlock(PASSPHRASE)
        _edit(folder.database, "DROP TRIGGER consent_events_no_update")  # as a hand edit would
        _edit(folder.database, f"UPDATE consent_events SET body = {WRONG[value].format(column='body')}")
        with pytest.raises(TamperedRecord) as tampered:
            book.consent.events(customer_id)
        assert tampered.value.table == "consent_events"
        assert book.consent.verify() != []
        _edit(folder.database, "UPDATE consent_events SET mac = 7")
        with pytest.raises(TamperedRecord):
            book.consent.events(customer_id)
        book.lock()
        with pytest.raises(TamperedRecord):
            book.unlock(PASSPHRASE)
    finally:
        book.close()


@pytest.mark.parametrize("sealed", ["plain text", 42, 4.2, None, ["a"]], ids=repr)
def test_the_cipher_treats_anything_but_bytes_as_tampered(sealed: object) -> None:
    aead = Aead(new_key())
    cipher = RecordCipher(aead, 1)
    with pytest.raises(DecryptionFailed):
        aead.open(sealed, b"customers|abc|name|1")  # type: ignore[arg-type]
    for open_ in (cipher.open_text, cipher.open_json, cipher.open_bytes):
        with pytest.raises(TamperedRecord) as tampered:
            open_("customers", "abc", "name", sealed, 1)  # type: ignore[arg-type]
        assert (tampered.value.table, tampered.value.row_id, tampered.value.field) == ("customers", "abc", "name")
    with pytest.raises(TamperedRecord):
        cipher.text_opener("customers", "name")("abc", sealed, 1, "", 0)  # type: ignore[arg-type]


def test_bytes_like_ciphertext_still_opens() -> None:
    cipher = RecordCipher(Aead(new_key()), 1)
    sealed = cipher.seal_text("customers", "abc", "name", "Ana")
    for form in (sealed, bytearray(sealed), memoryview(sealed)):
        assert cipher.open_text("customers", "abc", "name", form, 1) == "Ana"  # type: ignore[arg-type]


def test_the_prefetched_unlock_batches_say_tampered_for_a_wrong_type(book: CustomerBook) -> None:
    customer = book.save_customer(CustomerDraft("Ana Souza"))
    with book.engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT id, key_version, revision, name, contacts FROM customers").one()
    for name, contacts in [("plain text", row[4]), (row[3], None), (row[3], 42)]:
        with pytest.raises(TamperedRecord) as tampered:
            list(book.customers.iter_contacts(deque([[(customer.id, row[1], row[2], name, contacts)]])))
        assert tampered.value.row_id == customer.id
