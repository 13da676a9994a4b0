"""Typing like a keyboard, including letters QTest.keyClicks cannot send (it only knows ASCII)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget | None, text: str) -> None:
    """Send one key press/release per character, with the character as the event's text."""
    target = widget or QApplication.focusWidget()
    assert target is not None, "nothing has keyboard focus"
    for char in text:
        key = Qt.Key(ord(char.upper())) if char.isascii() and char.isalnum() else Qt.Key.Key_unknown
        if char == " ":
            key = Qt.Key.Key_Space
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def type_into_focus(text: str) -> None:
    type_text(QApplication.focusWidget(), text)
