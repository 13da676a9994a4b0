"""Which pages the Settings window shows, in order. Each feature adds its own page class here."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from core.book import CustomerBook
from ui.backup_settings import BackupSettingsPage
from ui.catalogue_settings import CatalogueFieldsPage, ConsentPurposesPage
from ui.profiling_settings import ProfilingSettingsPage
from ui.settings_dialog import SettingsPage, heading
from ui.shop_profile_settings import ShopProfilePage
from ui.theme import label


class CounterPage(SettingsPage):
    """How the counter behaves on this computer."""

    key = "counter"
    title = "Counter"

    def __init__(self, book: CustomerBook, parent: QWidget | None = None) -> None:
        super().__init__(book, parent)
        self.auto_lock = QSpinBox()
        self.auto_lock.setObjectName("auto_lock_minutes")
        self.auto_lock.setRange(1, 240)
        self.auto_lock.setSuffix(" minutes")
        self.staff_name = QLineEdit()
        self.staff_name.setObjectName("staff_name")
        self.staff_name.setMaxLength(80)
        self.staff_name.setPlaceholderText("Owner")
        form = QFormLayout()
        form.addRow("Lock after no use for", self.auto_lock)
        form.addRow("Staff at this counter", self.staff_name)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Counter"))
        layout.addWidget(
            label(
                "The book locks itself and hides every customer when nobody has used it for this long. "
                "The staff name is written into consent records made at this counter.",
                "muted",
            )
        )
        layout.addLayout(form)
        layout.addStretch(1)

    def load(self) -> None:
        preferences = self.book.preferences()
        self.auto_lock.setValue(preferences.auto_lock_minutes)
        self.staff_name.setText(preferences.staff_name)

    def save(self) -> str | None:
        preferences = self.book.preferences()
        preferences.auto_lock_minutes = self.auto_lock.value()
        preferences.staff_name = " ".join(self.staff_name.text().split())
        self.book.save_preferences(preferences)
        return None


def settings_pages() -> list[type[SettingsPage]]:
    return [
        CounterPage,
        ShopProfilePage,
        CatalogueFieldsPage,
        ConsentPurposesPage,
        ProfilingSettingsPage,
        BackupSettingsPage,
    ]
