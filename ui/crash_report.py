"""Unexpected errors: a dialog with a copyable report that names code locations, never personal data."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)


def build_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """Exception type and the stack as file:line function — no message text, no local values, which could
    hold a customer's name."""
    import platform  # here, not at start-up: 3 ms at every start for a report that is rarely written

    frames = traceback.extract_tb(tb)
    lines = [
        "Counterpart error report",
        f"Python {platform.python_version()} · PySide6 {pyside_version} · {platform.system()} {platform.release()}",
        f"Error type: {exc_type.__module__}.{exc_type.__qualname__}",
        "Where:",
    ]
    for frame in frames[-12:]:
        filename = frame.filename.replace("\\", "/").rsplit("/", 2)
        lines.append(f"  {'/'.join(filename[-2:])}:{frame.lineno} in {frame.name}")
    return "\n".join(lines)


def show_unexpected_error(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    report = build_report(exc_type, exc, tb)
    log.error("unexpected error\n%s", report)
    if QApplication.instance() is None:
        sys.stderr.write(report + "\n")
        return
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        "Counterpart hit an unexpected problem. Your saved customers are safe. If it happens again, "
        "send the report below to whoever looks after the app (it contains no customer data).",
    )
    box.setDetailedText(report)
    box.exec()


def install() -> None:
    sys.excepthook = show_unexpected_error
