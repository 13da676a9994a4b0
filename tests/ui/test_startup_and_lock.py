"""The window's two-step start, locking with dialogs open, and the keyring at start-up.

- The frame and lock screen exist before the book's modules are attached; a passphrase typed and entered in
  that moment is kept and used once the book is attached (never dropped, never kept in the field).
- Locking (Ctrl+L, even from inside a dialog, or the idle timer) closes every dialog that shows a customer.
- While the keyring is tried at start the passphrase field is busy at once, so nothing typed is lost; a
  keyring that hangs ends in a plain message and the passphrase prompt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from core.customers.store import CustomerDraft
from core.keys.crypto import FAST_TEST_KDF
from core.keys.keyring_cache import DeviceKeyring
from core.storage.data_folder import DataFolder
from tests.conftest import PASSPHRASE
from tests.core.test_keyring import HangingBackend, MemoryBackend
from tests.ui.conftest import unlock
from ui.app import build_session
from ui.main_window import MainWindow


def _session_kwargs(backend: MemoryBackend, timeout: float = 2) -> dict[str, object]:
    return {
        "kdf_provider": lambda: FAST_TEST_KDF,
        "keyring_factory": lambda: DeviceKeyring(backend, timeout=timeout),
    }


def test_passphrase_entered_before_attach_is_kept_and_used(qtbot, set_up_folder: DataFolder) -> None:
    window = MainWindow()  # step one only: the frame and the lock screen
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    assert not window.attached
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.lock_view.secret)
    assert not window.new_action.isEnabled()

    qtbot.keyClicks(window.lock_view.secret, PASSPHRASE)
    qtbot.keyClick(window.lock_view.secret, Qt.Key.Key_Return)
    assert window.lock_view.secret.text() == ""  # handed over, not kept in the widget
    assert not window.lock_view.secret.isEnabled()  # busy until the book is attached
    assert window.lock_view.progress.isVisible()

    session = build_session(set_up_folder, session_kwargs=_session_kwargs(MemoryBackend()))
    with qtbot.waitSignal(session.unlocked, timeout=10_000):
        window.attach(session)
    assert window.pages.currentWidget() is window.book_page
    assert window.new_action.isEnabled()
    assert window.new_action.shortcut().toString() == "Ctrl+N"  # deferred shortcuts were applied
    session.tasks.wait_for_all()
    window.book.close()


def test_closing_before_attach_is_harmless(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.close()


def test_ctrl_l_inside_a_customer_dialog_locks_and_closes_it(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    saved = window.book.save_customer(CustomerDraft(name="Ana Souza", emails=["ana@example.com"]))
    window.list_view.refresh()
    window.open_customer(saved.id)
    window.profiles.show_history()
    history = window.profiles.dialog
    assert isinstance(history, QDialog)
    qtbot.waitExposed(history)
    history.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is history)
    with qtbot.waitSignal(window.session.locked, timeout=5_000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not history.isVisible()
    assert window.pages.currentWidget() is window.lock_view
    visible = [d for d in window.findChildren(QDialog) if d.isVisible()]
    assert visible == []


def test_idle_lock_closes_settings_and_history(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    saved = window.book.save_customer(CustomerDraft(name="Bo Lind"))
    window.open_customer(saved.id)
    window.profiles.show_history()
    window.open_settings()
    assert window.settings_dialog is not None
    window.idle.set_minutes(0.001)
    window.idle.start()
    with qtbot.waitSignal(window.session.locked, timeout=5_000):
        pass
    assert [d for d in window.findChildren(QDialog) if d.isVisible()] == []


def test_restore_dialog_stays_open_while_the_book_is_locked(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    window.lock()
    window.backups.restore()
    dialog = window.backups.dialog
    assert isinstance(dialog, QDialog)
    window.show_locked()  # e.g. restoring locks the book first: the restore dialog must survive it
    assert dialog.isVisible()
    dialog.reject()


def test_keyring_at_start_is_busy_at_once_and_a_hang_ends_in_the_prompt(qtbot, set_up_folder: DataFolder) -> None:
    remembering = MemoryBackend()
    first = MainWindow(build_session(set_up_folder, session_kwargs=_session_kwargs(remembering)))
    qtbot.addWidget(first)
    first.show()
    first.lock_view.remember.setChecked(True)
    unlock(qtbot, first, PASSPHRASE)
    qtbot.waitUntil(lambda: len(remembering.store) == 1, timeout=5_000)
    first.session.tasks.wait_for_all()
    first.close()
    first.book.close()

    hanging = HangingBackend()
    hanging.store.update(remembering.store)
    window = MainWindow(build_session(set_up_folder, session_kwargs=_session_kwargs(hanging, timeout=0.3)))
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.session.try_keyring_unlock()
        # Busy before the worker even starts: a passphrase cannot be typed and then dropped.
        assert not window.lock_view.secret.isEnabled()
        with qtbot.waitSignal(window.session.unlock_failed, timeout=5_000) as failed:
            pass
        assert "keyring" in str(failed.args[0]).lower()
        assert window.lock_view.secret.isEnabled()
        assert window.lock_view.error.isVisible()
        unlock(qtbot, window, PASSPHRASE)  # the passphrase still works
    finally:
        hanging.release.set()
        window.session.tasks.wait_for_all()
        window.book.close()
