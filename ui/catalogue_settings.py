"""Settings → Fields we collect, and the registration of both catalogue pages."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.book import CustomerBook
from core.catalogue import Catalogue, CatalogueError, FieldSpec, Sensitivity
from core.errors import CounterpartError
from ui.catalogue_models import CatalogueFieldsModel
from ui.catalogue_page import CataloguePage, describe_version, table_view, toggle_current
from ui.consent_purposes_page import ConsentPurposesPage as ConsentPurposesPage  # the two pages register together
from ui.custom_field_dialog import RETENTION_DAYS_TIP, CustomFieldDialog, named
from ui.settings_dialog import heading
from ui.theme import label, mark_invalid


class CatalogueFieldsPage(CataloguePage):
    """Which fields the shop collects, in which order later questions are asked, and what each one says."""

    key = "catalogue_fields"
    title = "Fields we collect"

    def __init__(self, book: CustomerBook, parent: QWidget | None = None) -> None:
        super().__init__(book, parent)
        self.model = CatalogueFieldsModel(book.catalogue.current())
        self.table = table_view(self.model, "catalogue_fields_table")
        self.move_up = QPushButton("Move &up")
        self.move_up.setToolTip("Ask this earlier (Ctrl+Up)")
        self.move_down = QPushButton("Move &down")
        self.move_down.setToolTip("Ask this later (Ctrl+Down)")
        self.add_custom = named(QPushButton("Add custom &field…"), "add_custom_field")
        self.custom_field_dialog: CustomFieldDialog | None = None
        for sequence, steps in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            shortcut = QShortcut(QKeySequence(sequence), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda steps=steps: self.move_selected(steps))
        # Space ticks or unticks the selected row wherever the cursor is in it, not only on the checkbox cell.
        toggle = QShortcut(QKeySequence(Qt.Key.Key_Space), self.table)
        toggle.setContext(Qt.ShortcutContext.WidgetShortcut)
        toggle.activated.connect(lambda: toggle_current(self.table))
        self.move_up.clicked.connect(lambda: self.move_selected(-1))
        self.move_down.clicked.connect(lambda: self.move_selected(1))
        self.add_custom.clicked.connect(self.open_custom_field_dialog)

        self.editor_title = label("")
        self.editor_title.setStyleSheet("font-weight: 600;")
        self.purpose = named(QPlainTextEdit(), "field_purpose")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setFixedHeight(60)
        self.retention = named(QLineEdit(), "field_retention")
        self.retention_days = named(QSpinBox(), "field_retention_days")
        self.retention_days.setRange(0, 36500)
        self.retention_days.setSuffix(" days")
        self.retention_days.setSpecialValueText("while active")
        self.retention_days.setToolTip(RETENTION_DAYS_TIP)
        self.if_declined = named(QLineEdit(), "field_if_declined")
        self.enable_reason = named(QLineEdit(), "field_enable_reason")
        self.enable_reason.setPlaceholderText("Required before a sensitive field is switched on")
        self.field_error = label("", "error")
        self.field_error.setObjectName("field_error")
        self.field_error.hide()
        retention_row = QHBoxLayout()
        retention_row.addWidget(self.retention, 1)
        retention_row.addWidget(self.retention_days)
        self.editor_form = QFormLayout()
        self.editor_form.addRow("&Purpose", self.purpose)
        kept_for = label("&Kept for", wrap=False)
        kept_for.setBuddy(self.retention)
        self.editor_form.addRow(kept_for, retention_row)
        self.editor_form.addRow("If they say &no", self.if_declined)
        self.editor_form.addRow("&Why needed", self.enable_reason)
        self.purpose.textChanged.connect(lambda: self._edit(purpose=self.purpose.toPlainText()))
        self.retention.textEdited.connect(lambda text: self._edit(retention=text))
        self.retention_days.valueChanged.connect(lambda days: self._edit(retention_days=days))
        self.if_declined.textEdited.connect(lambda text: self._edit(if_declined=text))
        self.enable_reason.textEdited.connect(lambda text: self._edit(enable_reason=text))

        self.version_line = label("", "muted")
        self.version_line.setObjectName("catalogue_version")
        self.change_note = named(QLineEdit(), "catalogue_change_note")
        self.change_note.setPlaceholderText("Note for the history (optional): why you changed this")
        self.history_list = named(QListWidget(), "catalogue_history")
        self.history_list.setFixedHeight(72)
        self.history_list.hide()
        self.history_toggle = named(QPushButton("&History"), "catalogue_history_toggle")
        self.history_toggle.setCheckable(True)
        self.history_toggle.setProperty("link", "true")
        self.history_toggle.toggled.connect(self.history_list.setVisible)

        buttons = QHBoxLayout()
        buttons.addWidget(self.move_up)
        buttons.addWidget(self.move_down)
        buttons.addStretch(1)
        buttons.addWidget(self.add_custom)
        editor = QFrame()
        editor.setProperty("role", "card")
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(10, 6, 10, 6)
        editor_layout.setSpacing(4)
        editor_layout.addWidget(self.editor_title)
        editor_layout.addLayout(self.editor_form)
        editor_layout.addWidget(self.field_error)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Fields we collect"))
        layout.addWidget(
            label(
                "Tick what the shop may ask. Later questions are asked one at a time, top first. "
                "Every saved change makes a new version of the privacy notice.",
                "muted",
            )
        )
        version_row = QHBoxLayout()
        version_row.addWidget(self.version_line, 1)
        version_row.addWidget(self.history_toggle)
        # Room for about five rows: the queue is what the owner came here to arrange.
        self.table.setMinimumHeight(5 * self.table.verticalHeader().defaultSectionSize() + 34)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(editor)
        layout.addWidget(self.change_note)
        layout.addLayout(version_row)
        layout.addWidget(self.history_list)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)

    # --- draft ---------------------------------------------------------------------------------------------

    def reload(self, catalogue: Catalogue) -> None:
        selected = self.selected_key()
        self.model.set_catalogue(catalogue)
        self.select(selected or self.model.field_at(0).key)
        self.change_note.clear()
        self.version_line.setText(self.version_text())
        self.history_list.clear()
        for info in reversed(self.book.catalogue.history()):
            note = f" — {info.note}" if info.note else ""
            self.history_list.addItem(describe_version(info) + note)

    def apply_to(self, catalogue: Catalogue) -> Catalogue:
        return replace(catalogue, fields=self.model.catalogue().fields)

    def note(self) -> str:
        return " ".join(self.change_note.text().split())

    def owns(self, error: CounterpartError) -> bool:
        return isinstance(error, CatalogueError) and any(
            f.key == error.field_key for f in self.model.catalogue().fields
        )

    def show_problem(self, error: CatalogueError) -> str:
        spec = self.model.catalogue().field(error.field_key)
        self.select(spec.key)
        problem = error.problem[0].upper() + error.problem[1:]
        self.field_error.setText(problem)
        self.field_error.show()
        widget = self._editor_for(error.setting)
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()
        else:
            self.table.setFocus()
        return f"{spec.label}: {problem}"

    # --- selection and editing -----------------------------------------------------------------------------

    def selected_key(self) -> str:
        index = self.table.currentIndex()
        return self.model.field_at(index.row()).key if index.isValid() else ""

    def select(self, key: str) -> None:
        index = self.model.index(self.model.row_of(key), CatalogueFieldsModel.COL_LABEL)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self._show_selected(index)

    def move_selected(self, steps: int) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            row = self.model.move(index.row(), steps)
            self.select(self.model.field_at(row).key)

    def _show_selected(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        spec = self.model.field_at(index.row())
        self._clear_problem()
        self.editor_title.setText(f"What the customer is told about “{spec.label}”")
        widgets = (self.purpose, self.retention, self.retention_days, self.if_declined, self.enable_reason)
        for widget in widgets:
            widget.blockSignals(True)
        self.purpose.setPlainText(spec.purpose)
        self.retention.setText(spec.retention)
        self.retention_days.setValue(spec.retention_days)
        self.if_declined.setText(spec.if_declined)
        self.enable_reason.setText(spec.enable_reason)
        for widget in widgets:
            widget.blockSignals(False)
        self.editor_form.setRowVisible(self.enable_reason, spec.sensitivity is not Sensitivity.ORDINARY)

    def _edit(self, **changes: str | int) -> None:
        key = self.selected_key()
        if key:
            self._clear_problem()
            self.model.replace_field(replace(self.model.catalogue().field(key), **changes))  # type: ignore[arg-type]

    def _clear_problem(self) -> None:
        self.field_error.hide()
        for widget in (self.purpose, self.retention, self.if_declined, self.enable_reason):
            mark_invalid(widget, False)

    def _editor_for(self, setting: str) -> QWidget | None:
        editors: dict[str, QWidget] = {
            "purpose": self.purpose,
            "retention": self.retention,
            "if_declined": self.if_declined,
            "enable_reason": self.enable_reason,
        }
        return editors.get(setting)

    # --- custom fields -------------------------------------------------------------------------------------

    def open_custom_field_dialog(self) -> None:
        dialog = CustomFieldDialog(self.draft(), self)
        dialog.field_added.connect(self.add_field)
        self.custom_field_dialog = dialog
        dialog.open()

    def add_field(self, spec: FieldSpec) -> None:
        self.model.replace_field(spec)
        self.select(spec.key)
        self.table.setFocus()
