"""The consent checkpoint only ever speeds unlock up: whatever state it is in (missing, current, older,
doctored, damaged, pointing at an event that is gone), the map it gives equals reading the whole ledger."""

from __future__ import annotations

import sqlite3

import pytest

from core.book import CustomerBook
from core.consent.checkpoint import CHECKPOINT_KEY, load_granted
from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from core.errors import TamperedRecord

VERBAL = ConsentMethod.VERBAL


@pytest.fixture
def people(book: CustomerBook) -> list[str]:
    drafts = [CustomerDraft(name=f"Person {n}", emails=[f"p{n}@example.com"]) for n in range(4)]
    return [book.save_customer(draft).id for draft in drafts]


def _full(book: CustomerBook) -> dict[str, frozenset[str]]:
    return book.consent.all_granted()


def _checkpoint(book: CustomerBook) -> dict[str, object] | None:
    value = book.desk._settings.get(CHECKPOINT_KEY)
    return value if isinstance(value, dict) else None


def test_checkpoint_plus_tail_equals_the_whole_ledger(book: CustomerBook, people: list[str]) -> None:
    desk = book.desk
    desk.set_consent(people[0], "marketing_email", True, VERBAL)
    desk.set_consent(people[1], "surveys", True, VERBAL)
    desk.set_consent(people[1], "marketing_sms", True, VERBAL)
    assert load_granted(book.consent, desk._settings, rewrite_after=1) == _full(book)
    saved = _checkpoint(book)
    assert saved is not None
    assert saved["seq"] == 3

    # After the checkpoint: a withdrawal, a new grant, a customer who withdraws everything.
    desk.set_consent(people[0], "marketing_email", False, VERBAL)
    desk.set_consent(people[2], "surveys", True, VERBAL)
    desk.set_consent(people[1], "surveys", False, VERBAL)
    granted = load_granted(book.consent, desk._settings, rewrite_after=100)
    assert granted == _full(book)
    assert granted == {people[1]: frozenset({"marketing_sms"}), people[2]: frozenset({"surveys"})}
    assert _checkpoint(book) == saved  # a short tail does not rewrite it


def test_unlock_uses_the_checkpoint_and_still_matches(book: CustomerBook, people: list[str]) -> None:
    from tests.conftest import PASSPHRASE

    book.desk.set_consent(people[3], "surveys", True, VERBAL)
    load_granted(book.consent, book.desk._settings, rewrite_after=1)
    book.desk.set_consent(people[3], "marketing_post", True, VERBAL)
    book.lock()
    book.unlock(PASSPHRASE)
    assert book.desk.granted(people[3]) == frozenset({"surveys", "marketing_post"})


def test_an_older_replayed_checkpoint_only_means_a_longer_tail(book: CustomerBook, people: list[str]) -> None:
    settings = book.desk._settings
    book.desk.set_consent(people[0], "surveys", True, VERBAL)
    load_granted(book.consent, settings, rewrite_after=1)
    old = _checkpoint(book)
    book.desk.set_consent(people[0], "surveys", False, VERBAL)
    book.desk.set_consent(people[1], "surveys", True, VERBAL)
    load_granted(book.consent, settings, rewrite_after=1)
    settings.set(CHECKPOINT_KEY, old)  # someone puts back the earlier (genuinely sealed) checkpoint
    assert load_granted(book.consent, settings) == _full(book) == {people[1]: frozenset({"surveys"})}


def test_a_checkpoint_that_does_not_match_the_ledger_is_ignored(book: CustomerBook, people: list[str]) -> None:
    settings = book.desk._settings
    book.desk.set_consent(people[0], "surveys", True, VERBAL)
    load_granted(book.consent, settings, rewrite_after=1)
    doctored = dict(_checkpoint(book) or {})
    doctored["granted"] = {people[2]: 1}  # claims a consent nobody gave, under a MAC it cannot know
    doctored["mac"] = "0" * 64
    settings.set(CHECKPOINT_KEY, doctored)
    assert load_granted(book.consent, settings) == {people[0]: frozenset({"surveys"})}

    doctored["mac"], doctored["seq"] = (_checkpoint(book) or {}).get("mac"), 99  # an event that does not exist
    settings.set(CHECKPOINT_KEY, doctored)
    assert load_granted(book.consent, settings) == {people[0]: frozenset({"surveys"})}


def test_a_damaged_checkpoint_is_a_lost_cache_not_a_failed_unlock(book: CustomerBook, people: list[str]) -> None:
    settings = book.desk._settings
    book.desk.set_consent(people[0], "surveys", True, VERBAL)
    load_granted(book.consent, settings, rewrite_after=1)
    with sqlite3.connect(book.folder.database) as raw:
        (blob,) = raw.execute("SELECT value FROM settings WHERE key = ?", (CHECKPOINT_KEY,)).fetchone()
        damaged = bytes(blob[:-1]) + bytes([blob[-1] ^ 1])
        raw.execute("UPDATE settings SET value = ? WHERE key = ?", (damaged, CHECKPOINT_KEY))
    assert load_granted(book.consent, settings) == {people[0]: frozenset({"surveys"})}


def test_an_edited_event_after_the_checkpoint_is_refused(book: CustomerBook, people: list[str]) -> None:
    settings = book.desk._settings
    book.desk.set_consent(people[0], "surveys", True, VERBAL)
    load_granted(book.consent, settings, rewrite_after=1)
    book.desk.set_consent(people[1], "surveys", True, VERBAL)
    with sqlite3.connect(book.folder.database) as raw:
        raw.execute("DROP TRIGGER IF EXISTS consent_events_no_update")
        raw.execute("UPDATE consent_events SET customer_id = ? WHERE seq = 2", (people[2],))
    with pytest.raises(TamperedRecord):
        load_granted(book.consent, settings)
