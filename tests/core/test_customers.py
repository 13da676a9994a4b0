"""Customers at the counter: validation, exact storage of any text, duplicates, nothing half-written."""

from __future__ import annotations

import pytest

from core.book import CustomerBook
from core.customers.desk import DuplicateContact
from core.customers.store import CustomerDraft
from core.errors import StorageError, ValidationError
from tests.conftest import PASSPHRASE


def _count(book: CustomerBook) -> int:
    return book.customers.count()


def test_only_the_name_is_required(book: CustomerBook) -> None:
    customer = book.save_customer(CustomerDraft(name="  Ana Souza  "))
    assert customer.name == "Ana Souza"
    with pytest.raises(ValidationError) as caught:
        book.save_customer(CustomerDraft(name="   "))
    assert caught.value.field == "name"


def test_phones_stored_as_e164_with_the_shop_region(book: CustomerBook) -> None:
    customer = book.save_customer(CustomerDraft(name="Ana", phones=["(202) 555-0134", "+44 20 7946 0958"]))
    assert customer.phones == ("+12025550134", "+442079460958")
    assert book.get_customer(customer.id).phones == customer.phones  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", ["hello", "12", "+1 555 01", "555-0134-99999999"])
def test_invalid_phone_is_refused_next_to_the_field_and_nothing_saved(book: CustomerBook, bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        book.save_customer(CustomerDraft(name="Ana", phones=[bad]))
    assert caught.value.field == "phone"
    assert _count(book) == 0


@pytest.mark.parametrize("bad", ["ana@", "ana.example.com", "ana@@x.com", "a b@x.com"])
def test_invalid_email_is_refused_and_nothing_saved(book: CustomerBook, bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        book.save_customer(CustomerDraft(name="Ana", emails=[bad]))
    assert caught.value.field == "email"
    assert "not an e-mail address" in caught.value.message
    assert _count(book) == 0


@pytest.mark.parametrize(
    "name",
    [
        "Łukasz Wójcik",
        "Nguyễn Thị Minh Khai",
        "محمد بن سلمان",  # right-to-left
        "דוד בן־גוריון",
        "山田 太郎",
        "Zoë 👩🏽‍🔧 Ortiz",  # emoji with skin tone and ZWJ sequence
        "Robert'); DROP TABLE customers;--",
        "x" * 200,
    ],
)
def test_any_script_is_stored_exactly(book: CustomerBook, name: str) -> None:
    customer = book.save_customer(CustomerDraft(name=name, notes=name))
    book.lock()
    book.unlock(PASSPHRASE)
    stored = book.get_customer(customer.id)
    assert stored is not None
    assert stored.name == name
    assert stored.notes == name
    assert book.customers.count() == 1


def test_huge_name_is_refused_with_its_length(book: CustomerBook) -> None:
    with pytest.raises(ValidationError, match="100,000 characters"):
        book.save_customer(CustomerDraft(name="A" * 100_000))
    assert _count(book) == 0


@pytest.mark.parametrize("name", ["Ana\x00Souza", "Ana\x1bSouza", "Ana\ud800"])
def test_nul_control_and_broken_characters_are_refused(book: CustomerBook, name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        book.save_customer(CustomerDraft(name=name))
    assert caught.value.field == "name"
    assert _count(book) == 0


@pytest.mark.parametrize("field", ["name", "notes"])
@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005"])
def test_card_numbers_are_refused_in_any_field(book: CustomerBook, field: str, card: str) -> None:
    draft = CustomerDraft(name=f"Ana {card}") if field == "name" else CustomerDraft(name="Ana", notes=f"paid {card}")
    with pytest.raises(ValidationError, match="card number") as caught:
        book.save_customer(draft)
    assert caught.value.field == field
    assert _count(book) == 0


def test_last_four_digits_and_order_numbers_are_fine(book: CustomerBook) -> None:
    book.save_customer(CustomerDraft(name="Ana", notes="Visa ending 1111, order 2024-000123, 4111 1111 1111 1112"))
    assert _count(book) == 1


def test_duplicate_phone_offers_the_existing_customer(book: CustomerBook) -> None:
    ana = book.save_customer(CustomerDraft(name="Ana Souza", phones=["202 555 0134"], emails=["ana@example.com"]))
    with pytest.raises(DuplicateContact) as caught:
        book.save_customer(CustomerDraft(name="A. Souza", phones=["+1 (202) 555-0134"]))
    assert str(caught.value) == "This phone belongs to Ana Souza — open them instead?"
    assert caught.value.matches[0].customer_id == ana.id
    with pytest.raises(DuplicateContact, match="e-mail belongs to Ana Souza"):
        book.save_customer(CustomerDraft(name="Someone", emails=["ANA@example.com"]))
    assert _count(book) == 1
    book.save_customer(CustomerDraft(name="Ana's sister", phones=["202 555 0134"]), allow_duplicates=True)
    assert _count(book) == 2


def test_editing_a_customer_is_not_a_duplicate_of_itself(book: CustomerBook) -> None:
    ana = book.save_customer(CustomerDraft(name="Ana Souza", phones=["202 555 0134"]))
    edited = book.save_customer(CustomerDraft(name="Ana Souza-Lima", phones=["202 555 0134"]), existing=ana)
    assert edited.revision == 2
    assert book.index.search("lima").ids == [ana.id]
    assert book.index.search("souza").ids == [ana.id]


def test_stale_edit_is_refused(book: CustomerBook) -> None:
    ana = book.save_customer(CustomerDraft(name="Ana"))
    book.save_customer(CustomerDraft(name="Ana B"), existing=ana)
    with pytest.raises(StorageError, match="changed this customer"):
        book.save_customer(CustomerDraft(name="Ana C"), existing=ana)
    assert book.get_customer(ana.id).name == "Ana B"  # type: ignore[union-attr]


def test_locked_database_gives_a_clear_message_and_saves_nothing(book: CustomerBook) -> None:
    import sqlite3

    other = sqlite3.connect(book.folder.database, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        from core.storage import engine as engine_module

        book.engine.dispose()
        original = engine_module.BUSY_TIMEOUT_MS
        engine_module.BUSY_TIMEOUT_MS = 50
        try:
            with pytest.raises(StorageError, match="busy"):
                book.save_customer(CustomerDraft(name="Ana"))
        finally:
            engine_module.BUSY_TIMEOUT_MS = original
    finally:
        other.rollback()
        other.close()
    assert len(book.index) == 0
    assert _count(book) == 0


def test_full_disk_gives_a_clear_message_and_saves_nothing(book: CustomerBook, monkeypatch) -> None:
    import sqlite3

    from sqlalchemy import event

    def refuse(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(book.engine, "before_cursor_execute", refuse)
    try:
        with pytest.raises(StorageError, match="disk is full"):
            book.save_customer(CustomerDraft(name="Ana"))
    finally:
        event.remove(book.engine, "before_cursor_execute", refuse)
    assert len(book.index) == 0
    assert _count(book) == 0
