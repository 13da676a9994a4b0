"""Settings → Consent purposes: what customers can say yes or no to, and the words next to each box."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.book import CustomerBook
from core.catalogue import Catalogue, CatalogueError
from core.catalogue.edits import SALE_CONFIRMATION, newly_sold, sale_confirmed
from core.errors import CounterpartError
from ui.catalogue_models import ConsentPurposesModel
from ui.catalogue_page import CataloguePage, table_view, toggle_current
from ui.custom_field_dialog import named
from ui.settings_dialog import heading
from ui.theme import label, mark_invalid


class ConsentPurposesPage(CataloguePage):
    """What customers can say yes or no to, and the sentence printed next to each box."""

    key = "catalogue_purposes"
    title = "Consent purposes"

    def __init__(self, book: CustomerBook, parent: QWidget | None = None) -> None:
        super().__init__(book, parent)
        self.model = ConsentPurposesModel(book.catalogue.current())
        self.table = table_view(self.model, "catalogue_purposes_table")
        self.purpose_label = named(QLineEdit(), "purpose_label")
        self.purpose_label.setMaxLength(80)
        self.description = named(QPlainTextEdit(), "purpose_description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(84)
        self.purpose_error = label("", "error")
        self.purpose_error.setObjectName("purpose_error")
        self.purpose_error.hide()
        self.sale_banner = QFrame()
        self.sale_banner.setProperty("role", "banner")
        self.sale_confirmation = named(QLineEdit(), "sale_confirmation")
        self.sale_confirmation.setPlaceholderText(SALE_CONFIRMATION)
        banner = QVBoxLayout(self.sale_banner)
        banner.addWidget(
            label(
                "Selling customers' details must be stated on the privacy notice, and every customer must be able "
                f"to refuse. To switch this on, type: {SALE_CONFIRMATION}",
            )
        )
        banner.addWidget(self.sale_confirmation)
        self.sale_banner.hide()
        form = QFormLayout()
        form.addRow("&Checkbox text", self.purpose_label)
        form.addRow("&Description", self.description)
        editor = QFrame()
        editor.setProperty("role", "card")
        editor_layout = QVBoxLayout(editor)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.purpose_error)
        self.version_line = label("", "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Consent purposes"))
        layout.addWidget(
            label(
                "Each purpose switched on here is one unticked box in the customer pane, with its description "
                "next to it and on the printed notice. Customers choose each one separately.",
                "muted",
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(editor)
        layout.addWidget(self.sale_banner)
        layout.addWidget(self.version_line)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        toggle = QShortcut(QKeySequence(Qt.Key.Key_Space), self.table)
        toggle.setContext(Qt.ShortcutContext.WidgetShortcut)
        toggle.activated.connect(lambda: toggle_current(self.table))
        self.purpose_label.textEdited.connect(lambda text: self._edit(label=text))
        self.description.textChanged.connect(lambda: self._edit(description=self.description.toPlainText()))
        self.model.purpose_changed.connect(self._update_sale_banner)

    def reload(self, catalogue: Catalogue) -> None:
        index = self.table.currentIndex()
        self.model.set_catalogue(catalogue)
        self.select(self.model.purpose_at(index.row() if index.isValid() else 0).key)
        self.sale_confirmation.clear()
        self._update_sale_banner()
        self.version_line.setText(self.version_text())

    def apply_to(self, catalogue: Catalogue) -> Catalogue:
        return replace(catalogue, purposes=self.model.catalogue().purposes)

    def owns(self, error: CounterpartError) -> bool:
        if not isinstance(error, CatalogueError):
            return False
        return error.setting == "sale_confirmation" or any(
            p.key == error.field_key for p in self.model.catalogue().purposes
        )

    def check_confirmations(self, before: Catalogue, after: Catalogue) -> None:
        if newly_sold(before, after) and not sale_confirmed(self.sale_confirmation.text()):
            sale = next(p for p in after.purposes if p.kind == "sale" and p.enabled)
            problem = f"type “{SALE_CONFIRMATION}” in the yellow box to confirm switching this on."
            raise CatalogueError(sale.key, problem, setting="sale_confirmation")

    def show_problem(self, error: CatalogueError) -> str:
        problem = error.problem[0].upper() + error.problem[1:]
        purpose = self.model.catalogue().purpose(error.field_key)
        self.select(purpose.key)
        if error.setting == "sale_confirmation":
            mark_invalid(self.sale_confirmation, True)
            self.sale_confirmation.setFocus()
        else:
            self.purpose_error.setText(problem)
            self.purpose_error.show()
            mark_invalid(self.description if error.setting == "description" else self.purpose_label, True)
        return f"{purpose.label}: {problem}"

    def select(self, key: str) -> None:
        index = self.model.index(self.model.row_of(key), ConsentPurposesModel.COL_LABEL)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self._show_selected(index)

    def _show_selected(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        purpose = self.model.purpose_at(index.row())
        self.purpose_error.hide()
        for widget in (self.purpose_label, self.description):
            mark_invalid(widget, False)
            widget.blockSignals(True)
        self.purpose_label.setText(purpose.label)
        self.description.setPlainText(purpose.description)
        for widget in (self.purpose_label, self.description):
            widget.blockSignals(False)

    def _edit(self, **changes: str) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.purpose_error.hide()
            self.model.replace_purpose(replace(self.model.purpose_at(index.row()), **changes))  # type: ignore[arg-type]

    def _update_sale_banner(self) -> None:
        self.sale_banner.setVisible(newly_sold(self.base, self.model.catalogue()))
        mark_invalid(self.sale_confirmation, False)
