"""A customer's consent history in plain words, and the marketing-list export dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
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
from core.consent.ledger import describe
from core.consent.marketing_export import export_marketing_list, exportable_purposes
from ui.tasks import BackgroundTasks, TaskHandle
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
        layout.addWidget(label(f"Consent history — {name}", "heading"))
        layout.addWidget(label("Every consent event, newest first. Events are never edited.", "muted"))
        layout.addWidget(self.lines, 1)
        layout.addWidget(buttons)


class MarketingExportDialog(QDialog):
    """Choose a purpose; the CSV holds only customers whose current consent allows it. Audited.

    The export decrypts every customer, so it runs on the background helper; the result comes back by signal."""

    exported = Signal(int)  # rows written
    export_failed = Signal(str)  # a plain message

    def __init__(self, book: CustomerBook, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self._tasks = tasks
        self.setWindowTitle("Export a marketing list — Counterpart")
        self.setMinimumWidth(520)
        self.purpose = QComboBox()
        self.purpose.setObjectName("export_purpose")
        for purpose in exportable_purposes(book.desk.catalogue()):
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
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self._file_name = ""
        self.exported.connect(self._exported)
        self.export_failed.connect(self._failed)
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

    def export_to(self, path: Path) -> TaskHandle:
        """Start the export; `exported(rows)` or `export_failed(message)` follows on the GUI thread."""
        key = str(self.purpose.currentData())
        book = self.book
        desk = book.desk
        # Everything the worker needs is read here, on the GUI thread; the worker touches no widget.
        catalogue, settings, staff = desk.catalogue(), desk.settings(), book.staff_member()
        granted = dict(desk.granted_by_customer)  # a snapshot: consent recorded meanwhile waits for the next export
        customers, ledger, profile, audit = book.customers, book.consent, book.profile, book.audit
        damaged = book.damaged_customers  # unreadable: left out, as they cannot be contacted anyway

        def work(_context: object) -> int:
            result = export_marketing_list(
                purpose_key=key, customers=list(customers.iter_all(skip=damaged)), granted_by_customer=granted,
                ledger=ledger, profile=profile, catalogue=catalogue, settings=settings, audit=audit, staff=staff,
            )  # fmt: skip
            path.write_text(result.csv_text, encoding="utf-8")
            return result.rows

        self._file_name = path.name
        self.save_button.setEnabled(False)
        self._show_status("Exporting… (every customer is read and checked, which can take a few seconds)")
        # Methods, not closures: Qt drops the connection if locking deletes this dialog before the task ends.
        return self._tasks.run(work, self._export_succeeded, self._export_error)

    def _export_succeeded(self, rows: object) -> None:
        assert isinstance(rows, int)
        self.exported.emit(rows)

    def _export_error(self, error: BaseException) -> None:
        if isinstance(error, OSError):
            self.export_failed.emit(f"Could not write {self._file_name}: {error.strerror or type(error).__name__}.")
        else:
            self.export_failed.emit("The export stopped before it finished; no list was saved. Try again.")

    def _exported(self, rows: int) -> None:
        self.save_button.setEnabled(True)
        self._show_status(f"Saved {rows} customers to {self._file_name}. Delete the file after use.")

    def _failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self._show_status(message, "error")

    def _show_status(self, text: str, role: str = "muted") -> None:
        self.status.setText(text)
        self.status.setProperty("role", role)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)


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
