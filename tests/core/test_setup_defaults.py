"""Issue 13: a new book claims nothing the shop did not choose (name and a phone; no partners, no recipients), and
the set-up wizard's choice of fields follows the catalogue's rules."""

from __future__ import annotations

import pytest

from core.book import CustomerBook
from core.catalogue import CatalogueError, load_default_catalogue
from core.catalogue.edits import asking_only, setup_choices
from core.errors import ValidationError
from tests.core.test_notice import _ready


@pytest.fixture
def book(shipped_book: CustomerBook) -> CustomerBook:
    """These tests are about the shipped catalogue itself, before the owner changes anything."""
    return shipped_book


def test_a_new_books_notice_mentions_only_the_name_and_a_phone(book: CustomerBook) -> None:
    _ready(book)
    assert [f.key for f in book.catalogue.current().enabled_fields()] == ["name", "phone"]
    assert book.notices.profile().partners == ()
    text = book.notices.current()[0].plain()
    for claim in ("Postal address", "Profession", "Children", "Marital", "household", "partner", "delivery",
                  "Birthday", "Interests", "E-mail —"):  # fmt: skip
        assert claim not in text, claim
    assert "Nobody outside the shop receives your information." in text
    assert "Mobile phone" in text


def test_no_field_the_wizard_offers_names_a_recipient() -> None:
    """Only the owner knows who receives what; the sensitive fields (off, switched on in Settings with a reason)
    keep the recipient their purpose implies (the bank for a bank account)."""
    assert [f.key for f in setup_choices(load_default_catalogue()) if f.recipients] == []


def test_setup_choices_are_the_ordinary_fields_and_asking_only_switches_exactly_those_on() -> None:
    shipped = load_default_catalogue()
    offered = [spec.key for spec in setup_choices(shipped)]
    assert offered[:2] == ["phone", "email"]
    assert "name" not in offered
    assert not {"national_id", "bank_account", "insurance_details", "health_notes"} & set(offered)
    chosen = asking_only(shipped, ["email", "birthday"])
    assert [f.key for f in chosen.enabled_fields()] == ["name", "email", "birthday"]
    with pytest.raises(ValidationError, match="at least one way to reach") as caught:
        asking_only(shipped, ["birthday"])
    assert caught.value.field == "contacts"
    with pytest.raises(CatalogueError, match="Settings"):
        asking_only(shipped, ["phone", "health_notes"])
