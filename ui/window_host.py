"""What a controller may use of the main window: its menus, views and a few navigation calls.

Controllers (backups, notices, questions and consent) are given a `WindowHost`, never the `MainWindow` class,
so the window can import its controllers without the controllers importing the window back. Everything a
controller needs from the window is declared here, which keeps that surface small and visible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

if TYPE_CHECKING:
    from core.book import CustomerBook
    from core.customers.store import Customer
    from ui.customer_list_view import CustomerListView
    from ui.customer_pane import CustomerPane
    from ui.lock_view import LockView
    from ui.session import Session
    from ui.settings_dialog import SettingsDialog


class AsksAboutUnsaved(Protocol):
    """What controllers need of ui/unsaved_changes.UnsavedChanges (named here: that module imports this one)."""

    def then(self, action: Callable[[], object], doing: str) -> None: ...


class WindowHost(QMainWindow):
    """The main window as its controllers see it. `MainWindow` fills in every member."""

    book: CustomerBook
    session: Session
    customers_menu: QMenu
    book_menu: QMenu
    lock_view: LockView
    list_view: CustomerListView
    pane: CustomerPane
    unsaved: AsksAboutUnsaved  # ui/unsaved_changes.py: Save / Discard / Cancel before a form's changes are dropped
    unlocked_actions: list[QAction]
    ledger_problems: list[str] | None  # the last background record check's findings (ui/record_check.py)
    ledger_warning: QWidget | None
    # Actions made before the book's modules are loaded keep their shortcut here until attach (see add_action).
    _deferred_shortcuts: list[tuple[QAction, QKeySequence | QKeySequence.StandardKey]]

    @property
    def attached(self) -> bool:
        return hasattr(self, "session")

    def add_action(
        self,
        menu: QMenu,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
        slot: Callable[[], object],
    ) -> QAction:
        """A menu entry calling `slot`; its shortcut is set now, or at attach if the book is still loading."""
        action = QAction(text, self)
        if shortcut is not None:
            # Before attach the shortcuts wait: the first setShortcut builds PySide6's whole Qt.* enum
            # namespace (25 ms), and every action is disabled until the book is open anyway.
            if self.attached:
                action.setShortcut(shortcut)
            else:
                self._deferred_shortcuts.append((action, shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def show_locked(self, message: str = "") -> None:
        raise NotImplementedError  # MainWindow

    def open_settings(self, page: str = "") -> SettingsDialog | None:
        """The dialog it opened (its `settings_saved` says when the owner saved), or None if none opened."""
        raise NotImplementedError  # MainWindow

    def open_customer(self, customer_id: str) -> None:
        raise NotImplementedError  # MainWindow

    def customer_on_screen(self) -> Customer | None:
        """The saved customer whose page is open, or None (a new, unsaved customer, or the search page)."""
        raise NotImplementedError  # MainWindow
