"""Keyboard first: Tab leaves the list, Ctrl+S again on the duplicate warning saves anyway, a visible focus ring on
the green default button, and F1 lists every shortcut from the window's own actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QPushButton

from core.customers.store import CustomerDraft
from tests.ui.keyboard import type_text
from ui.help import CONSENT_TOGGLE_KEYS, shortcut_rows
from ui.main_window import MainWindow
from ui.theme import STYLE_SHEET

CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key, modifier)


def test_tab_leaves_the_customer_list_for_the_customers_page(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    for name in ("Ana Souza", "Bruno Reis"):
        window.book.save_customer(CustomerDraft(name=name, emails=[f"{name.split()[0].lower()}@example.com"]))
    window.list_view.refresh()
    window.list_view.focus_search()
    press(qtbot, Qt.Key.Key_Return)  # opens the first customer
    window.list_view.focus_search()
    press(qtbot, Qt.Key.Key_Down)
    table = window.list_view.table
    assert QApplication.focusWidget() is table
    press(qtbot, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not table, "Tab walked into the next cell instead of leaving the list"
    assert window.pane.isAncestorOf(focus)
    assert table.currentIndex().row() == 0, "the selection did not move"


def test_ctrl_s_again_on_the_duplicate_warning_saves_anyway(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    window.book.save_customer(CustomerDraft(name="Ana Souza", phones=["202 555 0134"]))
    window.list_view.refresh()
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Ana S. (daughter)")
    window.form.phone.setFocus()
    type_text(window.form.phone, "202 555 0134")
    press(qtbot, Qt.Key.Key_S, CTRL)
    form = window.form
    assert form.banner.isVisible()
    assert window.book.customers.count() == 1
    assert form.open_other.text() == "&Open Ana Souza"
    assert form.save_anyway.text().startswith("Save &anyway")
    assert QKeySequence.mnemonic(form.save_anyway.text()).toString() == "Alt+A"
    press(qtbot, Qt.Key.Key_S, CTRL)  # again: "save anyway"
    assert window.book.customers.count() == 2
    assert window.statusBar().currentMessage() == "Added Ana S. (daughter)."


def test_ctrl_s_after_changing_the_warned_draft_checks_again(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    window.book.save_customer(CustomerDraft(name="Ana Souza", phones=["202 555 0134"], emails=["ana@example.com"]))
    window.list_view.refresh()
    press(qtbot, Qt.Key.Key_N, CTRL)
    type_text(window.form.name, "Someone")
    window.form.phone.setFocus()
    type_text(window.form.phone, "202 555 0134")
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert window.form.banner.isVisible()
    window.form.email.setFocus()
    type_text(window.form.email, "ana@example.com")  # now a second contact matches: warned about afresh
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert window.form.banner.isVisible()
    assert window.book.customers.count() == 1


def test_the_focused_default_button_shows_a_ring(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    window.setStyleSheet(STYLE_SHEET)  # the app's look, for this window only (tests share one application)
    press(qtbot, Qt.Key.Key_N, CTRL)
    button: QPushButton = window.form.save_button
    window.form.name.setFocus()
    unfocused = button.grab().toImage()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    focused = button.grab().toImage()
    assert unfocused.size() == focused.size(), "the ring must not make the button jump"
    edge = [(x, 0) for x in range(4, focused.width() - 4)] + [(0, y) for y in range(4, focused.height() - 4)]
    changed = sum(focused.pixel(x, y) != unfocused.pixel(x, y) for x, y in edge)
    assert changed > len(edge) // 2, "no visible focus ring on the primary button"


def test_f1_lists_every_shortcut_from_the_windows_actions(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    press(qtbot, Qt.Key.Key_F1)
    dialog = window.help_dialog
    assert dialog is not None
    assert dialog.isVisible()
    table = dialog.table
    shown = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}

    def native(keys: str) -> str:
        return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)

    for keys, words in (
        ("F2", "Record visit"),
        ("Ctrl+P", "Print privacy notice"),
        ("Ctrl+B", "Back up now"),
        ("Ctrl+L", "Lock the book"),
        ("Ctrl+N", "New customer"),
        ("Ctrl+F", "Find"),
        ("Ctrl+S", "Save"),
        ("F1", "Keyboard shortcuts"),
        ("Esc", "Back to the search box"),
    ):
        assert shown.get(native(keys)) == words, (keys, shown)
    assert f"{CONSENT_TOGGLE_KEYS[0]} … {CONSENT_TOGGLE_KEYS[-1]}" == "Alt+1 … Alt+9"
    assert "Alt+1 … Alt+9" in shown


def test_the_help_cannot_go_stale_a_new_action_is_listed(qtbot, unlocked_window: MainWindow) -> None:
    window = unlocked_window
    window.add_action(window.book_menu, "&Weigh the parcel…", QKeySequence("Ctrl+Shift+W"), lambda: None)
    assert (QKeySequence("Ctrl+Shift+W").toString(QKeySequence.SequenceFormat.NativeText), "Weigh the parcel") in (
        shortcut_rows(window)
    )


def test_the_counter_hint_names_only_shortcuts_that_exist(qtbot, unlocked_window: MainWindow) -> None:
    import re

    from ui.customer_pane import HINT_HTML
    from ui.help import shortcut_rows

    real = {keys for keys, _what in shortcut_rows(unlocked_window)}
    named = [k for k in re.findall(r"<b>([^<]+)</b>", HINT_HTML) if k.startswith(("Ctrl+", "F")) or k == "Esc"]
    assert {"F1", "F2", "Ctrl+P", "Ctrl+B", "Ctrl+L"} <= set(named)
    for keys in named:
        assert QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) in real, keys
