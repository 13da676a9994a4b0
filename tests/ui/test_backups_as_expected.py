"""Backups behave as people expect: Ctrl+B twice keeps both, restore says what it replaces, the lock screen forgets."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt

from core.customers.store import CustomerDraft
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock
from tests.ui.test_backup_ui import _backup_by_keyboard
from ui.backup_dialogs import RestoreDialog
from ui.main_window import MainWindow

SLUG = "ana-s-corner-shop"


def _us_clock(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def _open_in_restore_dialog(qtbot, window: MainWindow, backup: Path, secret: str = "") -> RestoreDialog:
    window.backups.restore_action.trigger()
    dialog = window.backups.dialog
    assert isinstance(dialog, RestoreDialog)
    qtbot.keyClicks(dialog.file, str(backup))
    qtbot.keyClick(dialog.file, Qt.Key.Key_Tab)
    if secret:
        qtbot.keyClicks(dialog.secret, secret)
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.restore_button.isEnabled, timeout=10_000)
    return dialog


def test_ctrl_b_twice_the_same_day_keeps_both(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    stick = tmp_path / "stick"
    stick.mkdir()
    preferences = window.book.preferences()
    preferences.keep_daily, preferences.keep_weekly, preferences.keep_monthly = 1, 0, 0
    window.book.save_preferences(preferences)
    first = _backup_by_keyboard(qtbot, window, stick)
    first.reject()
    window.activateWindow()  # the closed dialog had the focus; Ctrl+B is the window's shortcut
    qtbot.waitUntil(window.isActiveWindow)
    second = _backup_by_keyboard(qtbot, window, stick)
    assert second is not first
    assert "removed" not in second.status.text()
    assert "0 customers." in second.status.text()
    assert len(list(stick.glob(f"{SLUG}-*.age"))) == 2


def test_the_daily_backup_rotates_old_automatic_ones_and_says_so_in_the_singular(qtbot, unlocked_window, tmp_path):
    window = unlocked_window
    stick = tmp_path / "stick"
    stick.mkdir()
    manual = _backup_by_keyboard(qtbot, window, stick)
    manual.reject()
    kept_manual = next(stick.glob("*.age"))
    old_automatic = stick / f"{SLUG}-2020-01-01-090000-auto.age"
    old_automatic.write_bytes(b"x")
    preferences = window.book.preferences()
    preferences.keep_daily, preferences.keep_weekly, preferences.keep_monthly = 1, 0, 0
    preferences.backup_daily, preferences.last_backup_at = True, ""  # due: the next unlock backs up
    window.book.save_preferences(preferences)
    window.lock()
    unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: "removed by rotation" in window.statusBar().currentMessage(), timeout=20_000)
    message = window.statusBar().currentMessage()
    assert message.endswith(". 1 old automatic backup removed by rotation.")
    assert not old_automatic.exists()
    assert kept_manual.exists()
    assert len(list(stick.glob(f"{SLUG}-*-auto.age"))) == 1


def test_restore_warns_with_the_real_figures_before_anything_is_replaced(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    for number in range(5):
        window.book.save_customer(CustomerDraft(name=f"Customer Number {number}"))
    stick = tmp_path / "stick"
    stick.mkdir()
    _backup_by_keyboard(qtbot, window, stick).reject()
    backup = next(stick.glob("*.age"))
    window.book.save_customer(CustomerDraft(name="Came After The Backup"))
    database = window.book.folder.database
    before = database.read_bytes()

    dialog = _open_in_restore_dialog(qtbot, window, backup)  # empty key: this book's own backup key

    with sqlite3.connect(database) as connection:
        last_change = datetime.fromisoformat(connection.execute("SELECT MAX(updated_at) FROM customers").fetchone()[0])
    made = datetime.fromisoformat(dialog.opened.manifest.created_at)  # type: ignore[union-attr]
    assert made.tzinfo == UTC
    backup_time, changed = _us_clock(made), _us_clock(last_change)  # the shop is in the US: 12-hour clock
    assert dialog.warning.isVisible()
    last = (
        "The last changes were made in the same minute as the backup: they may not be in it."
        if changed == backup_time
        else f"Whatever changed after today {backup_time} is not in the backup."
    )
    assert dialog.warning.text() == (
        f"Your current book has 6 customers and changes up to today {changed}; the backup is from today "
        f"{backup_time} with 5 customers. Restoring replaces the current book. {last}"
    )
    assert f"Made today {backup_time}" in dialog.preview.text()
    assert database.read_bytes() == before  # nothing replaced yet
    assert window.book.is_unlocked
    dialog.reject()


def test_restore_then_lock_again_shows_the_ordinary_lock_screen(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    window.book.save_customer(CustomerDraft(name="In The Backup"))
    stick = tmp_path / "stick"
    stick.mkdir()
    _backup_by_keyboard(qtbot, window, stick).reject()
    ordinary_prompt = window.lock_view.prompt.text()
    dialog = _open_in_restore_dialog(qtbot, window, next(stick.glob("*.age")))
    with qtbot.waitSignal(dialog.restored, timeout=10_000):
        qtbot.keyClick(dialog.restore_button, Qt.Key.Key_Space)
    notice = window.lock_view.notice
    assert notice.isVisible()
    assert notice.text().startswith("Backup restored.")
    assert window.lock_view.prompt.text() == ordinary_prompt

    # A wrong passphrase does not wipe it: the notice is what says which passphrase to use.
    secret = window.lock_view.secret
    qtbot.keyClicks(secret, "not the passphrase at all")
    qtbot.keyClick(secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lock_view.error.isVisible(), timeout=10_000)
    assert notice.isVisible()

    unlock(qtbot, window, PASSPHRASE)
    window.lock()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.lock_view)
    assert not notice.isVisible()
    assert "Backup restored" not in notice.text()
    assert window.lock_view.prompt.text() == ordinary_prompt


def test_the_reminder_setting_says_1_day_not_1_days(qtbot, unlocked_window) -> None:
    from ui.backup_settings import BackupSettingsPage

    page = BackupSettingsPage(unlocked_window.book)
    qtbot.addWidget(page)
    page.load()
    assert page.remind.text() == "7 days"
    page.remind.setValue(1)
    assert page.remind.text() == "1 day"
    page.remind.setValue(2)
    assert page.remind.text() == "2 days"
