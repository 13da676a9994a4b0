"""Backups from the window: Ctrl+B writes a verified backup; restore from the lock screen by keyboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from core.backup import open_backup
from core.customers.store import CustomerDraft
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE
from tests.core.test_keyring import MemoryBackend
from tests.ui.conftest import make_window, unlock
from ui.backup_dialogs import BackupDialog, RestoreDialog
from ui.main_window import MainWindow
from ui.setup_wizard import SetupWizard


def _backup_by_keyboard(qtbot, window: MainWindow, folder: Path, copy_passphrase: str = "") -> BackupDialog:
    qtbot.keyClick(window.list_view.search_box, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dialog = window.backups.dialog
    assert isinstance(dialog, BackupDialog)
    dialog.folder.setFocus()
    dialog.folder.selectAll()
    qtbot.keyClicks(dialog.folder, str(folder))
    if copy_passphrase:
        dialog.with_copy.setChecked(True)
        qtbot.keyClicks(dialog.copy_passphrase, copy_passphrase)
    with qtbot.waitSignal(dialog.backup_finished, timeout=20_000):
        qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    return dialog


def test_ctrl_b_writes_a_verified_backup_and_the_status_bar_says_so(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    assert "No backup yet" in window.backups.status_label.text()
    window.book.save_customer(CustomerDraft(name="Backed Up Person"))
    stick = tmp_path / "stick"
    stick.mkdir()
    dialog = _backup_by_keyboard(qtbot, window, stick)
    assert "Backup verified" in dialog.status.text()
    assert "Backup verified" in window.statusBar().currentMessage()
    assert "Last backup verified just now" in window.backups.status_label.text()
    written = list(stick.glob("*.age"))
    assert len(written) == 1
    assert open_backup(written[0], window.book.keys.backup_identity).manifest.customers == 1
    assert window.book.preferences().backup_folder == str(stick)


def test_backup_to_a_missing_folder_says_so_beside_the_button(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    qtbot.keyClick(window.list_view.search_box, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dialog = window.backups.dialog
    assert isinstance(dialog, BackupDialog)
    qtbot.keyClicks(dialog.folder, str(tmp_path / "unplugged"))
    qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "USB stick" in dialog.status.text(), timeout=10_000)
    assert dialog.status.property("role") == "error"
    assert window.book.preferences().last_backup_at == ""


def test_a_weak_copy_passphrase_is_refused_beside_it_and_nothing_is_written(qtbot, unlocked_window, tmp_path) -> None:
    """The passphrase copy opens the whole book, so the owner's passphrase rules apply to it."""
    window = unlocked_window
    stick = tmp_path / "stick"
    stick.mkdir()
    qtbot.keyClick(window.list_view.search_box, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    dialog = window.backups.dialog
    assert isinstance(dialog, BackupDialog)
    dialog.folder.selectAll()
    qtbot.keyClicks(dialog.folder, str(stick))
    dialog.with_copy.setChecked(True)
    for weak, said in (("short one", "at least 15"), ("password1234567890", "commonly used")):
        dialog.copy_passphrase.clear()
        qtbot.keyClicks(dialog.copy_passphrase, weak)
        qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
        assert said in dialog.status.text()
        assert dialog.status.property("role") == "error"
    assert list(stick.iterdir()) == []
    dialog.reject()


def test_restore_from_the_lock_screen_by_keyboard(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    window.book.save_customer(CustomerDraft(name="Only In The Backup"))
    stick = tmp_path / "stick"
    stick.mkdir()
    _backup_by_keyboard(qtbot, window, stick)
    backup_file = next(stick.glob("*.age"))
    key = window.book.keys.backup_identity
    window.book.save_customer(CustomerDraft(name="Made After The Backup"))
    window.lock()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.lock_view)

    window.lock_view.restore_button.click()  # the link on the lock screen (Tab + Space reach it too)
    dialog = window.backups.dialog
    assert isinstance(dialog, RestoreDialog)
    qtbot.keyClicks(dialog.file, str(backup_file))
    qtbot.keyClick(dialog.file, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.secret, "AGE-SECRET-KEY-1WRONGWRONGWRONG")
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "does not open" in dialog.status.text(), timeout=10_000)
    assert not dialog.restore_button.isEnabled()

    qtbot.keyClicks(dialog.secret, key)
    qtbot.keyClick(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.restore_button.isEnabled, timeout=10_000)
    assert "Ana's Corner Shop" in dialog.preview.text()
    assert "1 customer" in dialog.preview.text()
    with qtbot.waitSignal(dialog.restored, timeout=10_000):
        qtbot.keyClick(dialog.restore_button, Qt.Key.Key_Space)
    assert "Backup restored" in window.lock_view.notice.text()
    unlock(qtbot, window, PASSPHRASE)
    assert window.book.index.search("Only In The Backup").rows
    assert not window.book.index.search("Made After").rows


def test_i_have_a_backup_at_first_run_restores_then_unlocks(
    qtbot, data_folder: DataFolder, keyring_backend: MemoryBackend, unlocked_window, tmp_path
) -> None:
    source = unlocked_window
    source.book.save_customer(CustomerDraft(name="From The Old Computer"))
    stick = tmp_path / "stick"
    stick.mkdir()
    _backup_by_keyboard(qtbot, source, stick)
    key = source.book.keys.backup_identity

    from ui.app import start_setup_if_needed

    fresh_folder = DataFolder(tmp_path / "new-computer")
    window = make_window(qtbot, fresh_folder, keyring_backend)
    start_setup_if_needed(window)
    wizard = window.setup_wizard
    assert isinstance(wizard, SetupWizard)
    wizard.intro.from_backup.setChecked(True)
    wizard.next()
    dialog = window.backups.dialog
    assert isinstance(dialog, RestoreDialog)
    dialog.file.setText(str(next(stick.glob("*.age"))))
    dialog.secret.setText(key)
    dialog.open_file()
    qtbot.waitUntil(dialog.restore_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(dialog.restored, timeout=10_000):
        dialog.restore()
    assert fresh_folder.is_set_up()
    unlock(qtbot, window, PASSPHRASE)
    assert window.book.index.search("From The Old Computer").rows
    window.session.tasks.wait_for_all()
    window.book.close()


def test_back_up_on_close_writes_a_backup_then_closes(qtbot, unlocked_window, tmp_path) -> None:
    window = unlocked_window
    stick = tmp_path / "stick"
    stick.mkdir()
    preferences = window.book.preferences()
    preferences.backup_folder = str(stick)
    preferences.backup_on_close = True
    window.book.save_preferences(preferences)
    window.close()
    assert window.isVisible()  # still open while the backup runs
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert len(list(stick.glob("*.age"))) == 1
    assert window.book.preferences().last_backup_at
