"""Settings → Questions and consent: how many questions per visit, how long a 'no' lasts, the child age."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QSpinBox, QVBoxLayout, QWidget

from core.book import CustomerBook
from core.customers.profiling import MAX_CHILD_AGE_THRESHOLD, MIN_CHILD_AGE_THRESHOLD, ProfileSettings
from core.errors import ValidationError
from ui.settings_dialog import SettingsPage, heading
from ui.theme import label


class ProfilingSettingsPage(SettingsPage):
    key = "profiling"
    title = "Questions and consent"

    def __init__(self, book: CustomerBook, parent: QWidget | None = None) -> None:
        super().__init__(book, parent)
        self.per_visit = QSpinBox()
        self.per_visit.setRange(1, 5)
        self.per_visit.setSuffix(" per visit")
        self.snooze = QSpinBox()
        self.snooze.setRange(1, 60)
        self.snooze.setSuffix(" months")
        self.child_age = QSpinBox()
        self.child_age.setObjectName("child_age_threshold")
        self.child_age.setRange(MIN_CHILD_AGE_THRESHOLD, MAX_CHILD_AGE_THRESHOLD)
        self.child_age.setSuffix(" years")
        form = QFormLayout()
        form.addRow("Questions to ask", self.per_visit)
        form.addRow("After a 'no', wait", self.snooze)
        form.addRow("Children are under", self.child_age)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Questions and consent"))
        layout.addWidget(
            label(
                "Returning customers are asked a little more at each visit, in the order of Fields we collect. "
                "Below the age threshold (13–16 depending on your country; 16 in most of the EU, 13 in the UK), "
                "consent must come from a parent or guardian.",
                "muted",
            )
        )
        layout.addLayout(form)
        layout.addStretch(1)

    def load(self) -> None:
        settings = self.book.desk.settings()
        self.per_visit.setValue(settings.questions_per_visit)
        self.snooze.setValue(settings.declined_snooze_months)
        self.child_age.setValue(settings.child_age_threshold)

    def save(self) -> str | None:
        try:
            self.book.desk.save_settings(
                ProfileSettings(self.per_visit.value(), self.snooze.value(), self.child_age.value())
            )
        except ValidationError as error:
            return error.message
        return None
