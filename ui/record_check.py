"""The full check of the book's records that runs in the background after each unlock.

Unlock itself checks only what is cheap: the consent events after the checkpoint (core/consent/checkpoint.py), the
audit log's last entries, and that the database is not older than its key file. This walks the whole consent
chain, the whole audit log and the book's fingerprint of every table (core/storage/book_state.py), and says what
it finds without stopping the counter.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.window_host import WindowHost

log = logging.getLogger(__name__)
WARNING = (
    "Some records (consent, audit log, customers, answers or visits) were changed, removed or brought back "
    "outside Counterpart, so they can no longer be relied on. Restore the book from a backup made before the "
    "change, or ask whoever looks after this computer."
)


def check_records(window: WindowHost) -> None:
    book = window.book
    ledger, audit, state_check = book.consent, book.audit, book.state_check()
    window.ledger_problems = None

    def checked(problems: object) -> None:
        # Locked meanwhile (the key it checked with is zeroed) or unlocked again: not this book's answer.
        if not isinstance(problems, list) or not book.is_unlocked or book.consent is not ledger:
            return
        window.ledger_problems = [str(p) for p in problems]
        if not problems:
            return
        from PySide6.QtWidgets import QMessageBox

        shown = "\n".join(str(p) for p in problems[:5]) + ("\n…" if len(problems) > 5 else "")
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Records were changed", WARNING, QMessageBox.StandardButton.Ok, window
        )
        box.setDetailedText(shown)
        window.ledger_warning = box
        box.open()
        window.statusBar().showMessage("Records were changed outside Counterpart: see the warning.")

    def failed(error: BaseException) -> None:  # e.g. locked meanwhile: the next unlock checks again
        log.info("background record check did not finish (%s)", type(error).__name__)

    window.session.tasks.run(
        lambda _context: ledger.verify() + audit.verify() + state_check(), checked, failed, counts_as_busy=False
    )
