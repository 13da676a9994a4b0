"""The main window's first size, taken from the screen it opens on (a laptop's 1366×768 minus a taskbar must
show the whole window, status bar included), and a customer page that scrolls down instead of being cut at the
right edge."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QScrollArea, QWidget

PREFERRED = (1280, 760)
MINIMUM = (900, 560)
# What the window manager adds outside geometry(): title bar and borders. Unknown before the window is shown,
# so leave room for a common one (a 1366×728 work area then gives 1280×688).
FRAME = (16, 40)


def fitted_size(available_width: int, available_height: int) -> tuple[int, int]:
    """The preferred size, or the screen's available area less the window frame, whichever is smaller."""
    width = max(MINIMUM[0], min(PREFERRED[0], available_width - FRAME[0]))
    height = max(MINIMUM[1], min(PREFERRED[1], available_height - FRAME[1]))
    return width, height


def fit_to_screen(window: QWidget) -> None:
    """Size `window` by `fitted_size` for the screen it opens on, centred in that screen's available area."""
    window.setMinimumSize(*MINIMUM)
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (some test platforms)
        window.resize(*PREFERRED)
        return
    area = screen.availableGeometry()
    width, height = fitted_size(area.width(), area.height())
    window.resize(width, height)
    left = area.x() + max(0, (area.width() - width - FRAME[0]) // 2)
    window.move(left, area.y() + max(0, (area.height() - height - FRAME[1]) // 2))


class _WidthKeeper(QObject):
    """Re-checks the scroll area's minimum width whenever its content's layout changes (a section shown, a
    longer button text): sections that do not wrap must never be cut at the right edge."""

    def __init__(self, scroll: QScrollArea) -> None:
        super().__init__(scroll)
        self._scroll = scroll

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.update()
        return False

    def update(self) -> None:
        content = self._scroll.widget()
        if content is None:
            return
        frame = 2 * self._scroll.frameWidth()
        needed = content.minimumSizeHint().width() + self._scroll.verticalScrollBar().sizeHint().width() + frame
        if self._scroll.minimumWidth() != needed:
            self._scroll.setMinimumWidth(needed)


def never_clip_sideways(scroll: QScrollArea) -> None:
    """A scroll area that scrolls only vertically is kept at least as wide as its content needs, so the
    splitter or the window gives it room instead of cutting off its right edge ("Save (Ctrl+")."""
    keeper = _WidthKeeper(scroll)
    widget = scroll.widget()
    if widget is not None:
        widget.installEventFilter(keeper)
    keeper.update()
