"""The privacy notice: generated from what the software collects, versioned by content, printed correctly."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.notice.desk import NoticeNotReady
from core.pdf import UnprintableText
from core.pdf.flowables import CHECKBOX_SIZE
from core.shop.profile import Partner, ShopProfile


def _ready(book: CustomerBook, **changes: object) -> ShopProfile:
    profile = replace(
        book.notices.profile(),
        legal_name="Ana Souza Ltd",
        trading_name="Ana's Corner Shop",
        address="12 High Street, Springfield",
        phone="+1 202 555 0143",
        email="hello@anas.example",
        privacy_contact="Ana Souza",
        complaint_days=10,
        **changes,
    )
    book.notices.save_profile(profile)
    return profile


def _switch_on(book: CustomerBook, *purposes: str) -> None:
    catalogue = book.catalogue.current()
    for key in purposes:
        catalogue = catalogue.with_purpose(replace(catalogue.purpose(key), enabled=True))
    book.catalogue.save(catalogue, changed_by="Owner")


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _personal(book: CustomerBook, name: str = "Ana Souza", blank: bool = False, granted: frozenset[str] = frozenset()):
    customer = book.save_customer(CustomerDraft(name=name))
    return book.notices.personal_pdf(customer, granted, child=False, blank_choices=blank, categories_held=("Identity",))


def test_missing_profile_items_block_printing_and_say_what(book: CustomerBook) -> None:
    with pytest.raises(NoticeNotReady) as caught:
        book.notices.counter_sign_pdf()
    message = str(caught.value)
    assert "address" in message
    assert "person who answers privacy questions" in message
    assert {m.page for m in caught.value.missing} == {"shop_profile"}


def test_personal_notice_carries_every_required_element(book: CustomerBook) -> None:
    _ready(book)
    pdf, version = _personal(book)
    text = _text(pdf)
    for needle in (
        "How Ana's Corner Shop uses your information",
        "For Ana Souza",
        "What we hold about you today: Identity",
        "Ana Souza Ltd",  # identity
        "12 High Street",
        "Your contact for anything about your information: Ana Souza",
        "What we collect, why, and for how long",  # what and what for
        "basis: our legitimate interest",  # legal basis per item
        "How long we keep it",  # retention
        "If you say no:",  # required or not, and consequences
        "Nobody outside the shop receives your information.",  # recipients: the shipped catalogue names none
        "We do not sell your information",  # sale
        "not transferred outside",  # transfers
        "Your choices",  # choice per use
        "withdraw",
        "automated means",  # automated decisions
        "access",
        "rectification",
        "erasure",
        "restriction",
        "objection",
        "portability",
        "We will answer within 10 days",  # complaints, promised time
        "Information Commissioner" if book.shop.country == "GB" else "California Privacy Protection Agency",
        "Ask at the counter for the full privacy policy",  # where to read more
        "Customer's signature",
        "Staff name and signature",
        f"version {version.number} · {version.content_hash[:19]}",
        "Page 1 of",
    ):
        assert needle in text, needle
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 2


def test_partners_and_sale_of_data_change_the_notice(book: CustomerBook) -> None:
    _ready(
        book,
        partners=(Partner("Parcelfast", "your name and address", "to deliver your orders"),),
        sells_data=True,
    )
    _switch_on(book, "sale_of_data")
    text = _text(book.notices.policy_pdf()[0])
    assert "Parcelfast receives your name and address, to deliver your orders" in text
    assert "Do Not Sell or Share My Personal Information" in text
    assert "Sold or shared for advertising" in text
    sign = _text(book.notices.counter_sign_pdf()[0])
    assert "How we use your information" in sign
    assert "Do Not Sell or Share" in sign


def test_special_category_fields_are_called_out_only_when_enabled(book: CustomerBook) -> None:
    _ready(book)
    assert "Health" not in _text(book.notices.policy_pdf()[0])
    catalogue = book.catalogue.current()
    health = replace(catalogue.field("health_notes"), enabled=True, enable_reason="Pharmacy allergy checks")
    purpose = replace(catalogue.purpose("special_category_health"), enabled=True)
    book.catalogue.save(catalogue.with_purpose(purpose).with_field(health), changed_by="Owner")
    text = _text(book.notices.policy_pdf()[0])
    assert "Sensitive (special category): only with your explicit written consent" in text


def test_version_changes_exactly_when_the_content_changes(book: CustomerBook) -> None:
    profile = _ready(book)
    first = book.notices.current()[1]
    assert book.notices.current()[1] == first  # same text, same version
    book.notices.save_profile(replace(profile, print_directly=True, checkboxes_blank=True))  # printing settings only
    assert book.notices.current()[1] == first
    book.notices.save_profile(replace(profile, complaint_days=5))
    second = book.notices.current()[1]
    assert second.number == first.number + 1
    assert second.content_hash != first.content_hash
    assert any("5 days" in line for line in book.notices.versions.changes(second.number))
    assert "10 days" in book.notices.versions.text_of(first.number).plain()  # old versions kept as they were
    # Consent recorded now cites the version in force.
    customer = book.save_customer(CustomerDraft(name="Cited Person"))
    event = book.desk.set_consent(customer.id, "marketing_email", True, ConsentMethod.VERBAL)
    assert event.notice_ref == second.ref


def _boxes(pdf: bytes) -> list[tuple[bool, str]]:
    """Each consent box drawn in the PDF, in order: (ticked, the first words printed after it).

    Read from the drawing itself: a box is a square path of CHECKBOX_SIZE - 1, its tick the lines drawn after
    it and before its label's text.
    """
    side = CHECKBOX_SIZE - 1
    found: list[tuple[bool, str]] = []

    def operator(op: bytes, operands: list[object], _cm: object, _tm: object) -> None:
        if op == b"re" and [float(str(x)) for x in operands[2:]] == [side, side]:
            found.append((False, ""))
        elif op == b"l" and found and not found[-1][1]:
            found[-1] = (True, "")

    def text(piece: str, *_args: object) -> None:
        if found and not found[-1][1] and piece.strip():
            found[-1] = (found[-1][0], piece.strip())

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return found


def test_checkboxes_reflect_the_ledger_or_print_blank(book: CustomerBook) -> None:
    _ready(book)
    customer = book.save_customer(CustomerDraft(name="Box Person", emails=("box@example.com",)))
    book.desk.set_consent(customer.id, "marketing_email", True, ConsentMethod.VERBAL)
    book.desk.set_consent(customer.id, "surveys", True, ConsentMethod.SIGNED_PAPER)
    book.desk.set_consent(customer.id, "marketing_sms", True, ConsentMethod.VERBAL)
    book.desk.set_consent(customer.id, "marketing_sms", False, ConsentMethod.VERBAL)  # withdrawn: must print empty
    labels = {p.key: p.label for p in book.catalogue.current().enabled_purposes()}

    def render(blank: bool) -> bytes:
        # The ledger's current state, read exactly as the print controller reads it.
        granted = book.consent.granted_purposes(customer.id)
        return book.notices.personal_pdf(customer, granted, False, blank)[0]

    current = render(blank=False)
    assert _boxes(current) == [(key in {"marketing_email", "surveys"}, label) for key, label in labels.items()]
    text = _text(current)
    assert text.count("On file: yes.") == 2
    assert re.search(r"News and offers by e-mail — [^—]*On file: yes\.", text)
    assert not re.search(r"News and offers by text message — [^—]*On file", text)
    blank = render(blank=True)
    assert _boxes(blank) == [(False, label) for label in labels.values()]  # blank mode ignores the ledger
    assert "On file" not in _text(blank)
    assert "tick yes for each use you agree to" in _text(blank)


@pytest.mark.parametrize(
    "name", ["Małgorzata Wójcik-Żółć", "Nguyễn Thị Hương", "Γιώργος Παπαδόπουλος", "Ольга Шевченко"]
)
def test_names_in_many_scripts_print_with_embedded_fonts(book: CustomerBook, name: str) -> None:
    _ready(book)
    pdf, _version = _personal(book, name=name)
    assert f"For {name}" in _text(pdf)
    assert b"/FontFile2" in pdf  # the TrueType font is embedded, not referenced


def test_a_name_the_font_cannot_draw_is_reported(book: CustomerBook) -> None:
    _ready(book)
    with pytest.raises(UnprintableText):
        _personal(book, name="王小明")


def test_blank_notice_has_lines_to_fill_in(book: CustomerBook) -> None:
    _ready(book)
    pdf, _version = book.notices.personal_pdf(None, frozenset(), child=False, blank_choices=True)
    text = _text(pdf)
    assert "Name" in text
    assert "Parent or guardian" in text
    assert "For " not in text.split("How Ana's Corner Shop uses your information")[1][:10]
