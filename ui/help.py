"""F1: every keyboard shortcut, read from the window's own actions and shortcuts so the list cannot go stale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.theme import label
from ui.window_host import WindowHost

# Alt+1 … Alt+9 tick or untick the customer's consent boxes, in the order shown (bound by the consent panel).
CONSENT_TOGGLE_KEYS: tuple[str, ...] = tuple(f"Alt+{n}" for n in range(1, 10))
CONSENT_TOGGLE_HELP = "Tick or untick the customer's consent boxes, in the order shown"

# Keys that are not actions: the search box and list behave this way by design (ui/customer_list_view.py).
FIXED_ROWS: tuple[tuple[str, str], ...] = (
    ("Type", "Find a customer by name, or by the phone or e-mail you keep for them"),
    ("↓ / Enter", "Move into the list / open the customer"),
    ("Tab / Shift+Tab", "Move between the list, the customer's page and the search box"),
)


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _what(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def shortcut_rows(window: WindowHost) -> list[tuple[str, str]]:
    """(keys, what it does) for every action with a shortcut, in menu order, then the window's other shortcuts."""
    rows: list[tuple[str, str]] = []
    deferred = {id(action): QKeySequence(keys) for action, keys in window._deferred_shortcuts}
    seen: set[int] = set()
    actions: list[QAction] = []
    for menu_action in window.menuBar().actions():  # menu order first: what people see in the menus
        menu = menu_action.menu()
        if isinstance(menu, QMenu):
            actions += [a for a in menu.actions() if not a.isSeparator()]
    actions += window.findChildren(QAction)  # then any action outside the menus
    for action in actions:
        if id(action) in seen:
            continue
        seen.add(id(action))
        sequences = action.shortcuts() or ([deferred[id(action)]] if id(action) in deferred else [])
        keys = ", ".join(_keys(s) for s in sequences if not s.isEmpty())
        if keys and action.text():
            rows.append((keys, _what(action.text())))
    for shortcut in window.findChildren(QShortcut):
        if shortcut.whatsThis() and not shortcut.key().isEmpty():
            rows.append((_keys(shortcut.key()), shortcut.whatsThis()))
    rows.append((f"{CONSENT_TOGGLE_KEYS[0]} … {CONSENT_TOGGLE_KEYS[-1]}", CONSENT_TOGGLE_HELP))
    rows += FIXED_ROWS
    return rows


class ShortcutHelp(QDialog):
    """A two-column table of `shortcut_rows`; nothing personal, so it may stay open over the lock screen."""

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window)
        self.setObjectName("shortcut_help")
        self.setWindowTitle("Keyboard shortcuts — Counterpart")
        self.setProperty("usable_while_locked", True)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcut_table")
        self.table.setHorizontalHeaderLabels(["Keys", "What it does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setShowGrid(False)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label("Everything works from the keyboard. Menus open with Alt and the underlined letter.", "muted")
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        # Tall enough to show every row without scrolling on a 1366×768 screen (16 rows today).
        self.resize(680, min(660, 120 + 28 * len(rows)))
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setFocus(Qt.FocusReason.OtherFocusReason)  # Enter or Esc closes it at once


def show_shortcuts(window: WindowHost) -> ShortcutHelp:
    """F1: open the list without blocking the event loop; the window keeps it, to close it at lock."""
    dialog = ShortcutHelp(window)
    dialog.open()
    return dialog
