"""What goes into the append-only ledger is checked first: a guardian's name and relationship and a signed
sheet's file name and note follow the customer name/notes rules, and a refusal leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.book import CustomerBook
from core.consent.desk import marketing_channels
from core.consent.ledger import MAX_EVIDENCE_BYTES, ConsentMethod
from core.customers.store import CustomerDraft
from core.errors import ValidationError
from core.storage.profile_tables import consent_evidence

VERBAL = ConsentMethod.VERBAL
CARD = "4111 1111 1111 1111"  # Luhn-valid, Visa prefix


@pytest.fixture
def child_id(book: CustomerBook) -> str:
    customer_id = book.save_customer(CustomerDraft(name="Young Person")).id
    book.desk.answer(customer_id, "age_range", "13–15")
    return customer_id


def _evidence_rows(book: CustomerBook) -> int:
    with book.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(consent_evidence)).scalar_one())


@pytest.mark.parametrize(
    ("name", "relationship", "field", "message"),
    [
        (f"Rita {CARD}", "mother", "guardian_name", "card number"),
        ("Rita\x00Person", "mother", "guardian_name", "control characters"),
        ("R" * 100_000, "mother", "guardian_name", "100,000 characters long"),
        ("Rita Person", f"card {CARD}", "guardian_relationship", "card number"),
        ("Rita Person", "mo\x00ther", "guardian_relationship", "control characters"),
        ("Rita Person", "m" * 100_000, "guardian_relationship", "the most it can have is 200"),
        ("Rita Person", "mother\nand aunt", "guardian_relationship", "control characters"),
    ],
)
def test_a_bad_guardian_is_refused_and_nothing_is_appended(
    book: CustomerBook, child_id: str, name: str, relationship: str, field: str, message: str
) -> None:
    before = book.consent.count()
    with pytest.raises(ValidationError, match=message) as refused:
        book.desk.set_consent(
            child_id, "marketing_email", True, VERBAL, guardian_name=name, guardian_relationship=relationship
        )
    assert refused.value.field == field  # so the pane shows it beside that box
    assert book.consent.count() == before
    assert book.consent.events(child_id) == []
    assert book.desk.granted(child_id) == frozenset()
    assert book.consent.verify() == []


def test_a_withdrawal_is_checked_too(book: CustomerBook, child_id: str) -> None:
    """Withdrawing needs no guardian, but one typed anyway is still written to the ledger, so it is checked."""
    with pytest.raises(ValidationError) as refused:
        book.desk.set_consent(child_id, "marketing_email", False, VERBAL, guardian_name=f"x {CARD}")
    assert refused.value.field == "guardian_name"
    assert book.consent.count() == 0


def test_a_good_guardian_is_trimmed_and_kept_as_typed(book: CustomerBook, child_id: str) -> None:
    event = book.desk.set_consent(
        child_id, "marketing_email", True, VERBAL, guardian_name="  Ŕita Ørsted ", guardian_relationship=" aunt "
    )
    stored = book.consent.events(child_id)[0]
    assert (event.guardian_name, event.guardian_relationship) == ("Ŕita Ørsted", "aunt")
    assert (stored.guardian_name, stored.guardian_relationship) == ("Ŕita Ørsted", "aunt")


@pytest.mark.parametrize(
    ("filename", "note", "field", "message"),
    [
        (f"{CARD}.pdf", "", "evidence", "card number"),
        ("scan\x00.pdf", "", "evidence", "control characters"),
        ("s" * 100_000 + ".pdf", "", "evidence", "The file name is 100,004 characters long"),
        ("scan.pdf", f"paid with {CARD}", "evidence_note", "card number"),
        ("scan.pdf", "signed\x00", "evidence_note", "control characters"),
        ("scan.pdf", "n" * 100_000, "evidence_note", "The note is 100,000 characters long"),
    ],
)
def test_a_bad_evidence_name_or_note_is_refused_and_nothing_is_stored(
    book: CustomerBook, child_id: str, filename: str, note: str, field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        book.desk.attach_evidence(child_id, filename, b"%PDF-1.4", "application/pdf", note)
    assert refused.value.field == field
    assert _evidence_rows(book) == 0


def test_evidence_note_may_span_lines(book: CustomerBook, child_id: str) -> None:
    evidence_id = book.desk.attach_evidence(child_id, " scan.pdf ", b"%PDF", "application/pdf", "page 1\npage 2")
    assert book.consent.evidence(evidence_id) == ("scan.pdf", b"%PDF", "application/pdf")


def test_evidence_file_is_read_typed_and_stored(book: CustomerBook, child_id: str, tmp_path: Path) -> None:
    scan = tmp_path / "Signed Sheet.PNG"
    scan.write_bytes(b"\x89PNG signed")
    evidence_id = book.desk.attach_evidence_file(child_id, scan)
    assert book.consent.evidence(evidence_id) == ("Signed Sheet.PNG", b"\x89PNG signed", "image/png")


def test_an_oversized_or_missing_file_is_refused_in_plain_words(
    book: CustomerBook, child_id: str, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as sparse:  # sparse: the size is checked before anything is read
        sparse.truncate(MAX_EVIDENCE_BYTES + 1)
    with pytest.raises(ValidationError, match="larger than 20 MB") as refused:
        book.desk.attach_evidence_file(child_id, huge)
    assert refused.value.field == "evidence"
    with pytest.raises(ValidationError, match=r"Cannot read gone\.pdf"):
        book.desk.attach_evidence_file(child_id, tmp_path / "gone.pdf")
    assert _evidence_rows(book) == 0


def test_marketing_channels_come_from_the_catalogue(book: CustomerBook) -> None:
    channels = marketing_channels(book.catalogue.current())
    assert channels == {"marketing_email": "email", "marketing_sms": "sms", "marketing_phone": "phone"}
    assert book.desk.marketing_channels() == channels
