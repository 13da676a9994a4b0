"""Replacing the book's key (Book → Replace the book's key…) and moving records to it in the background.

The dialog asks for the passphrase, makes the new key (slow: key derivation) on the background helper, then
shows the new recovery key once and offers the new recovery sheet. The records move to the new key afterwards,
a batch at a time, with the progress in the status bar; locking or quitting stops the move and the next unlock
resumes it (core/storage/reseal.py), so it never keeps the counter waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import CounterpartError
from core.text.plural import count_of
from ui.printing import NO_PRINTER, SYSTEM_PRINTERS, Printers
from ui.sheet_printing import print_sheet
from ui.tasks import TaskContext
from ui.theme import label

if TYPE_CHECKING:
    from core.keys.rotation import Rotated
    from ui.session import Session
    from ui.window_host import WindowHost

EXPLANATION = (
    "Counterpart makes a new key for this book and moves every record to it. From then on, old copies of the "
    "book (backups, safety copies) together with the old passphrase, the old recovery key or a remembered "
    "computer open nothing written afterwards. Use it when someone may know the passphrase, or a copy of the "
    "book went missing.\n\nYou get a new recovery key and a new backup key: print the new recovery sheet. "
    "Backups made before today still need the backup key on the old sheet, so keep that one too."
)


class KeyRotationDialog(QDialog):
    """Emits `rotated` once the new key is in force (records then move in the background)."""

    rotated = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None, printers: Printers = SYSTEM_PRINTERS) -> None:
        super().__init__(parent)
        self.session = session
        self.printers = printers  # injectable: tests simulate no printer, or one
        self.rotated_keys: Rotated | None = None
        self.setWindowTitle("Replace the book's key")
        self.setMinimumWidth(640)
        self.intro = label(EXPLANATION, "muted")
        self.intro.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("The book's passphrase, to confirm it is you")
        self.error = label("", "error")
        self.error.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.key_label = label("", wrap=False)
        self.key_label.setObjectName("recovery_key")  # the set-up wizard's style: large, monospaced
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(14)  # the whole key on one line in the dialog's width
        mono.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(mono)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.hide()
        self.print_button = QPushButton("&Print the new recovery sheet…", self)
        self.print_button.setObjectName("print_new_recovery_sheet")
        self.print_button.clicked.connect(self._print_sheet)
        self.sheet_button = QPushButton("Sa&ve it as PDF…", self)
        self.sheet_button.clicked.connect(self._save_sheet)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.print_button)
        sheet_row.addWidget(self.sheet_button)
        self.sheet_buttons = QWidget(self)
        self.sheet_buttons.setLayout(sheet_row)
        sheet_row.setContentsMargins(0, 0, 0, 0)
        self.sheet_buttons.hide()
        self.sheet_status = label("", "muted")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Replace the key")
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)
        self.passphrase_label = label("Passphrase", "heading")
        self.passphrase_label.setBuddy(self.passphrase)
        layout = QVBoxLayout(self)
        shown = (self.intro, self.passphrase_label, self.passphrase, self.error, self.progress, self.key_label)
        for widget in (*shown, self.sheet_buttons, self.sheet_status, self.buttons):
            layout.addWidget(widget)

    def _go(self) -> None:
        if self.rotated_keys is not None:  # second press: the key was shown; done
            self.accept()
            return
        current = self.passphrase.text()
        self.passphrase.setText("")  # not clear(): that one can be undone (Ctrl+Z) and would bring it back
        self.passphrase.setEnabled(False)
        self.ok_button.setEnabled(False)
        self.error.hide()
        self.progress.show()
        session, book = self.session, self.session.book
        keyring = session.keyring_factory() if book.preferences().remembered_device_id else None

        def work(_context: TaskContext) -> Rotated:
            return book.rotate_key(current, session.kdf_provider(), keyring=keyring)

        self.session.tasks.run(work, self._done, self._failed)

    def _done(self, result: object) -> None:
        self.progress.hide()
        self.rotated_keys = result  # type: ignore[assignment]
        assert self.rotated_keys is not None
        self.intro.setText(
            "The book has a new key. This is the new recovery key — write it down or save the sheet now; it is "
            "shown only here. The old recovery key no longer works."
        )
        self.key_label.setText(self.rotated_keys.recovery_key)
        self.passphrase.hide()
        self.passphrase_label.hide()
        for widget in (self.key_label, self.sheet_buttons):
            widget.show()
        self.print_button.setFocus()
        self.ok_button.setText("Done")
        self.ok_button.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        self.rotated.emit()

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.passphrase.setEnabled(True)
        self.ok_button.setEnabled(True)
        self.error.setText(
            str(error) if isinstance(error, CounterpartError) else f"Not replaced ({type(error).__name__})."
        )
        self.error.show()
        self.passphrase.setFocus()

    def done(self, result: int) -> None:
        """Done, Esc, the close button, a lock (which calls done()) or quitting: the new key leaves the screen and
        this object with the dialog; it was shown once."""
        self.key_label.setText("")
        self.rotated_keys = None
        super().done(result)

    def _sheet_maker(self) -> Callable[[], bytes] | None:
        result = self.rotated_keys
        if result is None:
            return None
        from core.keys.recovery_sheet import render_recovery_sheet
        from core.pdf import PaperSize

        shop = self.session.book.shop
        return lambda: render_recovery_sheet(
            shop.name, date.today(), result.recovery_key, result.backup_identity, PaperSize(shop.paper_size)
        )

    def _print_sheet(self) -> None:
        make = self._sheet_maker()
        if make is not None:
            print_sheet(self.session.tasks, self.printers, make, self.sheet_status, self._no_printer)

    def _no_printer(self) -> None:
        self.sheet_status.setText(NO_PRINTER)
        self.sheet_button.setFocus()

    def _save_sheet(self) -> None:
        make = self._sheet_maker()
        if make is None:
            return
        default = str(Path.home() / "Counterpart recovery sheet (new key).pdf")
        path, _ = QFileDialog.getSaveFileName(self, "Save the new recovery sheet", default, "PDF (*.pdf)")
        if not path:
            return

        def work(_context: TaskContext) -> str:
            Path(path).write_bytes(make())
            return path

        def done(saved: object) -> None:
            self.sheet_status.setText(f"Saved to {saved}. Print it now, then delete the file.")

        def failed(error: BaseException) -> None:
            self.sheet_status.setText(f"Could not save the sheet there: {error}")

        self.session.tasks.run(work, done, failed)


class KeyController:
    """The Book-menu action and the background move of records to the current seal version."""

    def __init__(self, window: WindowHost) -> None:
        self.window = window
        self.dialog: KeyRotationDialog | None = None
        self.moving = False
        self.action = window.add_action(window.book_menu, "Replace the book's &key and recovery key…", None, self.open)
        self.forget_action = window.add_action(window.book_menu, "&Forget this computer…", None, self.forget)
        window.unlocked_actions += [self.action, self.forget_action]
        window.session.unlocked.connect(self.resume)
        window.session.unlocked.connect(self._update_forget)

    def _update_forget(self) -> None:
        self.forget_action.setEnabled(bool(self.window.book.preferences().remembered_device_id))

    def forget(self) -> None:
        """Stop remembering the book on this computer; then offer to replace the key, since the keyring's copy of
        the secret (and any backup of the keyring) would otherwise still open today's key file."""
        session, book = self.window.session, self.window.book
        if not book.preferences().remembered_device_id:
            return
        self.forget_action.setEnabled(False)
        keyring = session.keyring_factory()

        def failed(error: BaseException) -> None:  # the keyring can hang or refuse: it runs off the GUI thread
            self._update_forget()
            shown = str(error) if isinstance(error, CounterpartError) else type(error).__name__
            self.window.statusBar().showMessage(f"This computer could not forget the book: {shown}")

        session.tasks.run(lambda _context: book.forget_this_computer(keyring), self._forgotten, failed)

    def _forgotten(self, _result: object) -> None:
        from PySide6.QtWidgets import QMessageBox

        headline = "This computer no longer remembers the book."
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Forget this computer",
            headline,  # the window title is not shown everywhere: the headline is in the box itself
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setInformativeText(
            "The passphrase is needed from now on. If this computer, or a copy of its keyring, may be in someone "
            "else's hands, also replace the book's key: together with an old backup, the remembered secret would "
            "otherwise still open the book."
        )
        replace_key = box.button(QMessageBox.StandardButton.Yes)
        replace_key.setText("Replace the key…")
        box.button(QMessageBox.StandardButton.No).setText("Not now")
        box.buttonClicked.connect(lambda clicked: self.open() if clicked is replace_key else None)
        self.forget_box = box
        box.open()

    def open(self) -> None:
        dialog = KeyRotationDialog(self.window.session, self.window)
        dialog.rotated.connect(self.resume)
        self.dialog = dialog
        dialog.open()

    def resume(self) -> None:
        """Move records still under an older seal (a rotation, or a book from before format 2) to the current one."""
        book = self.window.book
        if self.moving or not book.is_unlocked or not book.reseal_pending():
            return
        self.moving = True
        status = self.window.statusBar()

        def work(context: TaskContext) -> object:
            return book.reseal(lambda f: context.progress("", f), lambda: context.cancelled)

        def progress(_message: str, fraction: float) -> None:
            status.showMessage(f"Moving the records to the book's current key: {fraction:.0%}")

        def done(report: object) -> None:
            self.moving = False
            finished = bool(getattr(report, "finished", False))
            damaged = len(getattr(report, "damaged", []))
            if finished:
                status.showMessage("Every record is now sealed with the book's current key.", 8000)
            elif damaged:
                status.showMessage(f"{count_of(damaged, 'damaged record')} could not be moved to the new key.")

        def failed(error: BaseException) -> None:  # locked meanwhile, or a damaged record: the next unlock resumes
            self.moving = False
            status.showMessage(f"Moving the records stopped ({type(error).__name__}); it resumes at the next unlock.")

        self.window.session.tasks.run(work, done, failed, progress, counts_as_busy=False)
