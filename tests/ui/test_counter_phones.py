"""At the counter: a number phonenumbers refuses kept as typed, an e-mail slip corrected, all by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.customers.phones import TYPED_PREFIX
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock
from tests.ui.keyboard import type_text
from ui.customer_table_model import COLUMN_PHONE
from ui.main_window import MainWindow


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def new_customer(qtbot, window: MainWindow, name: str) -> None:
    window.list_view.focus_search()
    type_text(QApplication.focusWidget(), name)
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.pane.showing_detail


def test_a_number_phonenumbers_refuses_is_kept_as_typed_by_keyboard(qtbot, unlocked_window: MainWindow) -> None:
    window, form = unlocked_window, unlocked_window.form
    new_customer(qtbot, window, "Ava Smith")
    assert QApplication.focusWidget() is form.phone
    type_text(form.phone, "202 555 01")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert window.book.customers.count() == 0, "nothing is kept before staff choose to"
    error = form.errors["phone"]
    assert error.isVisible()
    assert "“202 555 01”" in error.text()
    assert "or keep it as typed" in error.text()
    assert form.keep_phone.isVisible()
    assert form.keep_phone.button.text() == "&Keep as typed"
    assert QApplication.focusWidget() is form.phone
    press(qtbot, Qt.Key.Key_Tab)  # the button is next to the field, one Tab away
    assert QApplication.focusWidget() is form.keep_phone.button
    press(qtbot, Qt.Key.Key_Space)

    assert window.statusBar().currentMessage() == "Added Ava Smith."
    assert not form.keep_phone.isVisible()
    [saved] = window.book.customers.iter_all()
    assert saved.phones == (TYPED_PREFIX + "202 555 01",)
    assert form.phone.text() == "202 555 01", "shown exactly as typed"

    # Saved again unchanged: no second warning.
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not form.errors["phone"].isVisible()

    press(qtbot, Qt.Key.Key_Escape)
    with qtbot.waitSignal(window.session.locked, timeout=5_000):
        press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    unlock(qtbot, window, PASSPHRASE)
    type_text(window.list_view.search_box, "20255501")
    model = window.list_view.model
    assert model.rowCount() == 1
    assert model.index(0, COLUMN_PHONE).data() == "202 555 01"


def test_the_shops_own_numbers_are_shown_in_national_format(qtbot, unlocked_window: MainWindow) -> None:
    window, form = unlocked_window, unlocked_window.form
    new_customer(qtbot, window, "Bo Lind")
    type_text(form.phone, "+1 202 555 0135, +44 7911 123456")
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Added Bo Lind."
    assert form.phone.text() == "(202) 555-0135, +44 7911 123456"  # US shop: national; UK number: international
    model = window.list_view.model
    window.list_view.search_box.setText("Bo")
    assert model.index(0, COLUMN_PHONE).data() == "(202) 555-0135"


def test_an_email_slip_is_suggested_and_taken_with_one_key(qtbot, unlocked_window: MainWindow) -> None:
    window, form = unlocked_window, unlocked_window.form
    new_customer(qtbot, window, "Tom Baker")
    form.email.setFocus()
    type_text(form.email, "tom.baker@gmial,com")
    hint = form.email_hint
    assert hint.isVisible()
    assert hint.text.text() == "Did you mean tom.baker@gmail.com?"
    assert hint.button.text() == "&Use tom.baker@gmail.com"

    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.errors["email"].text().startswith("“tom.baker@gmial,com” is not an e-mail address")
    assert hint.isVisible(), "the way out stays beside the error"
    assert QApplication.focusWidget() is form.email
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is hint.button
    press(qtbot, Qt.Key.Key_Space)

    assert form.email.text() == "tom.baker@gmail.com"
    assert not hint.isVisible()
    assert not form.errors["email"].isVisible()
    assert QApplication.focusWidget() is form.email
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Added Tom Baker."
    [saved] = window.book.customers.iter_all()
    assert saved.emails == ("tom.baker@gmail.com",)
