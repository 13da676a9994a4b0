"""The consent ledger's sealed head anchor: events deleted or reordered outside Counterpart stop the unlock
with LedgerTampered instead of quietly bringing a withdrawn consent back; normal use never notices it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from core.book import CustomerBook
from core.consent.checkpoint import load_granted
from core.consent.ledger import ANCHOR_KEY, GENESIS, TABLE, ConsentMethod, LedgerTampered, _mac
from core.customers.store import CustomerDraft
from core.storage.ids import new_id, utc_now
from tests.conftest import PASSPHRASE

VERBAL = ConsentMethod.VERBAL


@pytest.fixture
def people(book: CustomerBook) -> list[str]:
    return [book.save_customer(CustomerDraft(name=f"Person {n}")).id for n in range(3)]


@contextmanager
def _behind_counterparts_back(book: CustomerBook) -> Iterator[sqlite3.Connection]:
    """A second program on the database file, with the append-only triggers dropped."""
    raw = sqlite3.connect(book.folder.database)
    raw.execute("DROP TRIGGER IF EXISTS consent_events_no_delete")
    raw.execute("DROP TRIGGER IF EXISTS consent_events_no_update")
    try:
        yield raw
        raw.commit()
    finally:
        raw.close()


def _anchor(book: CustomerBook) -> object:
    return book.settings.get(ANCHOR_KEY)


def _six_events_with_a_checkpoint_after_three(book: CustomerBook, people: list[str]) -> None:
    desk = book.desk
    desk.set_consent(people[0], "surveys", True, VERBAL)
    desk.set_consent(people[1], "surveys", True, VERBAL)
    desk.set_consent(people[2], "marketing_post", True, VERBAL)
    load_granted(book.consent, desk._settings, rewrite_after=1)  # checkpoint at event 3
    desk.set_consent(people[0], "marketing_email", True, VERBAL)  # 4
    desk.set_consent(people[0], "marketing_email", False, VERBAL)  # 5: the withdrawal someone wants gone
    desk.set_consent(people[1], "marketing_sms", True, VERBAL)  # 6


def _refused_at_unlock(book: CustomerBook) -> str:
    book.lock()
    with pytest.raises(LedgerTampered) as caught:
        book.unlock(PASSPHRASE)
    assert not book.is_unlocked
    assert len(book.index) == 0
    message = str(caught.value)
    assert message.startswith("The consent records were changed outside Counterpart")
    assert "Restore the customer book from a backup" in message
    return message


def test_normal_use_keeps_the_anchor_on_the_last_event(book: CustomerBook, people: list[str]) -> None:
    assert _anchor(book) is None  # a new book: no events, nothing to anchor yet
    _six_events_with_a_checkpoint_after_three(book, people)
    assert _anchor(book) == {"seq": 6, "mac": book.consent.mac_at(6)}
    for _ in range(2):
        book.lock()
        book.unlock(PASSPHRASE)
    assert book.desk.granted(people[0]) == frozenset({"surveys"})
    assert book.desk.granted(people[1]) == frozenset({"surveys", "marketing_sms"})
    load_granted(book.consent, book.desk._settings, rewrite_after=1)  # checkpoint moved to the head
    book.desk.set_consent(people[2], "surveys", True, VERBAL)
    book.lock()
    book.unlock(PASSPHRASE)
    assert book.desk.granted(people[2]) == frozenset({"marketing_post", "surveys"})
    assert _anchor(book) == {"seq": 7, "mac": book.consent.mac_at(7)}
    assert book.consent.verify() == []


def test_deleting_the_last_event_is_caught_by_verify_and_stops_unlock(book: CustomerBook, people: list[str]) -> None:
    book.desk.set_consent(people[0], "marketing_email", True, VERBAL)
    book.desk.set_consent(people[0], "marketing_email", False, VERBAL)
    with _behind_counterparts_back(book) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq = 2")  # the withdrawal; the grant would come back
    assert any("1 event is missing" in problem for problem in book.consent.verify())
    assert "1 event is missing or out of order" in _refused_at_unlock(book)


def test_deleting_the_last_events_counts_them(book: CustomerBook, people: list[str]) -> None:
    _six_events_with_a_checkpoint_after_three(book, people)
    with _behind_counterparts_back(book) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq >= 5")
    assert "2 events are missing or out of order" in _refused_at_unlock(book)


def test_deleting_a_middle_event_after_the_checkpoint_stops_unlock(book: CustomerBook, people: list[str]) -> None:
    _six_events_with_a_checkpoint_after_three(book, people)
    with _behind_counterparts_back(book) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq = 5")
    assert "1 event is missing or out of order" in _refused_at_unlock(book)


def test_deleting_the_first_event_after_the_checkpoint_stops_unlock(book: CustomerBook, people: list[str]) -> None:
    _six_events_with_a_checkpoint_after_three(book, people)
    with _behind_counterparts_back(book) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq = 4")
    assert "1 event is missing or out of order" in _refused_at_unlock(book)


def test_reordering_events_stops_unlock(book: CustomerBook, people: list[str]) -> None:
    _six_events_with_a_checkpoint_after_three(book, people)
    with _behind_counterparts_back(book) as raw:  # the withdrawal moved before the grant it withdrew
        raw.execute("UPDATE consent_events SET seq = -5 WHERE seq = 5")
        raw.execute("UPDATE consent_events SET seq = 5 WHERE seq = 4")
        raw.execute("UPDATE consent_events SET seq = 4 WHERE seq = -5")
    assert "2 events are missing or out of order" in _refused_at_unlock(book)


def test_an_append_after_a_deleted_last_event_is_refused_and_writes_nothing(
    book: CustomerBook, people: list[str]
) -> None:
    book.desk.set_consent(people[0], "surveys", True, VERBAL)
    book.desk.set_consent(people[0], "surveys", False, VERBAL)
    anchor = _anchor(book)
    with _behind_counterparts_back(book) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq = 2")
    # Appending would chain onto event 1 and hide the gap for good.
    with pytest.raises(LedgerTampered, match="1 event is missing"):
        book.consent.record(people[1], "surveys", True, VERBAL, "v1 test", "Owner")
    assert book.consent.count() == 1
    assert _anchor(book) == anchor


def test_deleting_the_anchor_too_is_not_taken_for_a_book_from_before_anchors(
    book: CustomerBook, people: list[str]
) -> None:
    book.desk.set_consent(people[0], "surveys", True, VERBAL)
    book.desk.set_consent(people[0], "surveys", False, VERBAL)
    with _behind_counterparts_back(book) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq = 2")
        raw.execute("DELETE FROM settings WHERE key = ?", (ANCHOR_KEY,))
    assert "seal on the latest consent event is missing" in _refused_at_unlock(book)


def test_an_altered_anchor_stops_unlock(book: CustomerBook, people: list[str]) -> None:
    book.desk.set_consent(people[0], "surveys", True, VERBAL)
    with _behind_counterparts_back(book) as raw:
        (sealed,) = raw.execute("SELECT value FROM settings WHERE key = ?", (ANCHOR_KEY,)).fetchone()
        altered = bytes(sealed[:-1]) + bytes([sealed[-1] ^ 1])
        raw.execute("UPDATE settings SET value = ? WHERE key = ?", (altered, ANCHOR_KEY))
    assert "seal on the latest consent event is missing or altered" in _refused_at_unlock(book)


def _append_as_before_anchors(book: CustomerBook, customer_id: str, purpose: str, granted: bool) -> None:
    """What ConsentLedger.record wrote before anchors existed: the same chain, no marker, no anchor."""
    ledger = book.consent
    cipher = ledger._cipher
    key = ledger._mac_key(cipher.key_version)
    event_id, at = new_id(), utc_now()
    body = cipher.seal_json(
        TABLE,
        event_id,
        "body",
        {"purpose": purpose, "channel": None, "granted": granted, "method": "verbal_at_counter",
         "notice_ref": "v1 test", "staff": "Owner", "guardian_name": "", "guardian_relationship": "",
         "evidence_id": None},
        owner=customer_id,
    )  # fmt: skip
    with book.engine.begin() as connection:
        prev = connection.exec_driver_sql("SELECT mac FROM consent_events ORDER BY seq DESC LIMIT 1").scalar()
        prev = prev or GENESIS
        mac = _mac(key, prev, event_id, customer_id, at, cipher.key_version, body)
        connection.exec_driver_sql(
            "INSERT INTO consent_events (id, customer_id, at, key_version, body, prev_mac, mac) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (event_id, customer_id, at, cipher.key_version, body, prev, mac),
        )


def test_a_book_from_before_anchors_is_accepted_once_then_held_to_its_anchor(
    book: CustomerBook, people: list[str]
) -> None:
    _append_as_before_anchors(book, people[0], "surveys", True)
    _append_as_before_anchors(book, people[0], "marketing_post", True)
    assert _anchor(book) is None
    book.lock()
    book.unlock(PASSPHRASE)
    assert book.desk.granted(people[0]) == frozenset({"surveys", "marketing_post"})
    assert _anchor(book) == {"seq": 2, "mac": book.consent.mac_at(2)}
    book.desk.set_consent(people[0], "marketing_post", False, VERBAL)  # appends onto the adopted head
    book.lock()
    book.unlock(PASSPHRASE)
    assert book.desk.granted(people[0]) == frozenset({"surveys"})
    with _behind_counterparts_back(book) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq = 3")
    assert "1 event is missing" in _refused_at_unlock(book)


def test_a_gap_in_a_book_from_before_anchors_is_still_caught(book: CustomerBook, people: list[str]) -> None:
    for granted in (True, False, True):
        _append_as_before_anchors(book, people[0], "surveys", granted)
    with _behind_counterparts_back(book) as raw:
        raw.execute("DELETE FROM consent_events WHERE seq = 2")
    assert "1 event is missing" in _refused_at_unlock(book)
    with sqlite3.connect(book.folder.database) as raw:
        # Nothing adopted from a broken chain.
        assert raw.execute("SELECT count(*) FROM settings WHERE key = ?", (ANCHOR_KEY,)).fetchone() == (0,)
    raw.close()
