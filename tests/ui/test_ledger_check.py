"""After each unlock the whole consent chain and the whole audit log are checked in the background: an old
event deleted behind Counterpart's back (before the checkpoint, where unlock itself does not look) or an old
audit entry edited is reported in a warning, and an intact ledger shows nothing."""

from __future__ import annotations

import sqlite3

from core.consent.checkpoint import load_granted
from core.consent.ledger import ConsentMethod
from core.customers.store import CustomerDraft
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock
from ui.main_window import MainWindow


def _three_events_checkpointed(window: MainWindow) -> None:
    book = window.book
    customer = book.save_customer(CustomerDraft(name="Ledger Lena"))
    for purpose in ("surveys", "marketing_email", "marketing_post"):
        book.desk.set_consent(customer.id, purpose, True, ConsentMethod.VERBAL)
    load_granted(book.consent, book.desk._settings, rewrite_after=1)  # the checkpoint covers all three


def test_an_old_deleted_event_is_reported_after_unlock(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    _three_events_checkpointed(window)
    window.session.tasks.wait_for_all()
    window.lock()
    with sqlite3.connect(window.book.folder.database) as raw:
        raw.execute("DROP TRIGGER IF EXISTS consent_events_no_delete")
        raw.execute("DELETE FROM consent_events WHERE seq = 1")
    unlock(qtbot, window, PASSPHRASE)  # unlock itself succeeds: the deletion is before the checkpoint
    qtbot.waitUntil(lambda: window.ledger_warning is not None and window.ledger_warning.isVisible(), timeout=10_000)
    assert "missing or out of order" in window.ledger_warning.detailedText()
    window.ledger_warning.close()


def test_an_intact_ledger_shows_no_warning(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    _three_events_checkpointed(window)
    window.lock()
    unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: window.ledger_problems is not None, timeout=10_000)  # the check has reported
    assert window.ledger_problems == []
    assert window.ledger_warning is None


def test_an_old_edited_audit_entry_is_reported_in_the_same_warning(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    for action in ("marketing_export", "notice_given"):
        window.book.audit.record(action)
    window.session.tasks.wait_for_all()
    window.lock()
    with sqlite3.connect(window.book.folder.database) as raw:
        raw.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        raw.execute("UPDATE audit_events SET action = 'notice_given' WHERE seq = 1")
    unlock(qtbot, window, PASSPHRASE)  # unlock checks only the last entry, which is intact
    qtbot.waitUntil(lambda: window.ledger_warning is not None and window.ledger_warning.isVisible(), timeout=10_000)
    assert window.ledger_problems == ["Audit log entry 1: it was changed after it was recorded."]
    window.ledger_warning.close()
