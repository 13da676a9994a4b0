"""Card numbers, security codes and expiry dates are refused in every free-text field, however they are
written; ordinary numbers (phones, dates, prices, order numbers, ISBNs) are not."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from core.book import CustomerBook
from core.catalogue import FieldType
from core.catalogue.edits import custom_field
from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft, validate_draft
from core.customers.validation import refuse_card_numbers
from core.customers.visits import VisitKind
from core.errors import ValidationError
from core.text.card_details import find_card_detail, find_card_number, fold, luhn_valid

# --- generated card numbers ------------------------------------------------------------------------------

# network: (issuer prefix ranges as (low, high) of the same width, lengths the network issues)
NETWORKS: dict[str, tuple[list[tuple[int, int]], list[int]]] = {
    "visa": ([(4, 4)], [13, 16, 19]),
    "mastercard": ([(51, 55), (2221, 2720)], [16]),
    "amex": ([(34, 34), (37, 37)], [15]),
    "discover": ([(6011, 6011), (644, 649), (65, 65)], [16, 17, 18, 19]),
    "jcb": ([(3528, 3589)], [16, 17, 18, 19]),
    "diners": ([(300, 305), (36, 36), (38, 39)], [14, 15, 16, 17, 18, 19]),
    "unionpay": ([(62, 62)], [16, 17, 18, 19]),
    "maestro": ([(50, 50), (56, 69)], [13, 14, 15, 16, 17, 18, 19]),
}
# Each gap of a "spaces" card picks one of these; the other styles use one separator throughout.
SPACES = [" ", "  ", "\u00a0", "\u202f", "\u2007", "\u3000", " \u00a0"]
STYLES = ["spaces", "-", " - ", "/", "_", ".", ""]
DIGIT_ZEROS = [0x30, 0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50]  # ASCII, full-width, Arabic-Indic, Persian…
WORDS = ["Ana", "called", "about", "the", "blue", "coat", "paid", "by", "card", "ref", "tel", "size", "note:",
         "Łódź", "Müller", "東京", "مرحبا", "Ольга", "(", ")", ",", ";", "—", "ask", "for", "no."]  # fmt: skip


def with_check_digit(body: str) -> str:
    """`body` plus the Luhn check digit (written out here, independent of the code under test)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char)
        if position % 2 == 0:  # doubled once the check digit is appended
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return body + str((10 - total % 10) % 10)


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    ranges, lengths = NETWORKS[draw(st.sampled_from(sorted(NETWORKS)))]
    low, high = draw(st.sampled_from(ranges))
    prefix = str(draw(st.integers(low, high)))
    length = draw(st.sampled_from(lengths))
    card = with_check_digit(prefix + draw(st.from_regex(f"[0-9]{{{length - len(prefix) - 1}}}", fullmatch=True)))
    assert len(card) == length
    assert luhn_valid(card)
    return card


@st.composite
def written_cards(draw: st.DrawFn) -> tuple[str, str]:
    """(card digits, the card as someone might type it: random groups, separators and digit script)."""
    card = draw(card_numbers())
    groups, rest = [], card
    while rest:
        size = draw(st.integers(1, 8))
        groups.append(rest[:size])
        rest = rest[size:]
    style = draw(st.sampled_from(STYLES))
    zero = draw(st.sampled_from(DIGIT_ZEROS))
    script = str.maketrans("0123456789", "".join(chr(zero + n) for n in range(10)))
    written = groups[0]
    for group in groups[1:]:
        written += (draw(st.sampled_from(SPACES)) if style == "spaces" else style) + group
    return card, written.translate(script)


def around() -> st.SearchStrategy[list[str]]:
    """Ordinary things written before or after a card: words, other numbers, an expiry, a security code."""
    extra = st.sampled_from(["ref 1234", "12/25", "exp 12/25", "CVV 123", "+44 20 7946 0958", "2024-05-01", "£12.50"])
    digits = st.from_regex(r"[0-9]{1,6}", fullmatch=True)
    return st.lists(st.one_of(st.sampled_from(WORDS), extra, digits), max_size=4)


