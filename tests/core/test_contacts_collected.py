"""The app promises only what it keeps: a phone or e-mail the shop does not collect is refused at save, beside its
field; what a customer already has may be kept, corrected or removed, never added to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pytest

from core.book import CustomerBook
from core.customers.collected import ALL_CONTACTS, CollectedContacts, collected_contacts
from core.customers.phones import TYPED_PREFIX
from core.customers.store import CustomerDraft
from core.errors import ValidationError
from tests.conftest import ask_contacts

SWITCH_ON_EMAIL = "switch “E-mail” on in Settings → Fields we collect (the notice will then say so)."


def asking(book: CustomerBook, keys: Iterable[str]) -> None:
    """Save a catalogue asking the name and exactly the contact fields in `keys` (both off is allowed too)."""
    chosen = set(keys)
    current = book.catalogue.current()
    fields = tuple(replace(f, enabled=f.key in chosen) if f.key in ("phone", "email") else f for f in current.fields)
    book.catalogue.save(replace(current, fields=fields), "Owner", "Contacts")


def test_the_shipped_catalogue_refuses_a_new_email_beside_its_field(shipped_book: CustomerBook) -> None:
    with pytest.raises(ValidationError) as caught:
        shipped_book.save_customer(CustomerDraft("Ana Souza", ["+1 415 555 0134"], ["ana@example.com"]))
    assert caught.value.field == "email"
    assert caught.value.message == f"This shop does not collect e-mail addresses. To start, {SWITCH_ON_EMAIL}"
    assert len(shipped_book.index) == 0  # nothing written
    saved = shipped_book.save_customer(CustomerDraft("Ana Souza", ["+1 415 555 0134"]))
    assert saved.phones == ("+14155550134",)


def test_a_phone_switched_off_is_refused_with_its_own_label(book: CustomerBook) -> None:
    asking(book, ["email"])
    with pytest.raises(ValidationError) as caught:
        book.save_customer(CustomerDraft("Ana Souza", ["+1 415 555 0134"], ["ana@example.com"]))
    assert caught.value.field == "phone"
    assert "does not collect phone numbers" in caught.value.message
    assert "switch “Mobile phone” on in Settings → Fields we collect" in caught.value.message
    assert book.save_customer(CustomerDraft("Ana Souza", emails=["ana@example.com"])).emails == ("ana@example.com",)


@pytest.mark.parametrize("keys", [(), ("phone",), ("email",), ("phone", "email")])
def test_a_name_alone_is_still_enough(book: CustomerBook, keys: tuple[str, ...]) -> None:
    asking(book, keys)
    assert book.save_customer(CustomerDraft("Walk-in")).name == "Walk-in"


def test_with_both_switched_off_neither_is_taken(book: CustomerBook) -> None:
    asking(book, [])
    for draft, field in (
        (CustomerDraft("A", ["+1 415 555 0134"]), "phone"),
        (CustomerDraft("A", [], ["a@b.co"]), "email"),
    ):
        with pytest.raises(ValidationError) as caught:
            book.save_customer(draft)
        assert caught.value.field == field


def test_values_a_customer_already_has_may_be_kept_corrected_or_removed(book: CustomerBook) -> None:
    ana = book.save_customer(CustomerDraft("Ana Souza", ["+1 415 555 0134"], ["ana@example.com"]))
    asking(book, ["phone"])  # the owner stops collecting e-mails
    renamed = book.save_customer(CustomerDraft("Ana Souza-Lima", ["+1 415 555 0134"], ["ana@example.com"]), ana)
    assert renamed.emails == ("ana@example.com",)
    corrected = book.save_customer(CustomerDraft("Ana Souza-Lima", ["+1 415 555 0134"], ["ana@example.org"]), renamed)
    assert corrected.emails == ("ana@example.org",)
    with pytest.raises(ValidationError) as caught:  # a second one is new
        book.save_customer(
            CustomerDraft("Ana Souza-Lima", ["+1 415 555 0134"], ["ana@example.org", "ana@work.example"]), corrected
        )
    assert caught.value.field == "email"
    assert "any more: the one on file can be corrected or removed, but not added to" in caught.value.message
    assert SWITCH_ON_EMAIL in caught.value.message
    removed = book.save_customer(CustomerDraft("Ana Souza-Lima", ["+1 415 555 0134"]), corrected)
    assert removed.emails == ()
    with pytest.raises(ValidationError):  # gone means gone: typing it back is adding it
        book.save_customer(CustomerDraft("Ana Souza-Lima", ["+1 415 555 0134"], ["ana@example.org"]), removed)


def test_a_phone_kept_as_typed_stays_allowed_when_phones_are_switched_off(book: CustomerBook) -> None:
    kept = book.save_customer(CustomerDraft("Bo", ["555 01"], typed_phones=["555 01"]))
    assert kept.phones == (TYPED_PREFIX + "555 01",)
    asking(book, ["email"])
    again = book.save_customer(CustomerDraft("Bo Lind", ["555 01"], typed_phones=["555 01"]), kept)
    assert again.phones == kept.phones
    with pytest.raises(ValidationError) as caught:
        book.save_customer(CustomerDraft("Bo Lind", ["555 01", "+1 415 555 0134"], typed_phones=["555 01"]), again)
    assert caught.value.field == "phone"


def test_the_rule_follows_the_catalogue_in_force_at_each_save(shipped_book: CustomerBook) -> None:
    draft = CustomerDraft("Ana Souza", emails=["ana@example.com"])
    with pytest.raises(ValidationError):
        shipped_book.save_customer(draft)
    ask_contacts(shipped_book)
    assert shipped_book.save_customer(draft).emails == ("ana@example.com",)


def test_an_import_is_refused_whole_when_one_draft_has_an_uncollected_email(shipped_book: CustomerBook) -> None:
    drafts = [CustomerDraft("One", ["+1 415 555 0134"]), CustomerDraft("Two", emails=["two@example.com"])]
    with pytest.raises(ValidationError) as caught:
        shipped_book.import_customers(drafts)
    assert caught.value.field == "email"
    assert len(shipped_book.index) == 0


def test_collected_contacts_reads_the_catalogue(shipped_book: CustomerBook) -> None:
    collected = collected_contacts(shipped_book.catalogue.current())
    assert ("phone" in collected, "email" in collected) == (True, False)
    assert (collected.label("phone"), collected.label("email")) == ("Mobile phone", "E-mail")


@pytest.mark.parametrize(
    ("keys", "start", "search"),
    [
        (("phone", "email"), "Start with a name and one way to reach them.", "name, phone or e-mail"),
        (("phone",), "Start with a name and a phone number.", "name or phone"),
        (("email",), "Start with a name and an e-mail address.", "name or e-mail"),
        ((), "Start with a name.", "name"),
    ],
)
def test_the_words_fit_what_is_asked(keys: tuple[str, ...], start: str, search: str) -> None:
    collected = CollectedContacts(frozenset(keys))
    assert collected.start_line() == f"{start} Ask more at later visits."
    assert collected.search_words() == search


def test_everything_collected_is_the_default_for_words() -> None:
    assert ALL_CONTACTS.search_words() == "name, phone or e-mail"
