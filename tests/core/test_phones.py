"""Phones as people say them: search by national forms and dialling prefixes, display, keep as typed."""

from __future__ import annotations

from collections.abc import Iterator

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.book import CustomerBook
from core.customers.phones import (
    TYPED_PREFIX,
    display_free_text,
    display_phone,
    index_digits,
    national_form,
    strip_dialling_prefix,
)
from core.customers.search import SearchIndex
from core.customers.store import CustomerDraft, validate_draft
from core.customers.validation import InvalidPhone, keep_phone_as_typed, normalise_phone
from core.errors import ValidationError
from core.keys.crypto import FAST_TEST_KDF
from core.shop.basics import ShopBasics
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE

UK_MOBILE, UK_LONDON, US_NUMBER, IT_ROME, FR_MOBILE = (
    "+447911123456",
    "+442079460958",
    "+12025550135",
    "+390687654321",
    "+33612345678",
)


def _index(region: str = "GB") -> SearchIndex:
    index = SearchIndex()
    index.set_phone_region(lambda: region)
    index.build_from_contacts(
        [
            ("uk", "Ava Smith", (UK_MOBILE,), ()),
            ("london", "Leo Hall", (UK_LONDON,), ()),
            ("us", "Bo Lind", (US_NUMBER,), ()),
            ("it", "Lia Rossi", (IT_ROME,), ()),
            ("fr", "Zoé Martin", (FR_MOBILE,), ()),
        ]
    )
    return index


@pytest.mark.parametrize(
    "query",
    ["07911", "07911 123456", "07911123456", "+44 7911 123456", "7911123456", "7911 123", "447911", "0044 7911"],
)
def test_a_uk_mobile_is_found_by_every_form_people_say_it_in(query: str) -> None:
    assert _index("GB").search(query).ids == ["uk"]


@pytest.mark.parametrize("query", ["020 7946", "020 7946 0958", "(020) 7946-0958", "+44 20 7946 0958", "0044 20"])
def test_a_london_number_is_found_in_national_and_international_form(query: str) -> None:
    assert _index("GB").search(query).ids == ["london"]


def test_the_international_dialling_prefix_is_the_shops_own() -> None:
    assert _index("US").search("011 44 7911").ids == ["uk"]
    assert _index("US").search("0044 7911").ids == []  # "00" is not how the US dials abroad
    assert _index("GB").search("011 44 7911").ids == []
    assert strip_dialling_prefix("00", "GB") == "00"  # typed so far: may still become a national number
    assert strip_dialling_prefix("07911", "GB") == "07911"


def test_foreign_numbers_are_found_in_their_own_national_form() -> None:
    index = _index("GB")
    assert index.search("06 12 34 56 78").ids == ["fr"]  # French trunk prefix 0
    assert index.search("06 8765 4321").ids == ["it"]  # Italy: the leading 0 belongs to the number
    assert index.search("(202) 555-0135").ids == ["us"]
    assert index.search("1 202 555 0135").ids == ["us"]


def test_national_forms_follow_each_countrys_trunk_prefix() -> None:
    assert national_form("447911123456") == "07911123456"
    assert national_form("79161234567") == "89161234567"  # Russia dials 8
    assert national_form("12025550135") == ""  # US "1" is the country code itself: nothing to add
    assert national_form("390612345678") == ""  # Italy has no trunk prefix
    assert national_form("8001234567") == ""  # non-geographic +800
    assert index_digits(UK_MOBILE) == "447911123456 07911123456"
    assert index_digits(IT_ROME) == "390687654321"
    assert index_digits(TYPED_PREFIX + "0791 12345") == "079112345"


_REGIONS = ["GB", "US", "DE", "FR", "IT", "JP", "RU", "IN", "BR", "AU", "NG", "VN", "PL", "ES"]


