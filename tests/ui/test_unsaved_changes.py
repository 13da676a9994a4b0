"""Nothing typed is lost silently: Esc, Ctrl+L, opening another customer, Ctrl+N and closing ask Save / Discard /
Cancel; idle auto-lock asks nothing, seals the draft, and the next unlock offers it back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from core.customers.drafts import DraftKeeper
from core.customers.store import CustomerDraft
from tests.conftest import PASSPHRASE
from tests.core.test_canary import scan_folder
from tests.ui.conftest import make_window, unlock
from tests.ui.keyboard import type_text
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key, modifier)


def open_by_keyboard(qtbot, window: MainWindow, name: str) -> None:
    window.list_view.focus_search()
    window.list_view.search_box.setText(name)
    press(qtbot, Qt.Key.Key_Return)
    assert window.form.name.text() == name


def prompt(window: MainWindow) -> QMessageBox:
    box = window.unsaved.prompt
    assert box is not None, "the unsaved-changes question should be showing"
    assert box.isVisible()
    return box


def answer(qtbot, box: QMessageBox, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    window = box.parentWidget()
    box.activateWindow()  # the offscreen platform does not activate new windows; mnemonics need it
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(box, key, modifier)
    qtbot.waitUntil(lambda: not isValid(box) or not box.isVisible())
    if window.isVisible():  # the window takes the keyboard back (closing it is one of the answers)
        qtbot.waitUntil(window.isActiveWindow)


def test_esc_asks_cancel_keeps_typing_and_discard_puts_back_what_was_loaded(qtbot, unlocked_window) -> None:
    window = unlocked_window
    window.book.save_customer(CustomerDraft(name="Ana Souza"))
    window.list_view.refresh()
    open_by_keyboard(qtbot, window, "Ana Souza")
    window.form.notes.setFocus()
    type_text(window.form.notes, "prefers oolong")
    press(qtbot, Qt.Key.Key_Escape)
    box = prompt(window)
    assert "unsaved changes to Ana Souza" in box.text()
    assert "go back to the search" in box.informativeText()
    assert box.defaultButton().text() == "&Save"
    assert [b.text() for b in box.buttons()].count("&Discard") == 1
    answer(qtbot, box, Qt.Key.Key_Escape)  # Esc on the question = Cancel
    assert window.pane.showing_detail
    assert window.form.notes.toPlainText() == "prefers oolong"
    assert QApplication.focusWidget() is window.form.name
    press(qtbot, Qt.Key.Key_Escape)
    answer(qtbot, prompt(window), Qt.Key.Key_D, ALT)  # the mnemonic: Discard
    assert not window.pane.showing_detail
    assert QApplication.focusWidget() is window.list_view.search_box
    assert window.form.notes.toPlainText() == ""
    assert window.book.get_customer(window.book.index.search("Ana").rows[0][0]).notes == ""


def test_no_question_when_nothing_differs_from_what_was_loaded(qtbot, unlocked_window) -> None:
    window = unlocked_window
    window.book.save_customer(CustomerDraft(name="Ana Souza"))
    window.list_view.refresh()
    open_by_keyboard(qtbot, window, "Ana Souza")
    type_text(window.form.name, "x")
    press(qtbot, Qt.Key.Key_Backspace)  # typed and taken back: nothing to lose
    press(qtbot, Qt.Key.Key_Escape)
    assert window.unsaved.prompt is None
    assert not window.pane.showing_detail
    # A new customer prefilled from the search text, untouched: nothing typed into the form either.
    window.list_view.search_box.setText("Bea")
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert window.form.name.text() == "Bea"
    press(qtbot, Qt.Key.Key_Escape)
    assert window.unsaved.prompt is None


def test_ctrl_l_asks_and_enter_saves_then_locks(qtbot, unlocked_window) -> None:
    window = unlocked_window
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Carla Dias")
    press(qtbot, Qt.Key.Key_L, CTRL)
    box = prompt(window)
    assert box.text() == "This new customer is not saved yet."
    assert "lock the book" in box.informativeText()
    assert window.book.is_unlocked
    answer(qtbot, box, Qt.Key.Key_Return)  # Enter = Save, the default
    assert window.pages.currentWidget() is window.lock_view
    unlock(qtbot, window, PASSPHRASE)
    assert [row[1] for row in window.book.index.search("Carla").rows] == ["Carla Dias"]


def test_a_save_refused_by_validation_stays_on_the_form_with_the_message_beside_the_field(qtbot, unlocked_window):
    window = unlocked_window
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Dora Lima")
    window.form.email.setFocus()
    type_text(window.form.email, "dora@")
    press(qtbot, Qt.Key.Key_L, CTRL)
    answer(qtbot, prompt(window), Qt.Key.Key_Return)
    assert window.book.is_unlocked, "a refused save must not lock (what was typed would be gone)"
    assert window.pane.showing_detail
    assert window.form.errors["email"].isVisible()
    assert QApplication.focusWidget() is window.form.email
    assert window.book.customers.count() == 0


def test_opening_another_customer_or_ctrl_n_asks_first(qtbot, unlocked_window) -> None:
    window = unlocked_window
    for name in ("Ana Souza", "Bruno Reis"):
        window.book.save_customer(CustomerDraft(name=name))
    window.list_view.refresh()
    open_by_keyboard(qtbot, window, "Ana Souza")
    type_text(window.form.name, " Lima")
    # From the list, by keyboard: search, then Enter on the other customer.
    window.list_view.focus_search()
    window.list_view.search_box.setText("Bruno")
    press(qtbot, Qt.Key.Key_Return)
    box = prompt(window)
    assert "open another customer" in box.informativeText()
    answer(qtbot, box, Qt.Key.Key_Escape)
    assert window.form.name.text() == "Ana Souza Lima"
    press(qtbot, Qt.Key.Key_N, CTRL)
    box = prompt(window)
    assert "start a new customer" in box.informativeText()
    answer(qtbot, box, Qt.Key.Key_S, ALT)  # Save by its mnemonic, then the new customer starts
    assert window.form.existing is None
    assert window.form.title.text() == "New customer"
    assert sorted(row[1] for row in window.book.index.search("").rows) == ["Ana Souza Lima", "Bruno Reis"]
    # Typed into the new one, then a list double-click on Bruno: asked; Discard opens him.
    type_text(window.form.name, "Eva")
    window.list_view.search_box.setText("Bruno")
    window.list_view.open_current()
    answer(qtbot, prompt(window), Qt.Key.Key_D, ALT)
    assert window.form.name.text() == "Bruno Reis"


def test_closing_the_window_asks_before_anything_else(qtbot, unlocked_window, tmp_path: Path) -> None:
    window = unlocked_window
    preferences = window.book.preferences()
    preferences.backup_folder = str(tmp_path)
    preferences.backup_on_close = True
    window.book.save_preferences(preferences)
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Fabio Neves")
    window.close()
    box = prompt(window)
    assert "close Counterpart" in box.informativeText()
    assert window.isVisible()
    assert not list(tmp_path.glob("*.age")), "no backup starts while the question is open"
    answer(qtbot, box, Qt.Key.Key_Escape)
    assert window.isVisible()
    window.close()
    answer(qtbot, prompt(window), Qt.Key.Key_Return)  # Save: then the close goes on, backup on close included
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert len(list(tmp_path.glob("*.age"))) == 1
    window.book.unlock(PASSPHRASE)
    assert [row[1] for row in window.book.index.search("").rows] == ["Fabio Neves"]


IDLE_CANARIES = ["Gaspard Idlequill", "idle draft canary note"]


def test_idle_lock_seals_the_draft_and_the_next_unlock_offers_it_back(qtbot, unlocked_window, set_up_folder) -> None:
    window = unlocked_window
    customer = window.book.save_customer(CustomerDraft(name="Gaspard"))
    window.list_view.refresh()
    open_by_keyboard(qtbot, window, "Gaspard")
    type_text(window.form.name, " Idlequill")
    window.form.notes.setFocus()
    type_text(window.form.notes, "idle draft canary note")
    window.idle.idle_timeout.emit()  # what the timer does after five quiet minutes
    assert window.pages.currentWidget() is window.lock_view, "auto-lock never waits for an answer"
    assert window.unsaved.prompt is None
    assert window.form.name.text() == ""
    assert scan_folder(set_up_folder.root, IDLE_CANARIES) == [], "the draft is sealed, never on disk in plain"

    unlock(qtbot, window, PASSPHRASE)
    offer = window.draft_offer.dialog
    assert offer is not None
    assert offer.isVisible()
    assert offer.text() == "You were editing Gaspard when the book locked."
    answer(qtbot, offer, Qt.Key.Key_Return)  # Restore is the default
    assert window.form.existing is not None
    assert window.form.existing.id == customer.id
    assert window.form.name.text() == "Gaspard Idlequill"
    assert window.form.notes.toPlainText() == "idle draft canary note"
    assert window.unsaved.pending, "restored, it is still unsaved until Ctrl+S"
    assert DraftKeeper(window.book.settings).pending() is None, "the sealed copy is gone once restored"
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert window.book.get_customer(customer.id).name == "Gaspard Idlequill"


def test_a_draft_kept_when_the_app_died_is_offered_at_the_next_start(
    qtbot, unlocked_window, set_up_folder, keyring_backend
) -> None:
    window = unlocked_window
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Hana Mori")
    window.idle.idle_timeout.emit()
    window.book.close()  # the process is gone: nothing but the folder is left

    again = make_window(qtbot, set_up_folder, keyring_backend)
    try:
        unlock(qtbot, again, PASSPHRASE)
        offer = again.draft_offer.dialog
        assert offer is not None
        assert offer.text() == "You were adding a new customer, “Hana Mori”, when the book locked."
        answer(qtbot, offer, Qt.Key.Key_D, ALT)  # Discard
        assert DraftKeeper(again.book.settings).pending() is None
        assert not again.pane.showing_detail
        again.lock()
        unlock(qtbot, again, PASSPHRASE)
        assert again.draft_offer.dialog is None, "discarded means not offered again"
    finally:
        again.session.tasks.wait_for_all()
        again.book.close()


def test_locking_while_the_offer_is_open_keeps_the_draft_for_later(qtbot, unlocked_window) -> None:
    window = unlocked_window
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Ines")
    window.idle.idle_timeout.emit()
    unlock(qtbot, window, PASSPHRASE)
    assert window.draft_offer.dialog is not None
    window.idle.idle_timeout.emit()  # nobody answered: locked again
    assert window.draft_offer.dialog is None
    unlock(qtbot, window, PASSPHRASE)
    offer = window.draft_offer.dialog
    assert offer is not None
    answer(qtbot, offer, Qt.Key.Key_Return)
    assert window.form.name.text() == "Ines"
    assert window.form.existing is None


def test_ctrl_l_pressed_again_while_asking_locks_keeping_the_draft(qtbot, unlocked_window) -> None:
    window = unlocked_window
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Joana")
    press(qtbot, Qt.Key.Key_L, CTRL)
    qtbot.keyClick(prompt(window), Qt.Key.Key_L, CTRL)  # caught by the idle watcher inside the dialog
    assert window.pages.currentWidget() is window.lock_view
    unlock(qtbot, window, PASSPHRASE)
    assert window.draft_offer.dialog is not None


def test_restore_asks_first_because_it_replaces_the_book(qtbot, unlocked_window) -> None:
    from ui.backup_dialogs import RestoreDialog

    window = unlocked_window
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Rita Restore")
    window.backups.restore_action.trigger()
    box = prompt(window)
    assert "restore a backup" in box.informativeText()
    assert window.backups.dialog is None or not window.backups.dialog.isVisible()
    answer(qtbot, box, Qt.Key.Key_Escape)  # Cancel: no restore, still typing
    assert window.form.name.text() == "Rita Restore"
    assert not isinstance(window.backups.dialog, RestoreDialog)
    window.backups.restore_action.trigger()
    box = prompt(window)
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Save, then the restore dialog (which takes the keyboard)
    qtbot.waitUntil(lambda: isinstance(window.backups.dialog, RestoreDialog))
    assert [row[1] for row in window.book.index.search("Rita").rows] == ["Rita Restore"]
    assert isinstance(window.backups.dialog, RestoreDialog)
    window.backups.dialog.reject()
