"""Backups in the main window: menu actions, the status-bar line, daily and on-close backups, restore."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from core.backup import BackupResult
from core.backup.schedule import backup_status, daily_backup_due, record_backup, rotate
from ui.backup_dialogs import BackupDialog, RestoreDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow

STATUS_REFRESH_MS = 60_000


class BackupController(QObject):
    """Owns everything about backups that the window shows; the window only forwards a few events."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.book = window.book
        self.status_label = QLabel("")
        self.status_label.setObjectName("backup_status_label")
        window.statusBar().addPermanentWidget(self.status_label)
        window.book_menu.addSeparator()
        self.backup_action = window._action(window.book_menu, "&Back up now…", QKeySequence("Ctrl+B"), self.back_up)
        self.restore_action = window._action(window.book_menu, "&Restore from backup…", None, self.restore)
        window.unlocked_actions.append(self.backup_action)
        window.lock_view.restore_requested.connect(self.restore)
        self.dialog: QWidget | None = None
        self._closing = False
        self._refresh = QTimer(self)
        self._refresh.setInterval(STATUS_REFRESH_MS)
        self._refresh.timeout.connect(self.update_status)

    # --- status -------------------------------------------------------------------------------------------

    def update_status(self) -> None:
        if not self.book.is_unlocked:
            self.status_label.setText("")
            return
        status = backup_status(self.book.preferences())
        self.status_label.setText(status.text)
        self.status_label.setStyleSheet("color: #b3261e;" if status.needs_attention else "")

    def on_unlocked(self) -> None:
        self.update_status()
        self._refresh.start()
        if daily_backup_due(self.book.preferences()):
            self._automatic_backup(then_close=False)

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
        dialog = RestoreDialog(self.session, self.window)
        dialog.restored.connect(self._restored)
        self.dialog = dialog
        dialog.open()

    def _restored(self, message: str) -> None:
        self.window.setWindowTitle("Counterpart")
        self.window.show_locked()
        self.window.lock_view.prompt.setText(message)

    # --- automatic backups ----------------------------------------------------------------------------------

    @property
    def closing(self) -> bool:
        """True once a backup-on-close has run: the window then closes without asking about busy tasks."""
        return self._closing

    def intercept_close(self, event: QCloseEvent) -> bool:
        """Start a backup instead of closing when 'back up on close' is on; the window closes when it ends."""
        preferences = self.book.preferences()
        if self._closing or not self.book.is_unlocked or not preferences.backup_on_close:
            return False
        if not preferences.backup_folder:
            return False
        event.ignore()
        self._closing = True
        self._automatic_backup(then_close=True)
        return True

    def _automatic_backup(self, then_close: bool) -> None:
        book = self.book
        preferences = book.preferences()
        from pathlib import Path

        folder = Path(preferences.backup_folder)
        self.window.statusBar().showMessage("Backing up…")

        def done(result: object) -> None:
            assert isinstance(result, BackupResult)
            current = book.preferences()
            record_backup(current, result.path)
            rotate(current, result.manifest.shop_name, result.path)
            book.save_preferences(current)
            self._finished(f"Backup verified: {result.path.name}")
            if then_close:
                QTimer.singleShot(0, self.window.close)

        def failed(error: BaseException) -> None:
            self.window.statusBar().showMessage(f"Automatic backup failed: {error}", 15_000)
            self.update_status()
            if then_close:
                # Never trap the owner in the app; the reminder shows next time.
                QTimer.singleShot(0, self.window.close)

        self.session.tasks.run(lambda context: book.back_up(folder, progress=context.progress), done, failed)
