"""The window fits a 1366×768 laptop with a taskbar, and nothing is cut at 1280×720: the Save button and the
status bar are wholly inside the window, and the customer page scrolls down instead of losing its right edge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from core.customers.store import CustomerDraft
from ui.main_window import MainWindow
from ui.screen_fit import fitted_size
from ui.theme import STYLE_SHEET


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("size", [(1280, 720), (1366, 728)])
def test_save_button_and_status_bar_are_wholly_inside_the_window(qtbot, unlocked_window: MainWindow, size) -> None:
    window = unlocked_window
    window.setStyleSheet(STYLE_SHEET)  # the app's look (paddings make buttons wider), for this window only
    font = window.font()
    font.setPointSize(max(font.pointSize(), 10))  # as apply_theme does
    window.setFont(font)
    customer = window.book.save_customer(CustomerDraft(name="Ana Souza", phones=["202 555 0134"]))
    window.list_view.refresh()
    window.open_customer(customer.id)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    qtbot.wait(50)  # layouts settle in the event loop
    assert window.minimumSizeHint().height() <= 720

    inside = window.rect()
    save = window.form.save_button
    assert save.isVisible()
    assert inside.contains(rect_in(save, window)), f"Save is cut: {rect_in(save, window)} in {inside}"
    viewport = window.pane.scroll_area.viewport()
    assert viewport.rect().contains(rect_in(save, viewport)), "Save runs past the page's visible edge"
    assert save.width() >= save.sizeHint().width(), "Save's label is squeezed"

    bar = window.statusBar()
    assert bar.isVisible()
    assert inside.contains(rect_in(bar, window))
    for label in (window.count_label, window.backups.status_label):
        assert rect_in(bar, window).contains(rect_in(label, window))
        assert label.width() >= label.sizeHint().width(), f"status bar text cut: {label.text()!r}"

    content = window.pane.scroll_area.widget()
    assert content.width() <= viewport.width(), "the customer page is wider than it can show (cut on the right)"


def test_the_first_size_comes_from_the_screens_available_area() -> None:
    assert fitted_size(1366, 728) == (1280, 688)  # a laptop with a 40-pixel taskbar
    assert fitted_size(1920, 1040) == (1280, 760)
    assert fitted_size(1280, 680) == (1264, 640)
