"""A customer whose record is damaged on disk: the book still opens, the window warns once (without blocking),
the customer shows as "Damaged record" with what to do instead of the form, and nothing can be saved over it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from core.customers.store import DAMAGED_MESSAGE, CustomerDraft, damaged_name
from tests.conftest import PASSPHRASE
from tests.core.test_damaged_customer import flip_last_byte
from tests.ui.conftest import unlock
from ui.main_window import MainWindow


def _names(window: MainWindow) -> list[str]:
    proxy = window.list_view.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def _search(qtbot, window: MainWindow, text: str) -> None:
    window.list_view.search_box.setText(text)
    qtbot.waitUntil(lambda: window.list_view.search_box.text() == text)


def test_a_damaged_customer_shows_as_damaged_and_the_rest_work(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    book = window.book
    ana = book.save_customer(CustomerDraft("Ana Souza", ["+1 202 555 0134"], ["ana@example.com"])).id
    bo = book.save_customer(CustomerDraft("Bo Lind", ["+1 202 555 0135"])).id
    window.lock()
    book.close()  # the book closed: a second program edits the file
    flip_last_byte(book.folder.database, ana)
    unlock(qtbot, window, PASSPHRASE)

    # Warned once, without blocking the counter; the status bar says it too.
    assert book.damaged_customers == (ana,)
    warning = window.damaged_warning
    assert isinstance(warning, QMessageBox)
    qtbot.waitUntil(warning.isVisible)
    assert "1 customer record is damaged" in warning.text()
    assert "backup" in warning.text()
    assert damaged_name(ana) in warning.detailedText()
    assert "damaged" in window.statusBar().currentMessage()
    warning.done(QMessageBox.StandardButton.Ok)

    # The others are searchable and open as usual.
    _search(qtbot, window, "Bo")
    assert _names(window) == ["Bo Lind"]
    window.open_customer(bo)
    assert window.pane.showing_detail
    assert window.form.name.text() == "Bo Lind"

    # The damaged one: a placeholder row, found by nothing personal, and a card instead of the form.
    _search(qtbot, window, "Ana")
    assert _names(window) == []
    _search(qtbot, window, "damaged")
    assert _names(window) == [damaged_name(ana)]
    window.list_view.focus_search()
    qtbot.keyClick(window.list_view.search_box, Qt.Key.Key_Return)
    assert window.pane.showing_damaged
    assert not window.pane.showing_detail
    assert window.pane.damaged_page.message.text() == DAMAGED_MESSAGE
    assert window.pane.damaged_page.isVisible()
    assert window.form.name.text() == ""  # Bo's page is gone, not under the card
    assert window.profiles.customer is None
    assert window.customer_on_screen() is None

    # Ctrl+S saves nothing: no new customer from an empty form, nothing written over the damaged one.
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    window.save_form()
    assert book.customers.count() == 2
    assert book.damaged_customers == (ana,)
    assert "Added" not in window.statusBar().currentMessage()

    # Esc goes back to the search; the next customer opens normally.
    window.back_to_search()
    assert not window.pane.showing_damaged
    window.open_customer(bo)
    assert window.pane.showing_detail

    # Found damaged while their page was open (e.g. their notes, read on another path): the save says so.
    book._open.counter.damaged.add(bo)
    window.form.save()
    assert window.form.form_error.isVisible()
    assert "integrity" in window.form.form_error.text()
    assert book.is_unlocked
    assert book.customers.count() == 2


def test_locking_closes_the_damaged_warning(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    book = window.book
    ana = book.save_customer(CustomerDraft("Ana Souza")).id
    window.lock()
    book.close()
    flip_last_byte(book.folder.database, ana, "contacts")
    unlock(qtbot, window, PASSPHRASE)
    warning = window.damaged_warning
    assert isinstance(warning, QMessageBox)
    qtbot.waitUntil(warning.isVisible)
    window.lock()
    assert window.pages.currentWidget() is window.lock_view
    assert not warning.isVisible()
    assert window.damaged_warning is None
    assert book.damaged_customers == ()


def test_no_warning_when_nothing_is_damaged(qtbot, unlocked_window: MainWindow) -> None:
    assert unlocked_window.damaged_warning is None
    assert "damaged" not in unlocked_window.statusBar().currentMessage()
