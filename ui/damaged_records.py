"""Customers whose record does not open: the card the pane shows instead of the form, and the warning after unlock.

The book opens without them (core/customers/desk.py): they are listed by id only and shown in the list as
"Damaged record <short id>". Nothing here reads or keeps anything personal.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QMessageBox, QVBoxLayout, QWidget

from core.customers.store import DAMAGED_MESSAGE, damaged_name
from ui.theme import label

WARNING_TITLE = "Damaged customer records"


class DamagedCard(QFrame):
    """Shown in the pane for a damaged customer: what happened and what to do. No form, so no way to save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("damaged_card")
        self.message = label(DAMAGED_MESSAGE)
        self.message.setObjectName("damaged_message")
        self.reference = label("", "muted")
        self.reference.setObjectName("damaged_reference")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(label("Damaged record", "heading"))
        layout.addWidget(self.message)
        layout.addWidget(self.reference)
        layout.addStretch(1)

    def show_customer(self, customer_id: str) -> None:
        self.reference.setText(
            f"Record {customer_id[:8]}. Book → Restore from backup… puts back a copy made before the damage; "
            "Esc goes back to the search."
        )


def warning_text(count: int) -> str:
    records = "1 customer record is" if count == 1 else f"{count:,} customer records are"
    return (
        f"{records} damaged and cannot be read. They show in the list as “Damaged record” with a short code and "
        "cannot be edited; every other customer opened normally.\n\nRestore the book from a backup made before "
        "the damage to get them back (Book → Restore from backup…). If it happens again, the disk may be "
        "failing: ask whoever looks after this computer."
    )


def damaged_warning(damaged: tuple[str, ...], parent: QWidget) -> QMessageBox | None:
    """Open (not exec: the counter keeps working) a warning about `damaged` ids; None when there are none.
    A QDialog child of the window, so locking closes it with the others."""
    if not damaged:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Warning, WARNING_TITLE, warning_text(len(damaged)), QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("damaged_warning")
    shown = damaged[:20]
    box.setDetailedText(
        "Damaged records (short codes):\n"
        + "\n".join(damaged_name(cid) for cid in shown)
        + ("\n…" if len(damaged) > len(shown) else "")
    )
    box.open()
    return box


def status_line(count: int) -> str:
    records = "1 customer record is" if count == 1 else f"{count:,} customer records are"
    return f"{records} damaged: restore from a backup to get them back (see the warning)."
