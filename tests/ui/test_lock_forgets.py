"""After lock the window holds nothing personal: checked through the objects it owns (list model, search box,
form, panels, dialogs, status bar, undo histories), then, best effort, with the garbage collector (see
tests/core/test_lock_forgets.py for what that scan can and cannot show)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QLineEdit, QPlainTextEdit, QWidget

from tests.core.test_lock_forgets import holders_of, new_canary
from tests.ui.keyboard import type_text
from ui.main_window import MainWindow


def _press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _texts(window: MainWindow) -> list[str]:
    """Every text a widget of the window shows or keeps: labels, fields, buttons, titles, tooltips."""
    texts = [window.statusBar().currentMessage(), window.windowTitle()]
    for widget in window.findChildren(QWidget):
        texts += [widget.windowTitle(), widget.toolTip()]
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
    return texts


def test_lock_empties_the_window_and_its_undo_histories(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    name, needle = new_canary()
    form, search = window.form, window.list_view.search_box

    # A customer typed at the counter (so every field has an undo history), then found, opened and looked at.
    window.list_view.focus_search()
    type_text(search, name)
    _press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    for widget, text in ((form.phone, "202 555 0177"), (form.email, f"{needle}@example.com")):
        widget.setFocus()
        type_text(widget, text)
    form.notes.setFocus()
    type_text(form.notes, f"{name} prefers mornings")
    _press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == f"Added {name}."
    saved = window.profiles.customer
    assert saved is not None
    window.profiles.visit_bar.note.setFocus()
    type_text(window.profiles.visit_bar.note, f"{name} bought tea")
    window.profiles.visit_bar.request()
    window.profiles.consent_panel.guardian_name.setFocus()
    type_text(window.profiles.consent_panel.guardian_name, f"Parent of {name}")
    window.profiles.show_history()  # a dialog titled with the name
    history = window.profiles.dialog
    assert isinstance(history, QDialog)
    history.done(QDialog.DialogCode.Rejected)  # closed, but still a child of the window until lock
    # A second customer with the same phone: the duplicate banner names the first one.
    window.back_to_search()
    search.setText("")
    _press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    type_text(form.name, "Someone Else")
    form.phone.setFocus()
    type_text(form.phone, "202 555 0177")
    _press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert name in form.open_other.text()
    search.setFocus()
    type_text(search, needle)
    assert window.list_view.model.rowCount() == 1
    assert any(needle in text for text in _texts(window))
    keys = window.book.keys
    data_key = keys.data_key

    window.lock_when_idle()  # as auto-lock does: Ctrl+L would first ask about the unsaved new customer
    qtbot.wait(10)  # deleteLater() of the closed dialogs runs in the event loop

    assert window.pages.currentWidget() is window.lock_view
    assert data_key == bytearray(32)
    assert len(window.book.index) == 0
    model = window.list_view.model
    assert (model.rowCount(), model._rows, model._in_name_order, model._phone_display) == (0, [], [], {})
    assert window.list_view.proxy.rowCount() == 0
    for line in (search, form.name, form.phone, form.email, window.profiles.visit_bar.note):
        assert line.text() == ""
        assert not line.isUndoAvailable(), f"{line.objectName()} would give the text back on Ctrl+Z"
        line.undo()
        assert line.text() == ""
    guardian = window.profiles.consent_panel.guardian_name
    assert not guardian.isUndoAvailable()
    assert form.notes.toPlainText() == ""
    assert not form.notes.document().isUndoAvailable()
    assert form.existing is None
    assert window.profiles.customer is None
    assert window.profiles.ask_panel.rows == []
    assert window.profiles.dialog is None
    assert [d for d in window.findChildren(QDialog) if not d.property("usable_while_locked")] == []
    assert window.statusBar().currentMessage() == ""
    assert [text for text in _texts(window) if needle in text] == []

    del name, saved, history
    assert holders_of(needle) == []
