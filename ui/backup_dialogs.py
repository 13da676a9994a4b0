"""Back up now (Ctrl+B) and Restore from backup: both run in the background helper with progress."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.backup import BackupResult, OpenedBackup, open_backup
from core.backup.restore_warning import BookFigures, backup_made_at, current_book_figures, restore_warning
from core.backup.schedule import remember_backup
from core.errors import CounterpartError
from core.keys.passphrase_policy import MIN_LENGTH, check_passphrase
from core.text.moments import local_moment
from core.text.plural import count_of
from ui.session import Session
from ui.tasks import TaskContext, TaskHandle
from ui.theme import label


def error_message(error: BaseException) -> str:
    if isinstance(error, CounterpartError):
        return str(error)
    return f"Something unexpected went wrong ({type(error).__name__}). Nothing was changed."


def _folder_row(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class BackupDialog(QDialog):
    """Choose a folder (remembered), optionally a passphrase copy, then write and verify one backup."""

    backup_finished = Signal(str)  # the status-bar sentence

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Back up now — Counterpart")
        self.setMinimumWidth(620)
        preferences = session.book.preferences()
        self.folder = QLineEdit(preferences.backup_folder)
        self.folder.setObjectName("backup_folder")
        self.folder.setPlaceholderText("A USB stick or a synced folder")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_folder)
        self.with_copy = QCheckBox("Also make a passphrase copy, to hand to someone")
        self.with_copy.setToolTip("A second file that opens with a passphrase instead of the backup key.")
        self.copy_passphrase = QLineEdit()
        self.copy_passphrase.setObjectName("copy_passphrase")
        self.copy_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.copy_passphrase.setPlaceholderText(f"At least {MIN_LENGTH} characters; several words work well")
        self.copy_passphrase.setEnabled(False)
        self.with_copy.toggled.connect(self.copy_passphrase.setEnabled)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = label("The backup is encrypted to the shop's backup key (on the recovery sheet).", "muted")
        self.status.setObjectName("backup_status")
        self.start_button = QPushButton("Back up")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._cancel)
        form = QFormLayout()
        form.addRow("Folder", _folder_row(self.folder, browse))
        form.addRow("", self.with_copy)
        form.addRow("Copy passphrase", self.copy_passphrase)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(label("Back up the customer book", "heading"))
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self._handle: TaskHandle | None = None
        self.last_result: BackupResult | None = None

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Where should backups go?", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _show(self, text: str, role: str) -> None:
        self.status.setText(text)
        self.status.setProperty("role", role)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def start(self) -> None:
        folder_text = self.folder.text().strip()
        if not folder_text:
            self._show("Choose a folder for the backup first.", "error")
            self.folder.setFocus()
            return
        passphrase = self.copy_passphrase.text() if self.with_copy.isChecked() else None
        if passphrase is not None:
            # The copy opens the whole book for whoever holds it: the owner's passphrase rules apply to it too.
            verdict = check_passphrase(passphrase, [self.session.book.shop.name])
            if not verdict.ok:
                self._show(f"The copy's passphrase: {verdict.message}", "error")
                self.copy_passphrase.setFocus()
                return
        self.copy_passphrase.clear()
        destination = Path(folder_text).expanduser()
        book = self.session.book
        self.start_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()

        def work(context: TaskContext) -> BackupResult:
            return book.back_up(destination, passphrase, progress=context.progress, cancelled=lambda: context.cancelled)

        self._handle = self.session.tasks.run(work, self._succeeded, self._failed, self._progress)

    def _progress(self, message: str, fraction: float) -> None:
        self._show(message, "muted")
        self.progress.setValue(int(fraction * 100))

    def _succeeded(self, result: object) -> None:
        assert isinstance(result, BackupResult)
        self.last_result = result
        self._handle = None
        book = self.session.book
        preferences = book.preferences()
        remember_backup(preferences, result)  # a manual backup: recorded, never rotates anything away
        book.save_preferences(preferences)
        counts = count_of(result.manifest.customers, "customer")
        extra = f" and a passphrase copy ({result.passphrase_copy.name})" if result.passphrase_copy else ""
        self.progress.hide()
        self._show(f"Backup verified: {result.path.name}{extra}, {counts}.", "success")
        self.start_button.setEnabled(True)
        self.cancel_button.setText("Close")
        self.backup_finished.emit(f"Backup verified: {result.path.name}")

    def _failed(self, error: BaseException) -> None:
        self._handle = None
        self.progress.hide()
        self.start_button.setEnabled(True)
        self._show(error_message(error), "error")

    def _cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._show("Cancelling…", "muted")
            return
        self.reject()


class RestoreDialog(QDialog):
    """Choose a backup → unlock it with the backup key or a copy's passphrase → preview → restore."""

    restored = Signal(str)  # a sentence for the lock screen

    def __init__(self, session: Session, parent: QWidget | None = None, country: str | None = None) -> None:
        """`country`: the shop's, for dates, when the caller knows it from the last unlock (the book may be
        locked now, its basics encrypted)."""
        super().__init__(parent)
        self.session = session
        self._known_country = country
        self.setProperty("usable_while_locked", True)  # restoring locks the book first; this dialog stays
        self.setWindowTitle("Restore from backup — Counterpart")
        self.setMinimumWidth(640)
        self.file = QLineEdit()
        self.file.setObjectName("backup_file")
        self.file.setPlaceholderText("The .age backup file")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_file)
        self.secret = QLineEdit()
        self.secret.setObjectName("backup_secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        using_current = session.book.is_unlocked
        self.secret.setPlaceholderText(
            "Leave empty to use this book's own backup key"
            if using_current
            else "AGE-SECRET-KEY-1… from the recovery sheet, or a copy's passphrase"
        )
        self.preview = QLabel("")
        self.preview.setObjectName("backup_preview")
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet(
            "QLabel#backup_preview { background: #ffffff; border: 1px solid #d9dfdd;"
            " border-radius: 8px; padding: 10px; }"
        )
        self.preview.hide()
        # What restoring would replace, said before the Restore button is enabled: see core restore_warning.
        self.warning = QLabel("")
        self.warning.setObjectName("restore_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "QLabel#restore_warning { background: #fff4e5; border: 1px solid #f0c36d;"
            " border-radius: 6px; padding: 10px; color: #1f2a2c; }"
        )
        self.warning.hide()
        self.status = label(
            "Restoring replaces the customer book on this computer. The current one is kept as a safety copy.",
            "muted",
        )
        self.status.setObjectName("restore_status")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.open_button = QPushButton("Open the backup")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_file)
        self.restore_button = QPushButton("Restore this backup")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        close = QPushButton("Cancel")
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Backup file", _folder_row(self.file, browse))
        form.addRow("Key or passphrase", self.secret)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(label("Restore the customer book from a backup", "heading"))
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.warning)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.opened: OpenedBackup | None = None
        self._country: str | None = None

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Choose a backup", "", "Counterpart backups (*.age)")
        if chosen:
            self.file.setText(chosen)

    def _show(self, text: str, role: str) -> None:
        self.status.setText(text)
        self.status.setProperty("role", role)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def open_file(self) -> None:
        path_text = self.file.text().strip()
        if not path_text:
            self._show("Choose the backup file first.", "error")
            self.file.setFocus()
            return
        secret = self.secret.text().strip()
        book = self.session.book
        if not secret and book.is_unlocked:
            secret = book.keys.backup_identity
        if not secret:
            self._show("Type the backup key from the recovery sheet, or the copy's passphrase.", "error")
            self.secret.setFocus()
            return
        self.secret.setText("")  # not clear(), which keeps it in the undo history
        self.opened = None
        self.restore_button.setEnabled(False)
        self.warning.hide()
        self.progress.show()
        self._show("Opening and checking the backup…", "muted")
        path = Path(path_text).expanduser()
        # Read here, on the GUI thread: the shop's country is only known while the book is unlocked.
        self._country = book.shop.country if book.is_unlocked else self._known_country
        database = book.folder.database

        def work(_context: TaskContext) -> tuple[OpenedBackup, BookFigures | None]:
            # Both are slow on a large book: decrypting the backup, scanning the current book's time stamps.
            return open_backup(path, secret), current_book_figures(database)

        self.session.tasks.run(work, self._opened, self._failed)

    def _opened(self, result: object) -> None:
        assert isinstance(result, tuple)
        opened, current = result
        assert isinstance(opened, OpenedBackup)
        self.opened = opened
        self.progress.hide()
        manifest = opened.manifest
        self.warning.setText(restore_warning(current, manifest, self._country))
        self.warning.show()
        made_at = backup_made_at(manifest)
        made = local_moment(made_at, self._country) if made_at is not None else manifest.created_at
        self.preview.show()
        self.preview.setText(
            f"<b>{html.escape(manifest.shop_name, quote=False)}</b><br>"
            f"Made {made} by Counterpart {manifest.app_version}<br>"
            f"{count_of(manifest.customers, 'customer')}"
        )
        self._show(
            "The backup is complete and undamaged. After restoring, unlock with the passphrase that was in use "
            "when this backup was made (or the recovery key from that time).",
            "muted",
        )
        self.restore_button.setEnabled(True)
        self.restore_button.setFocus()
        self.adjustSize()  # the preview appeared: make room so no line is clipped

    def _failed(self, error: BaseException) -> None:
        self.progress.hide()
        self._show(error_message(error), "error")

    def restore(self) -> None:
        opened = self.opened
        if opened is None:
            return
        self.session.lock()
        book = self.session.book
        self.restore_button.setEnabled(False)
        self.progress.show()
        self._show("Restoring…", "muted")
        self.session.tasks.run(lambda _context: book.restore(opened), self._restored, self._failed)

    def _restored(self, safety: object) -> None:
        self.progress.hide()
        self.opened = None
        kept = " The previous book was kept as a safety copy." if safety else ""
        message = f"Backup restored.{kept} Unlock with the passphrase in use when the backup was made."
        self.restored.emit(message)
        self.accept()
