"""The consent ledger: derivation, append-only, tamper detection, children and special-category rules."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.book import CustomerBook
from core.consent.ledger import ConsentLedger, ConsentMethod, describe
from core.customers.store import CustomerDraft
from core.customers.visits import VisitKind
from core.errors import TamperedRecord, ValidationError
from tests.conftest import PASSPHRASE
from tests.core.test_canary import scan_folder

VERBAL = ConsentMethod.VERBAL


@pytest.fixture
def customer_id(book: CustomerBook) -> str:
    return book.save_customer(CustomerDraft(name="Ledger Person", emails=["ledger@example.com"])).id


def test_ledger_has_no_update_or_delete_api() -> None:
    public = {name for name in dir(ConsentLedger) if not name.startswith("_")}
    assert not {n for n in public if any(w in n for w in ("update", "delete", "edit", "remove", "replace"))}


def test_grant_withdraw_grant_derives_granted_with_history(book: CustomerBook, customer_id: str) -> None:
    desk = book.desk
    desk.set_consent(customer_id, "marketing_email", True, VERBAL)
    assert "marketing_email" in book.consent.granted_purposes(customer_id)
    desk.set_consent(customer_id, "marketing_email", False, ConsentMethod.EMAIL)
    assert "marketing_email" not in book.consent.granted_purposes(customer_id)
    desk.set_consent(customer_id, "marketing_email", True, ConsentMethod.SIGNED_PAPER)
    state = book.consent.current(customer_id)["marketing_email"]
    assert state.granted
    assert state.method is ConsentMethod.SIGNED_PAPER
    events = book.consent.events(customer_id)
    assert [e.granted for e in events] == [True, False, True]
    assert all(e.notice_ref.startswith("v1 sha256:") for e in events)
    assert all(e.staff == "Owner" for e in events)
    assert events[0].channel == "email"
    line = describe(events[1], "News and offers by e-mail")
    assert "withdrew consent to news and offers by e-mail, by e-mail" in line
    assert "UTC" not in line  # local time (tests/ui/test_what_we_know_ui.py checks the hour)
    assert line.endswith("recorded by Owner")
    assert desk.granted(customer_id) == frozenset({"marketing_email"})  # the list's map follows


def test_triggers_refuse_direct_update_and_delete(book: CustomerBook, customer_id: str) -> None:
    book.desk.set_consent(customer_id, "marketing_sms", True, VERBAL)
    with book.engine.begin() as connection, pytest.raises(Exception, match="append-only"):
        connection.exec_driver_sql("UPDATE consent_events SET at = '2000-01-01'")
    with book.engine.begin() as connection, pytest.raises(Exception, match="append-only"):
        connection.exec_driver_sql("DELETE FROM consent_events")


def _raw(book: CustomerBook) -> sqlite3.Connection:
    book.engine.dispose()
    connection = sqlite3.connect(book.folder.database)
    connection.execute("DROP TRIGGER consent_events_no_update")
    connection.execute("DROP TRIGGER consent_events_no_delete")
    return connection


def test_an_edit_with_triggers_dropped_is_detected_and_never_used(book: CustomerBook, customer_id: str) -> None:
    book.desk.set_consent(customer_id, "marketing_email", True, VERBAL)
    book.desk.set_consent(customer_id, "marketing_email", False, VERBAL)
    assert book.consent.verify() == []
    raw = _raw(book)
    # Someone back-dates the withdrawal directly in the database: the chain MAC covers the time.
    raw.execute("UPDATE consent_events SET at = '2020-01-01T00:00:00+00:00' WHERE seq = 2")
    raw.commit()
    raw.close()
    assert any("changed" in p for p in book.consent.verify())
    with pytest.raises(TamperedRecord):
        book.consent.current(customer_id)


def test_a_deleted_event_is_detected(book: CustomerBook, customer_id: str) -> None:
    for granted in (True, False, True):
        book.desk.set_consent(customer_id, "marketing_post", granted, VERBAL)
    raw = _raw(book)
    raw.execute("DELETE FROM consent_events WHERE seq = 2")
    raw.commit()
    raw.close()
    assert any("missing or out of order" in p for p in book.consent.verify())


def test_events_survive_lock_and_are_encrypted(book: CustomerBook, customer_id: str) -> None:
    book.desk.set_consent(customer_id, "surveys", True, VERBAL)
    # Every file of the data folder, the WAL included: fresh rows sit there until a checkpoint.
    wal = book.folder.database.with_name(book.folder.database.name + "-wal")
    assert wal.exists(), "the scan must cover a live WAL"
    assert wal.stat().st_size > 0
    body_words = ["surveys", "verbal_at_counter"]
    assert scan_folder(book.folder.root, body_words) == []
    book.lock()
    book.unlock(PASSPHRASE)
    assert book.desk.granted(customer_id) == frozenset({"surveys"})  # map rebuilt at unlock
    assert scan_folder(book.folder.root, body_words) == []


def test_child_needs_a_guardian_for_consent(book: CustomerBook, customer_id: str) -> None:
    book.desk.answer(customer_id, "age_range", "13–15")
    assert book.desk.view(customer_id).child
    with pytest.raises(ValidationError, match="parent or guardian"):
        book.desk.set_consent(customer_id, "marketing_email", True, VERBAL)
    event = book.desk.set_consent(
        customer_id, "marketing_email", True, VERBAL, guardian_name="Rita Person", guardian_relationship="mother"
    )
    assert event.guardian_name == "Rita Person"
    assert "given by Rita Person (mother)" in describe(book.consent.events(customer_id)[0], "News by e-mail")
    book.desk.set_consent(customer_id, "marketing_email", False, VERBAL)  # withdrawing never needs a guardian


def test_child_threshold_setting_and_birthday(book: CustomerBook, customer_id: str) -> None:
    desk = book.desk
    today = datetime.now(UTC).date()
    fifteen = today.replace(year=today.year - 15) - timedelta(days=1)
    desk.answer(customer_id, "birthday", fifteen.isoformat())
    assert desk.view(customer_id).child
    desk.save_settings(replace(desk.settings(), child_age_threshold=13))
    assert not desk.view(customer_id).child
    with pytest.raises(ValidationError, match="between 13 and 16"):
        desk.save_settings(replace(desk.settings(), child_age_threshold=18))


def test_special_category_answer_needs_explicit_consent(book: CustomerBook, customer_id: str) -> None:
    catalogue = book.catalogue.current()
    health = replace(catalogue.field("health_notes"), enabled=True, enable_reason="Pharmacy: allergy checks")
    purpose = replace(catalogue.purpose("special_category_health"), enabled=True)
    book.catalogue.save(catalogue.with_purpose(purpose).with_field(health), changed_by="Owner")
    with pytest.raises(ValidationError, match="explicit consent"):
        book.desk.answer(customer_id, "health_notes", "Allergic to penicillin")
    assert "health_notes" not in book.desk.answers(customer_id)
    book.desk.set_consent(customer_id, "special_category_health", True, ConsentMethod.SIGNED_PAPER)
    book.desk.answer(customer_id, "health_notes", "Allergic to penicillin")
    assert book.desk.answers(customer_id)["health_notes"].value == "Allergic to penicillin"


def test_withdraw_all_marketing_and_review_flags(book: CustomerBook, customer_id: str) -> None:
    desk = book.desk
    for purpose in ("marketing_email", "marketing_sms", "profiling_offers"):
        desk.set_consent(customer_id, purpose, True, VERBAL)
    desk.record_visit(customer_id, VisitKind.PURCHASE)
    desk.answer(customer_id, "interests", "Sourdough, rye")
    assert desk.view(customer_id).to_review == []
    events = desk.withdraw_all_marketing(customer_id, VERBAL)
    assert {e.purpose for e in events} == {"marketing_email", "marketing_sms", "profiling_offers"}
    assert book.consent.granted_purposes(customer_id) == frozenset()
    assert [f.key for f in desk.view(customer_id).to_review] == ["interests"]


def test_evidence_is_stored_encrypted_and_read_back(book: CustomerBook, customer_id: str) -> None:
    scan = b"%PDF-1.4 signed sheet of Evidencia Canary"
    evidence_id = book.consent.attach_evidence(customer_id, "signed.pdf", scan, "application/pdf")
    book.desk.set_consent(customer_id, "marketing_post", True, ConsentMethod.SIGNED_PAPER, evidence_id=evidence_id)
    assert book.consent.evidence(evidence_id) == ("signed.pdf", scan, "application/pdf")
    assert book.consent.events(customer_id)[0].evidence_id == evidence_id
    assert book.consent.evidence(evidence_id)[1] == scan  # a second read, from the sealed row
    assert scan_folder(book.folder.root, ["Evidencia Canary", "signed.pdf"]) == []
    with pytest.raises(KeyError):
        book.consent.evidence("no-such-evidence")


@pytest.mark.parametrize("method", [ConsentMethod.VERBAL, ConsentMethod.EMAIL])
def test_health_consent_is_written_or_signed_never_a_nod(
    book: CustomerBook, customer_id: str, method: ConsentMethod
) -> None:
    catalogue = book.catalogue.current()
    purpose = replace(catalogue.purpose("special_category_health"), enabled=True)
    book.catalogue.save(catalogue.with_purpose(purpose), changed_by="Owner")
    with pytest.raises(ValidationError, match="explicit written consent") as refused:
        book.desk.set_consent(customer_id, "special_category_health", True, method)
    assert refused.value.field == "consent"
    assert book.consent.events(customer_id) == []  # nothing half-written into the permanent ledger
    book.desk.set_consent(customer_id, "special_category_health", True, ConsentMethod.WRITTEN)
    book.desk.set_consent(customer_id, "special_category_health", False, method)  # withdrawing: any way at all
    assert "special_category_health" not in book.consent.granted_purposes(customer_id)
