"""Backups in the main window: menu actions, the status-bar line, daily and on-close backups, restore."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from core.backup import BackupResult
from core.backup.schedule import (
    LockedBackupKey,
    back_up_locked,
    backup_status,
    close_backup_decision,
    daily_backup_due,
    locked_backup_key,
    remember_backup,
)
from core.text.plural import count_of
from ui.backup_dialogs import BackupDialog, RestoreDialog, error_message
from ui.tasks import TaskContext

if TYPE_CHECKING:
    from ui.window_host import WindowHost

log = logging.getLogger(__name__)
STATUS_REFRESH_MS = 60_000


class BackupController(QObject):
    """Owns everything about backups that the window shows; the window only forwards a few events."""

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.book = window.book
        self.status_label = QLabel("")
        self.status_label.setObjectName("backup_status_label")
        window.statusBar().addPermanentWidget(self.status_label)
        window.book_menu.addSeparator()
        self.backup_action = window.add_action(window.book_menu, "&Back up now…", QKeySequence("Ctrl+B"), self.back_up)
        self.restore_action = window.add_action(window.book_menu, "&Restore from backup…", None, self.restore)
        window.unlocked_actions.append(self.backup_action)
        window.lock_view.restore_requested.connect(self.restore)
        self.dialog: QWidget | None = None
        self.notice: QMessageBox | None = None  # tells the owner an on-close backup failed, before closing
        self._closing = False
        # Kept from the last unlock so that closing after idle auto-lock can still back up: see LockedBackupKey.
        self._locked_key: LockedBackupKey | None = None
        self._country: str | None = None  # the shop's, remembered for dates shown while the book is locked
        self._refresh = QTimer(self)
        self._refresh.setInterval(STATUS_REFRESH_MS)
        self._refresh.timeout.connect(self.update_status)

    # --- status -------------------------------------------------------------------------------------------

    def update_status(self) -> None:
        if not self.book.is_unlocked:
            self.status_label.setText("")
            return
        self._remember_key()
        status = backup_status(self.book.preferences())
        self.status_label.setText(status.text)
        self.status_label.setStyleSheet("color: #b3261e;" if status.needs_attention else "")

    def _remember_key(self) -> None:
        self._locked_key = locked_backup_key(self.book.shop.name, self.book.keys.backup_identity)
        self._country = self.book.shop.country

    def on_unlocked(self) -> None:
        # "Backup restored…" belonged to that moment: a later lock shows the ordinary locked screen.
        self.window.lock_view.clear_notice()
        self.update_status()
        self._refresh.start()
        if daily_backup_due(self.book.preferences()):
            self._automatic_backup(then_close=False, locked=False)

    def on_locked(self) -> None:
        self._refresh.stop()
        self.status_label.setText("")

    # --- actions ------------------------------------------------------------------------------------------

    def back_up(self) -> None:
        if not self.book.is_unlocked:
            return
        dialog = BackupDialog(self.session, self.window)
        dialog.backup_finished.connect(self._finished)
        self.dialog = dialog
        dialog.open()

    def _finished(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)
        self.update_status()

    def restore(self) -> None:
        """Restore replaces the whole book: unsaved changes on a customer's page are asked about first."""
        self.window.unsaved.then(self._open_restore, "restore a backup")

    def _open_restore(self) -> None:
        dialog = RestoreDialog(self.session, self.window, self._country)
        dialog.restored.connect(self._restored)
        self.dialog = dialog
        dialog.open()

    def _restored(self, message: str) -> None:
        self._locked_key = None  # the restored book may have another shop name, country and backup key
        self._country = None
        self.window.setWindowTitle("Counterpart")
        self.window.show_locked()
        self.window.lock_view.show_notice(message)

    # --- automatic backups ----------------------------------------------------------------------------------

    @property
    def closing(self) -> bool:
        """True once a backup-on-close has run: the window then closes without asking about busy tasks."""
        return self._closing

    def intercept_close(self, event: QCloseEvent) -> bool:
        """Start a backup instead of closing when 'back up on close' is on; the window closes when it ends."""
        if self._closing:
            return False
        decision = close_backup_decision(
            self.book.preferences(), unlocked=self.book.is_unlocked, locked_key=self._locked_key
        )
        if not decision.run:
            if decision.reason:
                log.info("on-close backup skipped: %s", decision.reason)
                self.window.statusBar().showMessage(f"No backup on close: {decision.reason}")
            return False
        event.ignore()
        self._closing = True
        self._automatic_backup(then_close=True, locked=decision.locked)
        return True

    def _automatic_backup(self, then_close: bool, locked: bool) -> None:
        book = self.book
        folder = Path(book.preferences().backup_folder)
        bar = self.window.statusBar()
        bar.showMessage("Backing up…")
        key = self._locked_key
        engine, data_folder = book.engine, book.folder

        def work(context: TaskContext) -> BackupResult:
            def cancelled() -> bool:
                return context.cancelled

            if locked and key is not None:
                return back_up_locked(
                    engine=engine,
                    folder=data_folder,
                    key=key,
                    destination=folder,
                    progress=context.progress,
                    cancelled=cancelled,
                )
            return book.back_up(folder, progress=context.progress, cancelled=cancelled, automatic=True)

        def progressed(message: str, fraction: float) -> None:
            bar.showMessage(f"{message} {int(fraction * 100)}%")

        def done(result: object) -> None:
            assert isinstance(result, BackupResult)
            current = book.preferences()
            removed = remember_backup(current, result)
            book.save_preferences(current)
            rotated = f" {count_of(len(removed), 'old automatic backup')} removed by rotation." if removed else ""
            if result.decrypted:
                self._finished(f"Backup verified: {result.path.name}.{rotated}")
            else:
                self._finished(
                    f"Backup written and checked: {result.path.name} (the book was locked, so it was checked "
                    f"against what was encrypted but not decrypted back).{rotated}"
                )
            if then_close:
                QTimer.singleShot(0, self.window.close)

        def failed(error: BaseException) -> None:
            message = f"Automatic backup failed: {error_message(error)}"
            bar.showMessage(message, 15_000)
            self.update_status()
            if then_close:
                self._tell_then_close(message)

        self.session.tasks.run(work, done, failed, progressed)

    def _tell_then_close(self, message: str) -> None:
        """The window is about to disappear, so a status-bar line would go unseen: say it, then close."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Backup did not run — Counterpart",
            f"{message}\n\nCounterpart will close now. Make a backup with Ctrl+B next time the book is open.",
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("backup_on_close_failed")
        box.setProperty("usable_while_locked", True)  # nothing personal in it, and it is what closes the window
        box.finished.connect(lambda _result: QTimer.singleShot(0, self.window.close))
        self.notice = box
        box.open()