@settings(max_examples=60, deadline=None)
@given(region=st.sampled_from(_REGIONS), tail=st.integers(min_value=0, max_value=9999), cut=st.integers(2, 6))
def test_any_valid_number_is_found_by_its_national_and_e164_digits(region: str, tail: int, cut: int) -> None:
    """Whatever phonenumbers prints as the national or international format, a prefix of it finds the number."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None
    national = str(example.national_number)
    number = phonenumbers.PhoneNumber(
        country_code=example.country_code, national_number=int(national[:-4] + f"{tail:04d}")
    )
    number.italian_leading_zero = example.italian_leading_zero
    if not phonenumbers.is_valid_number(number):
        return
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    index = SearchIndex()
    index.set_phone_region(lambda: region)
    index.build_from_contacts([("x", "X", (e164,), ())])
    for style in (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL):
        typed = phonenumbers.format_number(number, style)
        digits = "".join(ch for ch in typed if ch.isdigit())
        assert index.search(typed).ids == ["x"], typed
        assert index.search(digits[: max(cut, len(digits) - cut)]).ids == ["x"], typed


def test_display_national_for_the_shops_country_and_international_for_others() -> None:
    assert display_phone(UK_MOBILE, "GB") == "07911 123456"
    assert display_phone(UK_MOBILE, "US") == "+44 7911 123456"
    assert display_phone(US_NUMBER, "US") == "(202) 555-0135"
    assert display_phone(FR_MOBILE, "GB") == "+33 6 12 34 56 78"
    assert display_phone(TYPED_PREFIX + "0791 12345", "GB") == "0791 12345"
    assert display_free_text("020 7946 0958", "GB") == "020 7946 0958"
    assert display_free_text("+442079460958", "GB") == "020 7946 0958"
    assert display_free_text("ask at the till", "GB") == "ask at the till"


def test_an_invalid_number_says_so_and_may_be_kept_only_when_it_is_plainly_a_number() -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone("07911 12345", "GB")
    assert caught.value.keepable
    assert caught.value.message.startswith("“07911 12345” is not a valid UK number.")
    assert "or keep it as typed" in caught.value.message
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone("call me maybe", "GB")
    assert not caught.value.keepable
    assert "keep it as typed" not in caught.value.message
    with pytest.raises(ValidationError):  # a card number is never kept, whatever the button said
        keep_phone_as_typed("4111 1111 1111 1111", "GB")
    with pytest.raises(InvalidPhone):
        keep_phone_as_typed("12", "GB")
    assert keep_phone_as_typed("07911 12345", "GB") == TYPED_PREFIX + "07911 12345"
    assert keep_phone_as_typed("07911 123456", "GB") == UK_MOBILE  # valid after all: E.164


def test_a_draft_keeps_only_the_numbers_staff_chose() -> None:
    draft = CustomerDraft("Ava", phones=["07911 12345", "020 7946 0958"], typed_phones=["07911 12345"])
    assert validate_draft(draft, "GB")[1] == (TYPED_PREFIX + "07911 12345", UK_LONDON)
    with pytest.raises(InvalidPhone):
        validate_draft(CustomerDraft("Ava", phones=["07911 12345"]), "GB")


@pytest.fixture
def uk_book(data_folder: DataFolder) -> Iterator[CustomerBook]:
    book = CustomerBook(data_folder)
    book.set_up(ShopBasics("Corner Shop", "GB"), PASSPHRASE, FAST_TEST_KDF)
    yield book
    book.close()


def test_kept_as_typed_survives_lock_and_unlock_and_is_searched_and_duplicate_checked(uk_book: CustomerBook) -> None:
    from core.customers.desk import DuplicateContact

    kept = uk_book.save_customer(CustomerDraft("Ava Smith", ["0791 12345"], typed_phones=["0791 12345"]))
    uk_book.save_customer(CustomerDraft("Leo Hall", ["07911 123456"]))
    assert kept.phones == (TYPED_PREFIX + "0791 12345",)
    uk_book.lock()
    uk_book.unlock(PASSPHRASE)
    assert uk_book.get_customer(kept.id).phones == (TYPED_PREFIX + "0791 12345",)  # type: ignore[union-attr]
    assert uk_book.index.search("079112345").ids == [kept.id]
    assert uk_book.index.search("0791 123").ids == [kept.id]
    leo = uk_book.index.search("07911 123456").rows
    assert [row.name for row in leo] == ["Leo Hall"]
    assert uk_book.index.search("0044 7911 123456").ids == [leo[0].id]
    with pytest.raises(DuplicateContact) as caught:  # the same digits typed another way
        uk_book.save_customer(CustomerDraft("Bo", ["0791-12345"], typed_phones=["0791-12345"]))
    assert caught.value.matches[0].customer_id == kept.id
    with pytest.raises(DuplicateContact):
        uk_book.save_customer(CustomerDraft("Bo", ["+44 7911 123456"]))
