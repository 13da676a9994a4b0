"""Look and feel: Fusion style, a calm palette, and the few style rules the views share."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICON_PATH = RESOURCES / "icons" / "counterpart.svg"

ACCENT = "#2f6f62"
ERROR = "#b3261e"
MUTED = "#5f6b6d"
# The keyboard focus on the green default button: amber on green reads at a glance; a darker green would barely show.
FOCUS_RING = "#f2b134"
CHEVRON = (RESOURCES / "icons" / "chevron-down.svg").as_posix()

STYLE_SHEET = f"""
QLabel[role="title"] {{ font-size: 20pt; font-weight: 600; color: #1f2a2c; }}
QLabel[role="heading"] {{ font-size: 13pt; font-weight: 600; color: #1f2a2c; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="error"] {{ color: {ERROR}; }}
QLabel[role="success"] {{ color: #1e7a4f; font-weight: 600; }}
QLabel[role="hint"] {{ color: {MUTED}; font-size: 11pt; }}
QFrame[role="card"] {{ background: #ffffff; border: 1px solid #d9dfdd; border-radius: 8px; }}
QFrame[role="banner"] {{ background: #fff4e5; border: 1px solid #f0c36d; border-radius: 6px; }}
QLineEdit, QPlainTextEdit, QComboBox {{ padding: 5px; border: 1px solid #c4cccb; border-radius: 4px;
    background: #ffffff; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus {{ border: 1px solid {ACCENT}; }}
QComboBox::drop-down {{ border: none; width: 24px; }}
QComboBox::down-arrow {{ image: url("{CHEVRON}"); width: 12px; height: 8px; }}
QLineEdit:disabled, QComboBox:disabled {{ background: #f2f5f4; color: #9aa3a2; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{ border: 1px solid {ERROR}; background: #fdf3f2; }}
QLineEdit#search {{ font-size: 13pt; padding: 8px; }}
QSpinBox {{ padding: 3px; }}  /* as tall as the line edits beside it in a form */
QPushButton {{ padding: 6px 14px; border-radius: 4px; border: 1px solid #b9c3c1; background: #f7f9f8; }}
QPushButton:default, QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border: 1px solid {ACCENT}; }}
QPushButton:disabled {{ color: #9aa3a2; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; padding: 5px 13px; }}
QPushButton:default:focus, QPushButton[primary="true"]:focus {{ border: 2px solid {FOCUS_RING}; }}
QPushButton[link="true"]:focus {{ border: none; border-bottom: 2px solid {ACCENT}; padding: 4px 0px 2px 0px; }}
QPushButton[link="true"] {{ border: none; background: transparent; color: {ACCENT}; padding: 4px 0px;
    text-decoration: underline; }}
QTableView {{ gridline-color: #eef1f0; selection-background-color: #d7ebe6; selection-color: #1f2a2c;
    alternate-background-color: #f7f9f8; }}
QHeaderView::section {{ padding: 6px; border: none; border-bottom: 1px solid #d9dfdd; background: #f2f5f4;
    font-weight: 600; }}
QStatusBar {{ color: {MUTED}; }}
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#eef2f1"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.Button, QColor("#f7f9f8"))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 10))
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
    app.setWindowIcon(app_icon())


def app_icon() -> QIcon:
    return QIcon(str(ICON_PATH))


def label(text: str, role: str = "", parent: QWidget | None = None, wrap: bool = True) -> QLabel:
    """A QLabel with a style role ("title", "heading", "muted", "error", "hint")."""
    widget = QLabel(text, parent)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    value = "true" if invalid else "false"
    if widget.property("invalid") == value or (not invalid and widget.property("invalid") is None):
        return  # unchanged: re-polishing is not free (the first polish costs 25 ms at start-up)
    widget.setProperty("invalid", value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
