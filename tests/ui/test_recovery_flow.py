"""Forgotten passphrase: the recovery key from the sheet opens the book, a new passphrase is
asked for at once (the dialog cannot be waved away), and afterwards only the new passphrase and the recovery
key open it. Locking while that dialog is open closes it; it comes back at the next recovery unlock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.book import CustomerBook
from core.keys.crypto import FAST_TEST_KDF
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE, SHOP
from tests.core.test_keyring import MemoryBackend
from tests.ui.conftest import make_window, unlock
from ui.passphrase_dialog import ChangePassphraseDialog

NEW_PASSPHRASE = "copper kettle under the stairs"


def _book_with_recovery_key(folder: DataFolder) -> str:
    book = CustomerBook(folder)
    result = book.set_up(SHOP, PASSPHRASE, FAST_TEST_KDF)
    book.close()
    return result.recovery_key


def _unlock_with_recovery_key(qtbot, window, recovery_key: str) -> None:
    lock = window.lock_view
    qtbot.mouseClick(lock.mode_button, Qt.MouseButton.LeftButton)  # "Forgot the passphrase?"
    assert lock.secret.placeholderText().startswith("Recovery key")
    qtbot.keyClicks(lock.secret, recovery_key)
    with qtbot.waitSignal(window.session.unlocked, timeout=10_000):
        qtbot.keyClick(lock.secret, Qt.Key.Key_Return)


def test_recovery_key_then_a_new_passphrase_is_required(qtbot, data_folder: DataFolder) -> None:
    recovery_key = _book_with_recovery_key(data_folder)
    window = make_window(qtbot, data_folder, MemoryBackend())
    try:
        _unlock_with_recovery_key(qtbot, window, recovery_key)
        dialog = window.passphrase_dialog
        assert isinstance(dialog, ChangePassphraseDialog)
        assert dialog.forced
        qtbot.waitExposed(dialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # cannot be waved away
        assert dialog.isVisible()

        qtbot.keyClicks(dialog.fields.passphrase, NEW_PASSPHRASE)
        qtbot.keyClicks(dialog.fields.confirm, NEW_PASSPHRASE)
        assert dialog.ok_button.isEnabled()
        with qtbot.waitSignal(dialog.passphrase_changed, timeout=10_000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert not window.book.must_change_passphrase
        assert dialog.fields.passphrase.text() == ""  # the secret does not stay in the widget

        window.lock()
        window.lock_view.secret.setFocus()
        qtbot.keyClicks(window.lock_view.secret, PASSPHRASE)
        with qtbot.waitSignal(window.session.unlock_failed, timeout=10_000):
            qtbot.keyClick(window.lock_view.secret, Qt.Key.Key_Return)  # the old passphrase no longer opens it
        unlock(qtbot, window, NEW_PASSPHRASE)
        assert window.passphrase_dialog is None  # no new forced dialog (the old one was deleted at lock)
    finally:
        window.session.tasks.wait_for_all()
        window.book.close()


def test_locking_closes_the_forced_dialog_and_recovery_asks_again(qtbot, data_folder: DataFolder) -> None:
    recovery_key = _book_with_recovery_key(data_folder)
    window = make_window(qtbot, data_folder, MemoryBackend())
    try:
        _unlock_with_recovery_key(qtbot, window, recovery_key)
        first = window.passphrase_dialog
        assert isinstance(first, ChangePassphraseDialog)
        with qtbot.waitSignal(window.session.locked):
            window.lock()
        assert not first.isVisible()
        assert QApplication.activeModalWidget() is None
        _unlock_with_recovery_key(qtbot, window, recovery_key)
        second = window.passphrase_dialog
        assert isinstance(second, ChangePassphraseDialog)
        assert second is not first
        assert second.forced
    finally:
        window.session.tasks.wait_for_all()
        window.book.close()
