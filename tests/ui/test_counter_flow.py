"""At the counter, keyboard only: unlock, create, search, duplicates, errors beside fields, lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock
from tests.ui.keyboard import type_text
from ui.main_window import MainWindow


def type_into_focus(qtbot, text: str) -> None:
    type_text(QApplication.focusWidget(), text)


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def visible_names(window: MainWindow) -> list[str]:
    proxy = window.list_view.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_wrong_then_right_passphrase(qtbot, locked_window: MainWindow) -> None:
    window = locked_window
    assert window.pages.currentWidget() is window.lock_view
    assert QApplication.focusWidget() is window.lock_view.secret
    qtbot.keyClicks(window.lock_view.secret, "definitely not it, sorry")
    with qtbot.waitSignal(window.session.unlock_failed, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    assert window.lock_view.error.isVisible()
    assert "not right" in window.lock_view.error.text()
    assert window.lock_view.secret.text() == "", "the secret is cleared from the widget after use"
    assert window.pages.currentWidget() is window.lock_view
    unlock(qtbot, window, PASSPHRASE)
    assert window.pages.currentWidget() is window.book_page
    assert QApplication.focusWidget() is window.list_view.search_box
    assert window.list_view.empty_state.text().startswith("No customers yet — press Ctrl+N")


def add_customer_by_keyboard(qtbot, window: MainWindow, search_text: str, rest: list[str]) -> None:
    """Type in search, Ctrl+N (prefilled), Tab through fields typing `rest`, Ctrl+S, Esc."""
    window.list_view.focus_search()
    type_into_focus(qtbot, search_text)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.pane.showing_detail
    for value in rest:
        if value:
            type_into_focus(qtbot, value)
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_create_three_customers_and_find_them_without_the_mouse(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    # 1: a name typed in search → prefilled name; focus lands on the first empty field (phone).
    add_customer_by_keyboard(qtbot, window, "Ana Souza", ["202 555 0134", "ana@example.com"])
    assert window.statusBar().currentMessage() == "Added Ana Souza."
    press(qtbot, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.list_view.search_box
    # 2: digits typed in search → prefilled phone; focus on the empty name field.
    window.list_view.search_box.clear()
    add_customer_by_keyboard(qtbot, window, "(202) 555-0199", ["Łukasz Wójcik"])
    assert window.statusBar().currentMessage() == "Added Łukasz Wójcik."
    press(qtbot, Qt.Key.Key_Escape)
    # 3: an e-mail typed in search → prefilled e-mail.
    window.list_view.search_box.clear()
    add_customer_by_keyboard(qtbot, window, "mei@example.org", ["Mei Chen"])
    press(qtbot, Qt.Key.Key_Escape)
    assert window.book.customers.count() == 3

    search = window.list_view.search_box
    search.clear()
    assert sorted(visible_names(window)) == ["Ana Souza", "Mei Chen", "Łukasz Wójcik"]
    qtbot.keyClicks(search, "luk")
    assert visible_names(window) == ["Łukasz Wójcik"]
    search.clear()
    qtbot.keyClicks(search, "555 0134")
    assert visible_names(window) == ["Ana Souza"]
    search.clear()
    qtbot.keyClicks(search, "mei@ex")
    assert visible_names(window) == ["Mei Chen"]
    # Down moves into the list, Enter opens the customer.
    press(qtbot, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is window.list_view.table
    press(qtbot, Qt.Key.Key_Return)
    assert window.pane.showing_detail
    assert window.form.name.text() == "Mei Chen"
    assert window.form.email.text() == "mei@example.org"


def test_enter_in_search_opens_first_match_and_edit_saves(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    add_customer_by_keyboard(qtbot, window, "Ana Souza", ["202 555 0134"])
    press(qtbot, Qt.Key.Key_Escape)
    window.list_view.search_box.clear()
    type_into_focus(qtbot, "souza")
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.form.name
    window.form.name.selectAll()
    type_into_focus(qtbot, "Ana Souza Lima")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Saved Ana Souza Lima."
    assert [c.name for c in window.book.customers.iter_all()] == ["Ana Souza Lima"]


def test_duplicate_phone_warning_offers_to_open_the_existing_customer(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    add_customer_by_keyboard(qtbot, window, "Ana Souza", ["202 555 0134"])
    press(qtbot, Qt.Key.Key_Escape)
    window.list_view.search_box.clear()
    add_customer_by_keyboard(qtbot, window, "Someone Else", ["+1 202-555-0134"])
    assert window.form.banner.isVisible()
    assert window.form.banner_text.text() == "This phone belongs to Ana Souza — open them instead?"
    assert window.book.customers.count() == 1
    assert QApplication.focusWidget() is window.form.open_other
    press(qtbot, Qt.Key.Key_Space)  # "Open Ana Souza"
    assert window.form.name.text() == "Ana Souza"
    assert window.book.customers.count() == 1


def test_invalid_phone_and_email_errors_beside_the_field_and_nothing_saved(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    add_customer_by_keyboard(qtbot, window, "Ana Souza", ["not a phone"])
    assert window.form.errors["phone"].isVisible()
    assert "not a phone number" in window.form.errors["phone"].text()
    assert QApplication.focusWidget() is window.form.phone
    assert window.book.customers.count() == 0
    window.form.phone.clear()
    window.form.email.setFocus()
    type_into_focus(qtbot, "ana@@example")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.form.errors["email"].isVisible()
    assert not window.form.errors["phone"].isVisible()
    assert "not an e-mail address" in window.form.errors["email"].text()
    assert window.book.customers.count() == 0
    # Fixing it saves, and nothing typed was lost in between.
    window.form.email.selectAll()
    type_into_focus(qtbot, "ana@example.com")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.book.customers.count() == 1
    assert window.form.name.text() == "Ana Souza"


def test_card_number_in_notes_is_refused_beside_notes(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    add_customer_by_keyboard(qtbot, window, "Ana Souza", ["", "", "card 4111 1111 1111 1111"])
    assert window.form.errors["notes"].isVisible()
    assert "card number" in window.form.errors["notes"].text()
    assert window.book.customers.count() == 0


def test_ctrl_l_and_idle_timeout_lock_and_hide_every_value(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    add_customer_by_keyboard(qtbot, window, "Ana Souza", ["202 555 0134"])
    assert window.list_view.model.rowCount() == 1
    with qtbot.waitSignal(window.session.locked):
        press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert_nothing_shown(window)
    unlock(qtbot, window, PASSPHRASE)
    assert window.list_view.model.rowCount() == 1
    window.list_view.search_box.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert window.form.name.text() == "Ana Souza"
    window.idle.set_minutes(0.001)  # 60 ms
    window.idle.start()
    with qtbot.waitSignal(window.session.locked, timeout=5_000):
        pass
    assert_nothing_shown(window)


def assert_nothing_shown(window: MainWindow) -> None:
    assert window.pages.currentWidget() is window.lock_view
    assert window.list_view.model.rowCount() == 0
    assert window.form.name.text() == ""
    assert window.form.phone.text() == ""
    assert window.form.title.text() == ""
    assert len(window.book.index) == 0
    assert not window.book.is_unlocked
    assert not window.new_action.isEnabled()


def test_remember_on_this_computer_unlocks_at_next_start(qtbot, locked_window, keyring_backend) -> None:
    from tests.ui.conftest import make_window

    window = locked_window
    window.lock_view.remember.setChecked(True)
    unlock(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: len(keyring_backend.store) == 1, timeout=5_000)
    # The secret reaches the keyring before the vault's new slot is written: closing in between would ask
    # "still working?" in a modal box (seen on a loaded machine).
    qtbot.waitUntil(lambda: not window.session.tasks.busy, timeout=5_000)
    folder = window.book.folder
    window.close()
    window.book.close()
    second = make_window(qtbot, folder, keyring_backend)
    with qtbot.waitSignal(second.session.unlocked, timeout=10_000):
        assert second.session.try_keyring_unlock()
    assert second.pages.currentWidget() is second.book_page
    second.book.close()


def test_table_model_passes_the_model_tester(qtmodeltester, unlocked_window: MainWindow) -> None:
    from core.customers.store import CustomerDraft

    window = unlocked_window
    for name in ("Ana", "Bo", "Cy"):
        window.book.save_customer(CustomerDraft(name=name, phones=[]))
    window.list_view.refresh()
    qtmodeltester.check(window.list_view.model)
    qtmodeltester.check(window.list_view.proxy)