def _no_digits_repeated(message: str, typed: str) -> None:
    for run in re.findall(r"[0-9]{3,}", fold(typed)):
        assert run not in message.replace("4 digits", "")


@given(written_cards(), around(), around())
def test_a_card_number_is_refused_however_it_is_written(
    written: tuple[str, str], before: list[str], after: list[str]
) -> None:
    card, typed = written
    text = " ".join([*before, typed, *after])
    assert find_card_number(text) is not None, (card, text)
    with pytest.raises(ValidationError, match="looks like a payment card number") as refused:
        refuse_card_numbers("notes", text)
    _no_digits_repeated(refused.value.message, text)


# --- ordinary numbers -------------------------------------------------------------------------------------


def _grouped(draw: st.DrawFn, digits: str, separators: list[str]) -> str:
    separator = draw(st.sampled_from(separators))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(digits) - 1)), max_size=3)))
    parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True) if digits[a:b]]
    return separator.join(parts)


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """International (+, country code, national number) or national (trunk 0) format, 7–15 digits. National
    numbers are at most 12 digits long, as every numbering plan in use today keeps them."""
    digit = st.sampled_from("0123456789")
    if draw(st.booleans()):
        country = str(draw(st.integers(1, 999)))
        size = draw(st.integers(max(4, 7 - len(country)), min(12, 15 - len(country))))
        national = str(draw(st.integers(1, 9))) + "".join(draw(st.lists(digit, min_size=size - 1, max_size=size - 1)))
        return f"+{country}{draw(st.sampled_from([' ', '-', '']))}{_grouped(draw, national, [' ', '-', '.', ''])}"
    size = draw(st.integers(6, 10))
    national = "0" + "".join(draw(st.lists(digit, min_size=size, max_size=size)))
    return _grouped(draw, national, [" ", "-", ".", ""])


