"""Back up on close: it still runs after idle auto-lock, and the owner is told whenever it does not."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from core.backup import open_backup
from core.customers.store import CustomerDraft
from ui.main_window import MainWindow


def _back_up_on_close(window: MainWindow, folder: Path) -> None:
    preferences = window.book.preferences()
    preferences.backup_folder = str(folder)
    preferences.backup_on_close = True
    window.book.save_preferences(preferences)


def test_closing_after_auto_lock_still_backs_up_and_says_what_was_checked(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    window.book.save_customer(CustomerDraft(name="Served Before The Auto Lock"))
    stick = tmp_path / "stick"
    stick.mkdir()
    _back_up_on_close(window, stick)
    identity = window.book.keys.backup_identity
    window.lock()  # what the idle timer does
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.lock_view)
    window.close()
    assert window.isVisible()  # still open while the backup runs
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    written = list(stick.glob("*.age"))
    assert len(written) == 1
    assert open_backup(written[0], identity).manifest.customers == 1
    message = window.statusBar().currentMessage()
    assert "checked" in message
    assert "not decrypted back" in message
    assert window.book.preferences().last_backup_file == str(written[0])


def test_closing_a_book_never_unlocked_skips_the_backup_and_says_why(qtbot, locked_window, tmp_path) -> None:
    window = locked_window
    _back_up_on_close(window, tmp_path)
    window.close()
    assert not window.isVisible()
    assert not list(tmp_path.glob("*.age"))
    assert "not unlocked" in window.statusBar().currentMessage()


def test_a_failed_backup_on_close_is_shown_before_the_window_closes(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    stick = tmp_path / "stick"
    stick.mkdir()
    _back_up_on_close(window, stick)
    stick.rmdir()  # the USB stick was pulled out
    window.close()
    qtbot.waitUntil(lambda: window.backups.notice is not None and window.backups.notice.isVisible(), timeout=20_000)
    notice = window.backups.notice
    assert notice is not None
    assert "USB stick" in notice.text()
    assert window.isVisible()  # the owner reads it first
    notice.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert window.book.preferences().last_backup_at == ""
