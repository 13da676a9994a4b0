"""The Settings window: pages load from the book, save back, and a refusal keeps the dialog on that page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog, SettingsPage
from ui.settings_pages import CounterPage


def test_auto_lock_minutes_saved_from_settings(qtbot, unlocked_window: MainWindow) -> None:
    unlocked_window.settings_action.trigger()
    dialog = unlocked_window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    page = dialog.page("counter")
    assert isinstance(page, CounterPage)
    assert page.auto_lock.value() == 5
    page.auto_lock.setValue(12)
    page.staff_name.setText("  Marta   K ")
    with qtbot.waitSignal(dialog.settings_saved):
        dialog.save()
    assert unlocked_window.book.preferences().auto_lock_minutes == 12
    assert unlocked_window.book.staff_member() == "Marta K"


class _RefusingPage(SettingsPage):
    key = "refuses"
    title = "Refuses"

    def save(self) -> str | None:
        return "The shop's address is missing."


def test_a_refusing_page_keeps_the_dialog_open_on_that_page(qtbot, unlocked_window: MainWindow) -> None:
    dialog = SettingsDialog(unlocked_window.book, [CounterPage, _RefusingPage], parent=unlocked_window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.save()
    assert dialog.isVisible()
    assert dialog.stack.currentWidget() is dialog.page("refuses")
    assert "address is missing" in dialog.error.text()
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