@st.composite
def dates(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
    return day.strftime(draw(st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%y", "%d.%m.%Y", "%d %B %Y"])))


@st.composite
def prices(draw: st.DrawFn) -> str:
    units, cents = draw(st.integers(0, 999_999)), draw(st.integers(0, 99))
    return draw(st.sampled_from([f"£{units}.{cents:02d}", f"${units:,}.{cents:02d}", f"{units},{cents:02d} €"]))


@st.composite
def order_numbers(draw: st.DrawFn) -> str:
    number = draw(st.from_regex(r"[0-9]{1,12}", fullmatch=True))
    return draw(st.sampled_from(["#", "order ", "no. ", ""])) + number


@st.composite
def isbn10(draw: st.DrawFn) -> str:
    body = draw(st.from_regex(r"[0-9]{9}", fullmatch=True))
    check = sum((10 - n) * int(c) for n, c in enumerate(body)) * 10 % 11  # makes the weighted sum 0 mod 11
    check_char = "X" if check == 10 else str(check)
    return f"ISBN {body[0]}-{body[1:4]}-{body[4:9]}-{check_char}"


@st.composite
def long_numbers_failing_luhn(draw: st.DrawFn) -> str:
    number = draw(st.from_regex(r"[1-9][0-9]{12,18}", fullmatch=True))
    assume(not luhn_valid(number))
    return number


ORDINARY = st.one_of(phone_numbers(), dates(), prices(), order_numbers(), isbn10(), long_numbers_failing_luhn())


@given(st.lists(st.tuples(st.sampled_from(WORDS), ORDINARY), min_size=1, max_size=6))
def test_ordinary_numbers_in_ordinary_text_are_accepted(pieces: list[tuple[str, str]]) -> None:
    text = " ".join(f"{word} {number}" for word, number in pieces)
    assert find_card_detail(text) is None, text
    refuse_card_numbers("notes", text)


@given(st.text(alphabet=st.characters(exclude_categories=["Nd", "No", "Nl", "Cs"])))
def test_text_without_digits_is_accepted(text: str) -> None:
    assert find_card_detail(text) is None


# --- the regressions, through the real entry points -----------------------------------------------------

CARDS = [
    "4111 1111 1111 1111 12/25",
    "4111111111111111 exp 12/25 cvv 123",
    "ref 1234 4111 1111 1111 1111",
    "4111  1111  1111  1111",
    "4111\u00a01111\u00a01111\u00a01111",
    "4111\u202f1111\u202f1111\u202f1111",
    "4111\u20071111\u20071111\u20071111",
    "4111/1111/1111/1111",
    "4111_1111_1111_1111",
    "4111 - 1111 - 1111 - 1111",
    "４１１１ １１１１ １１１１ １１１１",  # full-width
    "٤١١١ ١١١١ ١١١١ ١١١١",  # Arabic-Indic
    "४१११ ११११ ११११ ११११",  # Devanagari
    "3530 1113 3330 0000",  # JCB
    "3566-0020-2036-0505",  # JCB
    "3782 822463 10005",  # Amex
    "3056 930902 5904",  # Diners
    "6011 1111 1111 1117",  # Discover
    "2223 0031 2200 3222",  # Mastercard 2-series
    "6200 0000 0000 0005",  # UnionPay
    "6759 6498 2643 8453",  # Maestro
    "4111111111111111@example.com",
    "pay.4111.1111.1111.1111@example.com",
    "+4111 1111 1111 1111",
]
SECRETS = {
    "CVV 123": "security code",
    "CVC: 1234": "security code",
    "security code 123": "security code",
    "card 1234, cvv2 987": "security code",
    "exp 04/27": "expiry date",
    "expiry 04/2027": "expiry date",
    "valid thru 04/27": "expiry date",
    "Exp. date: 4/27": "expiry date",
}
REFUSED = [(text, "card number") for text in CARDS] + list(SECRETS.items())
NOT_SECRETS = [
    "warranty expiry 12/05/2024", "exported 04/27", "order 123", "door code 1234", "valid 04/27 only",
    "ISBN 2-300-00000-8 — 2000-01-01",  # an em dash separates clauses, not digit groups (hypothesis found it)
]  # fmt: skip


def _assert_refused(call: Callable[[], object], field: str, typed: str, what: str) -> None:
    with pytest.raises(ValidationError) as refused:
        call()
    assert refused.value.field == field, typed
    assert what in refused.value.message, (typed, refused.value.message)
    _no_digits_repeated(refused.value.message, typed)


@pytest.mark.parametrize(("typed", "what"), REFUSED)
@pytest.mark.parametrize("field", ["name", "notes", "phone", "email"])
def test_the_customer_form_refuses_card_details_in_every_field(field: str, typed: str, what: str) -> None:
    drafts = {
        "name": CustomerDraft(name=typed),
        "notes": CustomerDraft(name="Ana", notes=f"Pays by card.\n{typed}\nThanks"),
        "phone": CustomerDraft(name="Ana", phones=["+1 202 555 0134", typed]),
        "email": CustomerDraft(name="Ana", emails=[typed]),
    }
    _assert_refused(lambda: validate_draft(drafts[field], "US"), field, typed, what)


@pytest.mark.parametrize("typed", NOT_SECRETS)
def test_near_misses_are_kept(typed: str) -> None:
    assert validate_draft(CustomerDraft(name="Ana", notes=typed), "GB")[3] == typed


def test_nothing_is_saved_when_the_form_is_refused(book: CustomerBook) -> None:
    for typed, what in REFUSED:
        _assert_refused(lambda t=typed: book.save_customer(CustomerDraft(name="Ana", notes=t)), "notes", typed, what)
    assert book.customers.count() == 0


@pytest.fixture
def child_id(book: CustomerBook) -> str:
    customer_id = book.save_customer(CustomerDraft(name="Young Person")).id
    book.desk.answer(customer_id, "age_range", "13–15")
    return customer_id


@pytest.mark.parametrize("box", ["guardian_name", "guardian_relationship"])
def test_the_consent_desk_refuses_card_details_for_a_guardian(book: CustomerBook, child_id: str, box: str) -> None:
    for typed, what in REFUSED:
        given_ = {"guardian_name": "Rita Person", "guardian_relationship": "mother", box: typed}
        _assert_refused(
            lambda g=given_: book.desk.set_consent(child_id, "marketing_email", True, ConsentMethod.VERBAL, **g),
            box, typed, what,
        )  # fmt: skip
    assert book.consent.count() == 0


def test_the_consent_desk_refuses_card_details_in_evidence(book: CustomerBook, child_id: str) -> None:
    desk = book.desk
    for typed, what in REFUSED:
        _assert_refused(
            lambda t=typed: desk.attach_evidence(child_id, f"{t}.pdf", b"%PDF", "application/pdf"),
            "evidence", typed, what,
        )  # fmt: skip
        _assert_refused(
            lambda t=typed: desk.attach_evidence(child_id, "scan.pdf", b"%PDF", "application/pdf", f"signed\n{t}"),
            "evidence_note", typed, what,
        )  # fmt: skip
    with book.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM consent_evidence").scalar_one() == 0


def test_custom_answers_and_visit_notes_refuse_card_details(book: CustomerBook) -> None:
    store = book.catalogue
    spec = custom_field(store.current(), "Favourite colour", FieldType.TEXT, "To suggest colours you like.",
                        "Until you ask us to remove it")  # fmt: skip
    store.save(store.current().with_field(spec), "Ana")
    customer_id = book.save_customer(CustomerDraft(name="Ana")).id
    for typed, what in REFUSED:
        _assert_refused(lambda t=typed: book.desk.answer(customer_id, spec.key, t), spec.key, typed, what)
        _assert_refused(lambda t=typed: book.desk.answer(customer_id, "interests", t), "interests", typed, what)
        _assert_refused(
            lambda t=typed: book.desk.record_visit(customer_id, VisitKind.PURCHASE, f"paid\n{t}"), "notes", typed, what
        )
    assert book.desk.answers(customer_id) == {}
    assert book.visits.count(customer_id) == 0
    assert book.desk.answer(customer_id, spec.key, "green, ref 1234 5678").value == "green, ref 1234 5678"


# --- the shop's own texts, also kept in the book ----------------------------------------------------------


def test_the_shop_and_its_profile_refuse_card_details(book: CustomerBook) -> None:
    from dataclasses import replace

    from core.shop.basics import ShopBasics
    from core.shop.profile import Partner

    notices = book.notices
    profile = notices.profile()
    for typed, what in REFUSED:
        _assert_refused(lambda t=typed: ShopBasics(f"Corner {t}", "GB").validated(), "shop_name", typed, what)
        _assert_refused(lambda t=typed: notices.save_profile(replace(profile, address=t)), "address", typed, what)
        partner = Partner("Mailwave", "name and e-mail", typed)
        _assert_refused(
            lambda p=partner: notices.save_profile(replace(profile, partners=(p,))), "partners", typed, what
        )
    assert notices.profile() == profile


def test_catalogue_texts_and_the_staff_name_refuse_card_details(book: CustomerBook) -> None:
    from dataclasses import replace

    from core.catalogue import CatalogueError

    store = book.catalogue
    before = store.history()
    for typed, what in REFUSED:
        spec = custom_field(store.current(), "Shoe size", FieldType.TEXT, f"Sizes {typed}", "Until you ask us")
        with pytest.raises(CatalogueError, match=what) as refused:
            store.save(store.current().with_field(spec), "Ana")
        assert refused.value.setting == "purpose"
        with pytest.raises(CatalogueError, match=what):
            store.save(store.current().with_field(replace(spec, purpose="To keep your size")), "Ana", typed)
        preferences = book.preferences()
        preferences.staff_name = f"Ana {typed}"
        _assert_refused(lambda p=preferences: book.save_preferences(p), "staff_name", typed, what)
    assert store.history() == before
    assert book.staff_member() == "Owner"


def test_evidence_media_type_is_one_of_the_known_kinds(book: CustomerBook, child_id: str) -> None:
    with pytest.raises(ValidationError, match="PDF, PNG or JPEG"):
        book.desk.attach_evidence(child_id, "scan.pdf", b"%PDF", "4111 1111 1111 1111")
