"""Change the passphrase: the data key is re-wrapped in the background; no record is re-encrypted."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QProgressBar, QVBoxLayout, QWidget

from core.errors import CounterpartError
from ui.passphrase_fields import PassphraseFields
from ui.session import Session
from ui.tasks import TaskContext
from ui.theme import label


class ChangePassphraseDialog(QDialog):
    """Non-blocking; emits `passphrase_changed` when the new passphrase is in force."""

    passphrase_changed = Signal()
    rotation_wanted = Signal()  # "also replace the book's key" was ticked

    def __init__(self, session: Session, forced: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.forced = forced
        self.setWindowTitle("Choose a new passphrase" if forced else "Change passphrase")
        self.setMinimumWidth(560)
        intro = label(
            "You opened the book with the recovery key. Choose a new passphrase now; the recovery key keeps "
            "working as before."
            if forced
            else "The new passphrase replaces the old one at once. Your recovery key keeps working. Old copies "
            "of the book (backups) still open with the old passphrase: tick below to replace the book's key too.",
            "muted",
        )
        shop_name = session.book.shop.name if session.book.is_unlocked else ""
        self.fields = PassphraseFields(lambda: [shop_name], self)
        self.also_rotate = QCheckBox("Also replace the book's key (if someone may have seen the old passphrase)", self)
        self.also_rotate.setToolTip(
            "Old copies of the book with the old passphrase then open nothing written from now on. You will get "
            "a new recovery key to print."
        )
        self.error = label("", "error")
        self.error.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        buttons = QDialogButtonBox.StandardButton.Ok
        if not forced:
            buttons |= QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(buttons, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Change passphrase")
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self._change)
        self.buttons.rejected.connect(self.reject)
        self.fields.validity_changed.connect(self.ok_button.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.fields)
        layout.addWidget(self.also_rotate)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    def reject(self) -> None:
        if not self.forced:
            self.fields.clear()
            super().reject()

    def _change(self) -> None:
        if not self.fields.ok:
            return
        passphrase = self.fields.value()
        self.fields.clear()
        self.fields.setEnabled(False)
        self.ok_button.setEnabled(False)
        self.progress.show()
        book, kdf_provider = self.session.book, self.session.kdf_provider

        def work(_context: TaskContext) -> None:
            book.change_passphrase(passphrase, kdf_provider())

        self.session.tasks.run(work, self._done, self._failed)

    def _done(self, _result: object) -> None:
        self.progress.hide()
        self.passphrase_changed.emit()
        self.accept()
        if self.also_rotate.isChecked():
            self.rotation_wanted.emit()

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.fields.setEnabled(True)
        message = (
            str(error) if isinstance(error, CounterpartError) else f"Could not change it ({type(error).__name__})."
        )
        self.error.setText(message)
        self.error.show()
