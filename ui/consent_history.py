"""A customer's consent history in plain words, and the marketing-list export dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from core.book import CustomerBook
from core.consent import describe
from core.marketing_export import export_marketing_list
from ui.theme import label


class ConsentHistoryDialog(QDialog):
    def __init__(self, book: CustomerBook, customer_id: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Consent history — {name}")
        self.resize(760, 360)
        catalogue = book.desk.catalogue()
        labels = {p.key: p.label for p in catalogue.purposes}
        self.lines = QListWidget()
        self.lines.setObjectName("consent_history")
        self.lines.setWordWrap(True)
        events = book.consent.events(customer_id)
        for event in reversed(events):  # newest first
            self.lines.addItem(describe(event, labels.get(event.purpose, event.purpose)))
        if not events:
            self.lines.addItem("No consent recorded yet: every purpose counts as “no”.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"Every consent event for {name}, newest first. Events are never edited.", "muted"))
        layout.addWidget(self.lines, 1)
        layout.addWidget(buttons)


class MarketingExportDialog(QDialog):
    """Choose a purpose; the CSV holds only customers whose current consent allows it. Audited."""

    def __init__(self, book: CustomerBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.setWindowTitle("Export a marketing list — Counterpart")
        self.setMinimumWidth(520)
        self.purpose = QComboBox()
        self.purpose.setObjectName("export_purpose")
        for purpose in book.desk.catalogue().enabled_purposes():
            if purpose.kind in {"marketing", "surveys", "profiling"}:
                self.purpose.addItem(purpose.label, purpose.key)
        self.status = label(
            "The file is NOT encrypted: it holds names and contacts. Give it only to whoever sends the "
            "messages, and delete it afterwards. The export is recorded in the audit trail.",
            "muted",
        )
        self.status.setObjectName("export_status")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.choose_file)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label("Who agreed to", "heading"))
        layout.addWidget(self.purpose)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        key = str(self.purpose.currentData())
        path, _ = QFileDialog.getSaveFileName(self, "Save the list", f"{key}.csv", "CSV (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int:
        key = str(self.purpose.currentData())
        book = self.book
        desk = book.desk
        result = export_marketing_list(
            purpose_key=key,
            customers=list(book.customers.iter_all()),
            granted_by_customer=desk.granted_by_customer,
            ledger=book.consent,
            profile=book.profile,
            catalogue=desk.catalogue(),
            settings=desk.settings(),
            audit=book.audit,
            staff=book.staff_member(),
        )
        try:
            path.write_text(result.csv_text, encoding="utf-8")
        except OSError as exc:
            self.status.setText(f"Could not write {path.name}: {exc.strerror or type(exc).__name__}.")
            self.status.setProperty("role", "error")
            return 0
        self.status.setText(f"Saved {result.rows} customers to {path.name}. Delete the file after use.")
        return result.rows


class ReviewListDialog(QDialog):
    """Customers holding answers kept only for a purpose they withdrew; Enter opens one."""

    def __init__(self, rows: list[tuple[str, str, list[str]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review list — Counterpart")
        self.resize(640, 380)
        self.customer_ids = [customer_id for customer_id, _name, _fields in rows]
        self.lines = QListWidget()
        self.lines.setObjectName("review_list")
        for _customer_id, name, fields in rows:
            self.lines.addItem(f"{name} — {', '.join(fields)}")
        if not rows:
            self.lines.addItem("Nothing to review: no one has data kept for a purpose they withdrew.")
        self.lines.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                "These answers were collected for a purpose the customer has since withdrawn. Open the customer "
                "and decide whether to keep them (another basis applies) or remove them.",
                "muted",
            )
        )
        layout.addWidget(self.lines, 1)
        layout.addWidget(buttons)

    def chosen(self) -> str | None:
        row = self.lines.currentRow()
        return self.customer_ids[row] if 0 <= row < len(self.customer_ids) else None
