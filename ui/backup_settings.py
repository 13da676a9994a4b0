"""Settings → Backups: the folder, automatic backups, rotation and the reminder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.book import CustomerBook
from ui.settings_dialog import SettingsPage, heading
from ui.theme import label


def _spin(low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    return box


class BackupSettingsPage(SettingsPage):
    key = "backups"
    title = "Backups"

    def __init__(self, book: CustomerBook, parent: QWidget | None = None) -> None:
        super().__init__(book, parent)
        self.folder = QLineEdit()
        self.folder.setObjectName("settings_backup_folder")
        self.folder.setPlaceholderText("A USB stick or a synced folder")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.on_close = QCheckBox("Back up when Counterpart closes")
        self.daily = QCheckBox("Back up once a day (when the book is opened)")
        self.keep_daily = _spin(1, 60, " daily")
        self.keep_weekly = _spin(0, 52, " weekly")
        self.keep_monthly = _spin(0, 120, " monthly")
        keep = QHBoxLayout()
        for box in (self.keep_daily, self.keep_weekly, self.keep_monthly):
            keep.addWidget(box)
        keep.addStretch(1)
        # The noun follows the number ("1 day", "7 days"); a fixed suffix said "1 days". It starts at 1: " day".
        self.remind = _spin(1, 365, " day")
        self.remind.valueChanged.connect(lambda days: self.remind.setSuffix(" day" if days == 1 else " days"))
        form = QFormLayout()
        form.addRow("Backup folder", row)
        form.addRow("", self.on_close)
        form.addRow("", self.daily)
        form.addRow("Keep", keep)
        form.addRow("Remind me after", self.remind)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Backups"))
        layout.addWidget(
            label(
                "Backups are encrypted to the shop's backup key, which is printed on the recovery sheet. Keep "
                "at least one backup away from this computer. Older automatic backups in this folder are "
                "removed beyond the numbers kept; the newest is never removed. Backups made with Back up now (Ctrl+B) "
                "are never removed.",
                "muted",
            )
        )
        layout.addLayout(form)
        layout.addStretch(1)

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Where should backups go?", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def load(self) -> None:
        preferences = self.book.preferences()
        self.folder.setText(preferences.backup_folder)
        self.on_close.setChecked(preferences.backup_on_close)
        self.daily.setChecked(preferences.backup_daily)
        self.keep_daily.setValue(preferences.keep_daily)
        self.keep_weekly.setValue(preferences.keep_weekly)
        self.keep_monthly.setValue(preferences.keep_monthly)
        self.remind.setValue(preferences.remind_after_days)

    def save(self) -> str | None:
        folder = self.folder.text().strip()
        if (self.on_close.isChecked() or self.daily.isChecked()) and not folder:
            return "Choose a backup folder for automatic backups."
        if folder and not Path(folder).expanduser().is_dir():
            return f"The folder {folder} does not exist. Plug in the drive or choose another folder."
        preferences = self.book.preferences()
        preferences.backup_folder = str(Path(folder).expanduser()) if folder else ""
        preferences.backup_on_close = self.on_close.isChecked()
        preferences.backup_daily = self.daily.isChecked()
        preferences.keep_daily = self.keep_daily.value()
        preferences.keep_weekly = self.keep_weekly.value()
        preferences.keep_monthly = self.keep_monthly.value()
        preferences.remind_after_days = self.remind.value()
        self.book.save_preferences(preferences)
        return None
