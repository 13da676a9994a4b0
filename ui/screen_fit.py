"""The main window's first size, taken from the screen it opens on: a laptop's 1366×768 minus a taskbar must
show the whole window, status bar and the pane's right edge included."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = (1280, 760)
MINIMUM = (900, 560)
# What the window manager adds outside geometry(): title bar and borders. Unknown before the window is shown,
# so leave room for a common one (a 1366×728 work area then gives 1280×688).
FRAME = (16, 40)


def fit_to_screen(window: QWidget) -> None:
    """Resize `window` to the preferred size or the screen's available area, whichever is smaller, centred."""
    window.setMinimumSize(*MINIMUM)
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (some test platforms)
        window.resize(*PREFERRED)
        return
    area = screen.availableGeometry()
    width = max(MINIMUM[0], min(PREFERRED[0], area.width() - FRAME[0]))
    height = max(MINIMUM[1], min(PREFERRED[1], area.height() - FRAME[1]))
    window.resize(width, height)
    window.move(
        area.x() + max(0, (area.width() - width - FRAME[0]) // 2),
        area.y() + max(0, (area.height() - height - FRAME[1]) // 2),
    )
