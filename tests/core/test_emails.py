"""E-mail addresses as typed: quoted back exactly, a comma typed for a dot, common domain slips suggested."""

from __future__ import annotations

import pytest

from core.book import CustomerBook
from core.customers.emails import split_emails, suggest_domain, suggest_email
from core.customers.store import CustomerDraft
from core.errors import ValidationError


def test_a_comma_typed_for_a_dot_stays_inside_its_address() -> None:
    assert split_emails("tom.baker@gmial,com") == ["tom.baker@gmial,com"]
    assert split_emails("a@b.com, c@d.org") == ["a@b.com", "c@d.org"]
    assert split_emails("a@b,com; c@d.org") == ["a@b,com", "c@d.org"]
    assert split_emails(" a@b.com ,, ") == ["a@b.com"]


def test_the_message_quotes_exactly_what_was_typed(book: CustomerBook) -> None:
    with pytest.raises(ValidationError) as caught:
        book.save_customer(CustomerDraft("Tom Baker", emails=split_emails("tom.baker@gmial,com")))
    assert caught.value.field == "email"
    assert caught.value.message.startswith("“tom.baker@gmial,com” is not an e-mail address")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("tom.baker@gmial,com", "tom.baker@gmail.com"),
        ("tom@gmial.com", "tom@gmail.com"),
        ("tom@hotmial.com", "tom@hotmail.com"),
        ("tom@yahooo.com", "tom@yahoo.com"),
        ("tom@gmail.co", "tom@gmail.com"),
        ("tom@outlok.com", "tom@outlook.com"),
        ("tom@gmail,com", "tom@gmail.com"),
        ("Tom@GMIAL.COM", "Tom@gmail.com"),
    ],
)
def test_common_slips_are_suggested(typed: str, suggested: str) -> None:
    assert suggest_email(typed) == suggested


@pytest.mark.parametrize(
    "typed",
    ["tom@gmail.com", "tom@mail.com", "tom@example.org", "Tom@Gmail.com", "not an address", "a@b@c", "@gmial.com"],
)
def test_nothing_is_suggested_for_addresses_that_look_right(typed: str) -> None:
    assert suggest_email(typed) is None


def test_a_domain_far_from_every_known_one_is_left_alone() -> None:
    assert suggest_domain("corner-shop.co.uk") is None
    assert suggest_domain("gmx.de") is None
