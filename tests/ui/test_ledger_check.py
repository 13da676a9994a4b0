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


def test_a_check_started_before_a_lock_is_not_reported_after_the_next_unlock(
    qtbot, unlocked_window: MainWindow, monkeypatch
) -> None:
    """Lock zeroes the MAC key a running check uses, so it would report every event as changed: its answer
    belongs to a ledger that is gone and must not become a warning once the book is open again."""
    import threading

    from core.consent.ledger import ConsentLedger

    window = unlocked_window
    window.session.tasks.wait_for_all()
    release = threading.Event()
    checked: list[ConsentLedger] = []

    def slow_verify(self: ConsentLedger) -> list[str]:
        checked.append(self)
        release.wait(10)
        return ["event 1 is missing or out of order"] if self is checked[0] else []

    monkeypatch.setattr(ConsentLedger, "verify", slow_verify)
    window.lock()
    unlock(qtbot, window, PASSPHRASE)  # check 1 starts and waits
    qtbot.waitUntil(lambda: len(checked) == 1, timeout=5_000)
    window.lock()
    unlock(qtbot, window, PASSPHRASE)  # check 2, on the new ledger
    qtbot.waitUntil(lambda: len(checked) == 2, timeout=5_000)
    release.set()
    window.session.tasks.wait_for_all()
    qtbot.waitUntil(lambda: window.ledger_problems is not None, timeout=5_000)
    qtbot.wait(50)  # both answers delivered
    assert window.ledger_problems == []
    assert window.ledger_warning is None
