"""Keeps the mouse wheel from changing combo boxes and spin boxes that merely sit under the pointer of a scrolling
page: a page scrolled over the consent panel once turned "How given" into "By e-mail", and the next tick was
recorded that way in the permanent ledger. An unfocused box passes the wheel on to its page, which scrolls."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget


def _scrolling_page(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


class WheelGuard(QObject):
    """An application-wide event filter: wheel events over an unfocused combo or spin box inside a scroll area go
    to the scroll area instead. A box the person has clicked or tabbed into still answers the wheel."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QComboBox | QAbstractSpinBox):
            return False
        if watched.hasFocus():
            return False
        page = _scrolling_page(watched)
        if page is None:  # not on a scrolling page (e.g. a small dialog): the wheel is expected to change it
            return False
        # Without this Qt gives the box focus on the wheel (Qt.WheelFocus), and the next tick would change it.
        if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        QApplication.sendEvent(page.viewport(), event)
        return True  # the box never sees it


def install_wheel_guard() -> WheelGuard:
    """Install the guard once for the whole application (later calls return the same one)."""
    app = QApplication.instance()
    assert app is not None, "install the wheel guard after the QApplication exists"
    guard = app.findChild(WheelGuard, "wheel_guard")  # kept on the application, so it lives and dies with it
    if guard is None:
        guard = WheelGuard(app)
        guard.setObjectName("wheel_guard")
        app.installEventFilter(guard)
    return guard
