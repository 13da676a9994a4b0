"""Book → Replace the book's key: a wrong passphrase changes nothing; the right one shows a new recovery key
once, and the records move to the new key in the background."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.customers.store import CustomerDraft
from tests.conftest import PASSPHRASE
from tests.ui.conftest import printers_into
from ui.key_rotation import KeyRotationDialog
from ui.main_window import MainWindow


def _open_dialog(qtbot, window: MainWindow) -> KeyRotationDialog:
    window.key_upkeep.action.trigger()
    dialog = window.key_upkeep.dialog
    assert isinstance(dialog, KeyRotationDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_replacing_the_key_by_keyboard(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    window.book.save_customer(CustomerDraft(name="Kept Through Rotation"))
    vault_before = window.book.folder.vault.read_bytes()
    dialog = _open_dialog(qtbot, window)

    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "passphrase" in dialog.error.text().lower()
    assert window.book.folder.vault.read_bytes() == vault_before

    dialog.passphrase.setFocus()
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.rotated, timeout=10_000):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.key_label.isVisible()
    assert dialog.key_label.text().count("-") == 7  # 8 groups of 5
    assert dialog.passphrase.text() == ""
    qtbot.waitUntil(lambda: not window.book.reseal_pending(), timeout=10_000)
    assert "current key" in window.statusBar().currentMessage()
    assert window.book.index.search("Kept Through Rotation").rows
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert dialog.key_label.text() == ""  # shown once, not kept in a widget
    window.session.tasks.wait_for_all()


def test_forgetting_this_computer_offers_to_replace_the_key(qtbot, locked_window: MainWindow, keyring_backend) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.conftest import unlock

    window = locked_window
    window.lock_view.remember.setChecked(True)
    unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: len(keyring_backend.store) == 1, timeout=5_000)
    qtbot.waitUntil(lambda: not window.session.tasks.busy, timeout=5_000)
    window.key_upkeep._update_forget()
    assert window.key_upkeep.forget_action.isEnabled()
    window.key_upkeep.forget_action.trigger()
    qtbot.waitUntil(lambda: getattr(window.key_upkeep, "forget_box", None) is not None, timeout=5_000)
    assert keyring_backend.store == {}
    assert not window.book.preferences().remembered_device_id
    box = window.key_upkeep.forget_box
    box.button(QMessageBox.StandardButton.Yes).click()
    assert isinstance(window.key_upkeep.dialog, KeyRotationDialog)
    window.key_upkeep.dialog.reject()
    window.session.tasks.wait_for_all()


def test_locking_closes_the_dialog_and_the_new_key_with_it(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    dialog = _open_dialog(qtbot, window)
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.rotated, timeout=10_000):
        dialog._go()
    assert dialog.key_label.text()
    window.lock()
    assert not dialog.isVisible()
    assert dialog.key_label.text() == ""  # before Qt deletes the dialog (lock deletes it later)
    assert dialog.rotated_keys is None
    window.session.tasks.wait_for_all()


def test_the_new_recovery_sheet_prints_or_says_there_is_no_printer(qtbot, unlocked_window, tmp_path) -> None:
    from pypdf import PdfReader

    from ui.printing import NO_PRINTER, Printers

    window = unlocked_window
    dialog = _open_dialog(qtbot, window)
    dialog.printers = Printers(names=lambda: [])
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.rotated, timeout=10_000):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.print_button.isVisible()
    assert dialog.sheet_button.isVisible()
    assert dialog.focusWidget() is dialog.print_button
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Space)
    assert dialog.sheet_status.text() == NO_PRINTER  # said, and nothing printed anywhere
    assert dialog.focusWidget() is dialog.sheet_button
    assert list(tmp_path.rglob("*.pdf")) == []

    target = tmp_path / "hp-counter.pdf"

    dialog.printers = printers_into(target, "HP-Counter")  # the printer queue, as a file the test can read
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "Sent to the printer HP-Counter." in dialog.sheet_status.text(), timeout=15_000)
    assert len(PdfReader(target).pages) >= 1
    qtbot.waitUntil(lambda: not window.book.reseal_pending(), timeout=10_000)
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)
    window.session.tasks.wait_for_all()
