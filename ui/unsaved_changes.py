"""Nothing typed is lost silently: Save / Discard / Cancel before the customer form's changes would be dropped,
and, when idle auto-lock cannot ask, the draft sealed in the book and offered back after the next unlock.

The window routes every way of leaving the form (Esc, Ctrl+L, opening another customer, Ctrl+N, closing) through
`UnsavedChanges.then(action, doing)`; it runs `action` at once when nothing is unsaved. The prompt is a
QMessageBox opened window-modal (not exec()), so a lock while it is up simply closes it: that counts as Cancel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from core.customers.drafts import DraftKeeper, UnsavedDraft
from core.customers.store import CustomerDraft
from core.errors import CounterpartError

if TYPE_CHECKING:
    from core.book import CustomerBook
    from ui.window_host import WindowHost

log = logging.getLogger(__name__)


def unsaved_prompt(parent: QWidget, headline: str, question: str) -> QMessageBox:
    """Save (default: Enter) / Discard / Cancel (Esc), each with a mnemonic."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes — Counterpart", headline, parent=parent)
    box.setObjectName("unsaved_changes_prompt")
    box.setInformativeText(question)
    save = box.addButton("&Save", QMessageBox.ButtonRole.AcceptRole)
    save.setObjectName("unsaved_save")
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("unsaved_discard")
    cancel = box.addButton("&Cancel", QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName("unsaved_cancel")
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    return box


class UnsavedChanges(QObject):
    """Guards the window's customer form."""

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window)
        self._window = window
        self._form = window.pane.form
        self._parent: QWidget = window
        self.prompt: QMessageBox | None = None

    def _is_editing(self) -> bool:
        """The form is the page on screen of an open book (behind the hint page it holds nothing to lose)."""
        return self._window.book.is_unlocked and self._window.pane.showing_detail

    @property
    def pending(self) -> bool:
        """Changes that leaving the form now would lose."""
        return self._is_editing() and self._form.has_unsaved_changes()

    @property
    def asking(self) -> bool:
        return self.prompt is not None

    def then(self, action: Callable[[], object], doing: str) -> None:
        """Run `action` now, or once the person has saved or discarded; Cancel (or a failed save) runs nothing.

        `doing` finishes the question "Save them before you …?" ("lock the book")."""
        if not self.pending:
            action()
            return
        if self.prompt is not None:  # already asking (Esc pressed twice): the open question stands
            return
        existing = self._form.existing
        if existing is None:
            headline = "This new customer is not saved yet."
        else:
            headline = f"You have unsaved changes to {existing.name}."
        box = unsaved_prompt(self._parent, headline, f"Save them before you {doing}?")
        box.finished.connect(lambda _result: self._answered(box, action))
        self.prompt = box
        box.open()

    def _answered(self, box: QMessageBox, action: Callable[[], object]) -> None:
        self.prompt = None
        self._parent.activateWindow()  # the keyboard goes back to the window, whatever the window manager does
        clicked: QAbstractButton | None = box.clickedButton()
        box.deleteLater()  # it names the customer
        choice = clicked.objectName() if clicked is not None else ""
        if choice == "unsaved_save":
            self._form.save()
            if self.pending:  # refused (a field, a duplicate): the message is beside the field; stay
                return
            action()
        elif choice == "unsaved_discard":
            self._form.discard_changes()
            action()
        elif self._is_editing():  # Cancel, Esc, or closed by a lock (then the form is already empty)
            self._form.name.setFocus()

    # --- idle auto-lock: keep the draft sealed, offer it back ---------------------------------------------------

    def keep_draft(self, book: CustomerBook) -> bool:
        """Before an unasked lock: seal what is unsaved in the book (encrypted with its data key)."""
        if not self.pending:
            return False
        existing = self._form.existing
        try:
            DraftKeeper(book.settings).seal(self._form.draft(), existing.id if existing is not None else "")
        except CounterpartError as error:  # e.g. a full disk: lock anyway, a locked book matters more
            log.error("the unsaved draft could not be kept: %s", type(error).__name__)
            return False
        return True


def kept_draft(book: CustomerBook) -> UnsavedDraft | None:
    """The draft sealed at the last auto-lock, or None. One that does not open is dropped (and logged)."""
    keeper = DraftKeeper(book.settings)
    try:
        return keeper.pending()
    except CounterpartError as error:
        log.error("the kept draft did not open and was dropped: %s", type(error).__name__)
        keeper.forget()
        return None


def draft_offer(parent: QWidget, kept: UnsavedDraft, customer_name: str) -> QMessageBox:
    """ "You were adding/editing … when the book locked. Restore it?" — Restore (default) / Discard."""
    if kept.is_new_customer:
        who = f"adding a new customer, “{kept.draft.name}”," if kept.draft.name.strip() else "adding a new customer"
    else:
        who = f"editing {customer_name}"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Unsaved changes kept — Counterpart",
        f"You were {who} when the book locked.",
        parent=parent,
    )
    box.setObjectName("kept_draft_offer")
    box.setInformativeText("What was typed was kept, encrypted. Restore it?")
    restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
    restore.setObjectName("kept_draft_restore")
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("kept_draft_discard")
    box.setDefaultButton(restore)
    return box


class DraftOffer(QObject):
    """After unlock: offer the kept draft back; delete the sealed copy once restored or discarded. Closed any
    other way (the book locked again), it stays sealed and is offered at the next unlock."""

    def __init__(
        self, window: WindowHost, open_customer: Callable[[str], bool], start_new: Callable[[CustomerDraft], None]
    ) -> None:
        super().__init__(window)
        self._book = window.book
        self._form = window.pane.form
        self._open_customer = open_customer  # shows their page without asking; False if gone or damaged
        self._start_new = start_new
        self._parent: QWidget = window
        self.dialog: QMessageBox | None = None

    def offer(self) -> None:
        kept = kept_draft(self._book)
        if kept is None:
            return
        name = ""
        if not kept.is_new_customer:
            try:
                customer = self._book.get_customer(kept.customer_id)
            except CounterpartError:  # damaged since: offered as a new customer below
                customer = None
            name = customer.name if customer is not None else kept.draft.name
        box = draft_offer(self._parent, kept, name)
        box.finished.connect(lambda _result: self._answered(box, kept))
        self.dialog = box
        box.open()

    def _answered(self, box: QMessageBox, kept: UnsavedDraft) -> None:
        self.dialog = None
        self._parent.activateWindow()
        clicked = box.clickedButton()
        box.deleteLater()
        choice = clicked.objectName() if clicked is not None else ""
        if not self._book.is_unlocked or choice not in ("kept_draft_restore", "kept_draft_discard"):
            return  # locked again before an answer: keep it for the next unlock
        if choice == "kept_draft_restore":
            if kept.is_new_customer or not self._open_customer(kept.customer_id):
                self._start_new(CustomerDraft(name=""))
            self._form.restore_draft(kept.draft)
            self._form.name.setFocus()
        DraftKeeper(self._book.settings).forget()
