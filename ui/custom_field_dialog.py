"""The "Add custom field…" form: a field the shop defines itself, refused until it says why and for how long."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.catalogue import Catalogue, CatalogueError, FieldType, Sensitivity, Stage
from core.catalogue.edits import custom_field, key_from_label
from ui.settings_dialog import heading
from ui.theme import label, mark_invalid

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """The widget with an object name, so tests and style rules can find it."""
    widget.setObjectName(name)
    return widget


TYPE_CHOICES = (
    ("Text", FieldType.TEXT),
    ("Choice from a list", FieldType.CHOICE),
    ("Date", FieldType.DATE),
    ("Number", FieldType.NUMBER),
    ("Yes or no", FieldType.YES_NO),
)
STAGE_CHOICES = (("At a later visit", Stage.LATER_VISITS), ("At the first visit", Stage.FIRST_VISIT))
RETENTION_DAYS_TIP = (
    "After this many days without a visit the customer is put on the review list (while active: no limit)."
)
SENSITIVITY_CHOICES = (
    ("Ordinary", Sensitivity.ORDINARY),
    ("Special category (health, beliefs…)", Sensitivity.SPECIAL_CATEGORY),
    ("High-risk identifier (ID, bank…)", Sensitivity.HIGH_RISK),
)


class CustomFieldDialog(QDialog):
    """Collects a custom field; emits field_added with a checked FieldSpec and closes, or says what is missing."""

    field_added = Signal(object)  # FieldSpec

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a custom field — Counterpart")
        self.setMinimumWidth(560)
        self.catalogue = catalogue
        self.label_edit = named(QLineEdit(), "custom_label")
        self.label_edit.setMaxLength(60)
        self.label_edit.setPlaceholderText("For example: Shoe size")
        self.key_hint = label("", "hint")
        self.type_combo = named(QComboBox(), "custom_type")
        for type_text, field_type in TYPE_CHOICES:
            self.type_combo.addItem(type_text, field_type)
        self.choices_edit = named(QLineEdit(), "custom_choices")
        self.choices_edit.setPlaceholderText("Choices, separated by commas")
        self.stage_combo = named(QComboBox(), "custom_stage")
        for stage_text, stage in STAGE_CHOICES:
            self.stage_combo.addItem(stage_text, stage)
        self.purpose_edit = named(QPlainTextEdit(), "custom_purpose")
        self.purpose_edit.setTabChangesFocus(True)
        self.purpose_edit.setPlaceholderText("The sentence said to the customer: So we can…")
        self.purpose_edit.setFixedHeight(64)
        self.retention_edit = named(QLineEdit(), "custom_retention")
        self.retention_edit.setPlaceholderText("For example: Until you ask us to remove it")
        self.retention_days = named(QSpinBox(), "custom_retention_days")
        self.retention_days.setRange(0, 36500)
        self.retention_days.setSpecialValueText("while active")
        self.retention_days.setSuffix(" days")
        self.retention_days.setToolTip(RETENTION_DAYS_TIP)
        self.retention_days.setMinimumWidth(130)
        self.sensitivity_combo = named(QComboBox(), "custom_sensitivity")
        for sensitivity_text, sensitivity in SENSITIVITY_CHOICES:
            self.sensitivity_combo.addItem(sensitivity_text, sensitivity)
        self.depends_combo = named(QComboBox(), "custom_depends_on")
        self.depends_combo.addItem("Nothing: ask any customer", None)
        for purpose in catalogue.purposes:
            self.depends_combo.addItem(f"Consent to: {purpose.label}", purpose.key)
        self.reason_edit = named(QLineEdit(), "custom_enable_reason")
        self.reason_edit.setPlaceholderText("Why the shop needs this sensitive detail")

        self.errors = {name: self._error_label() for name in ("label", "choices", "purpose", "retention",
                                                              "depends_on", "enable_reason")}  # fmt: skip
        retention_row = QHBoxLayout()
        retention_row.addWidget(self.retention_edit, 1)
        retention_row.addWidget(label("Days:", "muted", wrap=False))
        retention_row.addWidget(self.retention_days)
        form = QFormLayout()
        form.addRow("&Label", self._with_error(self.label_edit, self.key_hint, self.errors["label"]))
        form.addRow("&Type", self.type_combo)
        self.choices_row = self._with_error(self.choices_edit, self.errors["choices"])
        form.addRow("&Choices", self.choices_row)
        form.addRow("&Asked", self.stage_combo)
        form.addRow("&Purpose", self._with_error(self.purpose_edit, self.errors["purpose"]))
        form.addRow("&Kept for", self._with_error(retention_row, self.errors["retention"]))
        form.addRow("&Sensitivity", self.sensitivity_combo)
        form.addRow("Ask only &after", self._with_error(self.depends_combo, self.errors["depends_on"]))
        self.reason_row = self._with_error(self.reason_edit, self.errors["enable_reason"])
        form.addRow("&Why needed", self.reason_row)
        self.form = form
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.add_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("Add field")
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout = self.main_layout = QVBoxLayout(self)
        layout.addWidget(heading("Add a custom field"))
        layout.addWidget(
            label(
                "Ask only what the shop really needs. The purpose is read to the customer and printed on the "
                "privacy notice, so write it the way you would say it.",
                "muted",
            )
        )
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.label_edit.textChanged.connect(self._label_changed)
        self.type_combo.currentIndexChanged.connect(self._update_rows)
        self.sensitivity_combo.currentIndexChanged.connect(self._update_rows)
        self._label_changed("")
        self._update_rows()

    def _error_label(self) -> QLabel:
        error = label("", "error")
        error.hide()
        return error

    def _with_error(self, *parts: QWidget | QHBoxLayout) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for part in parts:
            if isinstance(part, QHBoxLayout):
                column.addLayout(part)
            else:
                column.addWidget(part)
        return box

    def _label_changed(self, text: str) -> None:
        key = key_from_label(text, (f.key for f in self.catalogue.fields)) if text.strip() else ""
        self.key_hint.setText(f"Stored as “{key}”" if key else "")
        self.key_hint.setVisible(bool(key))

    def _update_rows(self) -> None:
        self.form.setRowVisible(self.choices_row, self.field_type() is FieldType.CHOICE)
        self.form.setRowVisible(self.reason_row, self.sensitivity() is not Sensitivity.ORDINARY)

    # Combo boxes hand enum data back as plain str, so the choice is read back from the tables by position.
    def field_type(self) -> FieldType:
        return TYPE_CHOICES[self.type_combo.currentIndex()][1]

    def stage(self) -> Stage:
        return STAGE_CHOICES[self.stage_combo.currentIndex()][1]

    def sensitivity(self) -> Sensitivity:
        return SENSITIVITY_CHOICES[self.sensitivity_combo.currentIndex()][1]

    def depends_on(self) -> str | None:
        key = self.depends_combo.currentData()
        return str(key) if key else None

    def add(self) -> None:
        for name, error in self.errors.items():
            error.hide()
            widget = self._widget_for(name)
            if widget is not None:
                mark_invalid(widget, False)
        try:
            spec = custom_field(
                self.catalogue,
                self.label_edit.text(),
                self.field_type(),
                purpose=self.purpose_edit.toPlainText(),
                retention=self.retention_edit.text(),
                retention_days=self.retention_days.value(),
                choices=self.choices_edit.text().split(","),
                stage=self.stage(),
                sensitivity=self.sensitivity(),
                depends_on=self.depends_on(),
                enable_reason=self.reason_edit.text(),
            )
        except CatalogueError as error:
            self.show_problem(error.setting, error.problem)
            return
        self.field_added.emit(spec)
        self.accept()

    def show_problem(self, setting: str, problem: str) -> None:
        name = setting if setting in self.errors else "label"
        text = problem[0].upper() + problem[1:]
        self.errors[name].setText(text)
        self.errors[name].show()
        self.main_layout.activate()  # make room for the message now, so it never overlaps the box above it
        self.resize(self.width(), max(self.height(), self.main_layout.heightForWidth(self.width())))
        widget = self._widget_for(name)
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()

    def _widget_for(self, setting: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            "label": self.label_edit,
            "choices": self.choices_edit,
            "purpose": self.purpose_edit,
            "retention": self.retention_edit,
            "depends_on": self.depends_combo,
            "enable_reason": self.reason_edit,
        }
        return widgets.get(setting)
