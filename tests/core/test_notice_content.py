"""What the personalised notice says must be true and complete: it agrees with the catalogue, names transfers
abroad, lists what is actually held about the customer, and carries every element PRIVACY.md requires."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from core.book import CustomerBook
from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from core.errors import ValidationError
from core.notice.desk import NoticeNotReady
from core.notice.held import NOTES, VISITS, categories_held
from core.notice.text import build_notice
from core.shop.basics import ShopBasics
from core.shop.profile import PROFILE_PAGE, PURPOSES_PAGE, Partner, ShopProfile
from tests.conftest import ask_everything
from tests.core.test_notice import _boxes, _ready, _switch_on, _text

PARCELFAST = Partner("Parcelfast", "your name and address", "to deliver your orders")


def _switch_on_health(book: CustomerBook) -> None:
    catalogue = book.catalogue.current()
    health = replace(catalogue.field("health_notes"), enabled=True, enable_reason="Pharmacy allergy checks")
    purpose = replace(catalogue.purpose("special_category_health"), enabled=True)
    book.catalogue.save(catalogue.with_purpose(purpose).with_field(health), changed_by="Owner")


def _refusal(book: CustomerBook) -> NoticeNotReady:
    customer = book.save_customer(CustomerDraft(name="Refused Rita"))
    with pytest.raises(NoticeNotReady) as caught:
        book.notices.personal_pdf(customer, frozenset(), child=False, blank_choices=False)
    assert book.notices.missing() == caught.value.missing  # what Ctrl+P checks before it opens the preview
    return caught.value


# --- one source of truth for selling and sharing ---------------------------------------------------------------


def test_a_switched_on_sale_purpose_with_the_profile_saying_no_sale_refuses_to_print(book: CustomerBook) -> None:
    _ready(book)
    _switch_on(book, "sale_of_data")
    refusal = _refusal(book)
    [item] = refusal.missing
    assert item.page == PROFILE_PAGE
    assert "“Sale of your details” is switched on" in item.message
    assert "Settings → Shop profile" in item.message
    assert "Settings → Consent purposes" in item.message
    # Even the stored version (the history view) never claims "we do not sell" beside a sale box.
    assert "We do not sell" not in book.notices.current()[0].plain()
    _ready(book, sells_data=True)
    assert "Do Not Sell or Share My Personal Information" in _text(book.notices.policy_pdf()[0])


def test_the_profile_saying_we_sell_without_a_sale_purpose_sends_the_owner_to_consent_purposes(
    book: CustomerBook,
) -> None:
    _ready(book, sells_data=True)
    [item] = _refusal(book).missing
    assert item.page == PURPOSES_PAGE
    assert "customers could not refuse it on the notice" in item.message


def test_a_sharing_purpose_with_no_partners_named_refuses_to_print(book: CustomerBook) -> None:
    _ready(book)
    _switch_on(book, "share_partners")
    [item] = _refusal(book).missing
    assert item.page == PROFILE_PAGE
    assert "“Sharing with our partners” is switched on, but no partners are named" in item.message
    plain = book.notices.current()[0].plain()
    assert "We do not share it for advertising" not in plain
    _ready(book, partners=(PARCELFAST,))
    text = _text(book.notices.policy_pdf()[0])
    assert "only if you say yes to “Sharing with our partners”" in text
    assert "Do Not Sell or Share My Personal Information" in text


def test_partners_without_a_sharing_purpose_are_just_recipients(book: CustomerBook) -> None:
    _ready(book, partners=(PARCELFAST,))  # a delivery firm needs no consent of its own: no contradiction
    assert book.notices.missing() == []
    text = _text(book.notices.policy_pdf()[0])
    assert "Parcelfast receives your name and address" in text
    assert "We do not sell your information, and we do not share it for advertising" in text


# --- transfers outside the country / EU ------------------------------------------------------------------------


def test_transfers_default_to_none_and_say_so(book: CustomerBook) -> None:
    profile = _ready(book)
    assert profile.transfers_abroad == ""
    assert profile.transfer_safeguard == ""
    assert "It is not transferred outside the country." in _text(book.notices.policy_pdf()[0])
    # A shop in the EU may send data anywhere in the EEA; what it must name is anything leaving the EEA.
    eu_text = build_notice(book.catalogue.current(), profile, "PL").plain()
    assert "It is not transferred outside the EU/EEA." in eu_text


def test_a_transfer_abroad_is_printed_with_its_safeguard(book: CustomerBook) -> None:
    _ready(
        book,
        transfers_abroad="our e-mail service Mailwave, in the USA",
        transfer_safeguard="Standard contractual clauses approved by the European Commission",
    )
    text = _text(book.notices.personal_pdf(None, frozenset(), child=False, blank_choices=True)[0])
    assert (
        "Some of it is transferred outside the country: our e-mail service Mailwave, in the USA. "
        "How it is protected there: Standard contractual clauses approved by the European Commission." in text
    )
    assert "not transferred" not in text


def test_a_transfer_without_a_safeguard_is_refused(book: CustomerBook) -> None:
    profile = replace(_ready(book), transfers_abroad="our e-mail service, in the USA")
    with pytest.raises(ValidationError) as caught:
        book.notices.save_profile(profile)
    assert caught.value.field == "transfer_safeguard"
    assert [m.field for m in profile.missing_for_notice()] == ["transfer_safeguard"]


def test_language_is_not_a_setting_that_does_nothing() -> None:
    assert "language" not in ShopProfile.__dataclass_fields__
    shop = ShopBasics("Ana's Corner Shop", "US")
    old = ShopProfile.from_json({"legal_name": "Ana Souza Ltd", "language": "fr"}, shop)  # saved by an older version
    assert old.legal_name == "Ana Souza Ltd"
    assert "language" not in old.to_json()


# --- what we hold about this customer --------------------------------------------------------------------------


def test_categories_held_follow_what_is_stored(book: CustomerBook) -> None:
    catalogue = book.catalogue.current()
    bare = book.save_customer(CustomerDraft(name="Bare Bob"))
    assert categories_held(catalogue, bare, {}) == ("Identity",)
    customer = book.save_customer(
        CustomerDraft(name="Full Fiona", phones=("+1 202 555 0199",), notes="Prefers rye bread")
    )
    desk = book.desk
    desk.answer(customer.id, "profession", "Carpenter")
    desk.answer(customer.id, "preferred_contact_channel", "E-mail")
    desk.decline(customer.id, "birthday")  # declined: nothing held
    desk.ask_later(customer.id, "marital_status")
    desk.record_visit(customer.id, VisitKind.PURCHASE)
    held = categories_held(catalogue, customer, desk.answers(customer.id), desk.visits.count(customer.id))
    assert held == ("Identity", "Contact details", "Contact preferences", "Work", NOTES, VISITS)  # catalogue order
    # Switching a field off stops the question, not the holding: the stored answer is still listed.
    off = catalogue.with_field(replace(catalogue.field("profession"), enabled=False))
    assert "Work" in categories_held(off, customer, desk.answers(customer.id))


def test_a_withdrawn_answer_value_holds_nothing(book: CustomerBook) -> None:
    customer = book.save_customer(CustomerDraft(name="Changed Mind", emails=("cm@example.com",)))
    book.desk.answer(customer.id, "profession", "Carpenter")
    book.desk.decline(customer.id, "profession")  # the latest answer wins
    held = categories_held(book.catalogue.current(), customer, book.desk.answers(customer.id))
    assert held == ("Identity", "Contact details")


# --- every required element, for each kind of shop ---------------------------------------------------------------


@pytest.mark.parametrize("special", [False, True], ids=["no-special", "health-on"])
@pytest.mark.parametrize("sells", [False, True], ids=["no-sale", "sells"])
@pytest.mark.parametrize("partners", [False, True], ids=["no-partners", "partners"])
def test_personal_notice_carries_every_required_element(
    book: CustomerBook, partners: bool, sells: bool, special: bool
) -> None:
    ask_everything(book)
    _ready(book, partners=(PARCELFAST,) if partners else (), sells_data=sells)
    purposes = (["share_partners"] if partners else []) + (["sale_of_data"] if sells else [])
    if purposes:
        _switch_on(book, *purposes)
    if special:
        _switch_on_health(book)
    desk = book.desk
    customer = book.save_customer(CustomerDraft(name="Zofia Łęcka", emails=("zofia@example.com",)))
    desk.answer(customer.id, "preferred_contact_channel", "E-mail")
    desk.set_consent(customer.id, "marketing_email", True, ConsentMethod.SIGNED_PAPER)
    if special:
        desk.set_consent(customer.id, "special_category_health", True, ConsentMethod.SIGNED_PAPER)
        desk.answer(customer.id, "health_notes", "Allergic to nuts")
    catalogue = book.catalogue.current()
    held = categories_held(catalogue, customer, desk.answers(customer.id), desk.visits.count(customer.id))
    granted = book.consent.granted_purposes(customer.id)
    pdf, version = book.notices.personal_pdf(customer, granted, child=False, blank_choices=False, categories_held=held)
    text = _text(pdf)

    held_line = "What we hold about you today: Identity, Contact details, Contact preferences" + (
        ", Health" if special else ""
    )
    required = [
        "For Zofia Łęcka",
        held_line,
        # 1. what is collected; 2. what for; GDPR: purpose, legal basis, retention, required or not
        "What we collect, why, and for how long",
        "Categories: ",
        *(
            f"{spec.label} — {'required' if spec.required else 'optional'}; basis: "
            for spec in catalogue.enabled_fields()
        ),
        "basis: our legitimate interest",
        "basis: your consent",
        "basis: to fulfil your order",
        "While you are our customer, and 2 years after your last visit",
        "If you say no: We can still serve you",
        # 3. who receives it or buys it; GDPR recipients and transfers
        "Who receives it",
        "It is not transferred outside the country.",
        # 4. the choice per use, and withdrawal as easy as giving
        *(purpose.label for purpose in catalogue.enabled_purposes()),
        "as easily as you gave it",
        # 5. complaints: a named contact and the promised time; the supervisory authority with its contact
        "Tell Ana Souza at (202) 555-0143 or hello@anas.example. We will answer within 10 days.",  # US shop: national
        "California Privacy Protection Agency",
        "cppa.ca.gov",
        # GDPR identity, contact, data-protection contact; rights; automated decisions
        "Ana Souza Ltd, trading as Ana's Corner Shop, 12 High Street, Springfield",
        "Your contact for anything about your information: Ana Souza",
        *("access", "rectification", "erasure", "restriction", "objection", "portability"),
        "We never make decisions about you by automated means alone",
        # California: where the full policy can be read
        "Ask at the counter for the full privacy policy",
        # the form: signatures, version, effective date, hash, page numbers
        "Customer's signature",
        "Staff name and signature",
        f"Privacy notice, version {version.number} · {version.content_hash[:19]}",
        f"effective {version.effective[:10]}",
        "Page 1 of",
    ]
    forbidden = []
    if special:
        required += ["Sensitive categories: Health.", "Sensitive (special category): only with your explicit written"]
    else:
        required += ["We collect no sensitive categories."]
        forbidden += ["Health", "special category"]
    if partners:
        required += ["only the following receive your information"]
    else:
        required += ["Nobody outside the shop receives your information."]
    if partners:
        required += ["Parcelfast receives your name and address, to deliver your orders", "Sharing with our partners"]
    else:
        forbidden += ["Parcelfast", "Sharing with our partners"]
    if sells:
        required += ["only if you say yes to “Sale of your details”", "Sale of your details"]
    else:
        forbidden += ["Sale of your details", "We sell"]
    if sells or partners:
        # California: whether each category is sold or shared, and the right to opt out, with where to say it
        required += ["Sold or shared for advertising", "“Do Not Sell or Share My Personal Information” at the counter"]
        forbidden += ["we do not share it for advertising"]
    else:
        required += ["We do not sell your information, and we do not share it for advertising."]
        forbidden += ["Do Not Sell", "Sold or shared"]
    assert [needle for needle in required if needle not in text] == []
    assert [needle for needle in forbidden if needle in text] == []
    # The boxes tick exactly what the ledger holds.
    ticked = {label for is_ticked, label in _boxes(pdf) if is_ticked}
    assert ticked == {catalogue.purpose(key).label for key in granted}
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= (2 if not (partners or sells or special) else 3)
