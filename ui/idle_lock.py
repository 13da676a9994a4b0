"""Idle auto-lock: any key press or mouse action restarts a timer; when it runs out, the book locks.

The same application-wide filter sees Ctrl+L in every window: Qt does not deliver the main window's
shortcuts while a modal dialog (a customer's history, a notice preview) is in front, and locking must
work from anywhere."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits `idle_timeout` after `minutes` without activity anywhere in the application, and
    `lock_pressed` for Ctrl+L inside a dialog while watching."""

    idle_timeout = Signal()
    lock_pressed = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle_timeout)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        if kind == QEvent.Type.KeyPress and self._timer.isActive() and _is_lock_key(event):
            window = watched.window() if hasattr(watched, "window") else None
            if isinstance(window, QDialog):
                self.lock_pressed.emit()
                return True
        return False


def _is_lock_key(event: QEvent) -> bool:
    return (
        isinstance(event, QKeyEvent)
        and event.key() == Qt.Key.Key_L
        and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.ControlModifier
    )
