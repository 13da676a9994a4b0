"""What a lock closes: every dialog that could show a decrypted value (see docs/ARCHITECTURE.md, Locking)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget


def close_dialogs(window: QWidget, held: list[tuple[object, str]]) -> None:
    """Locking hides every decrypted value, so every dialog showing one goes too (history, previews, settings,
    exports), and is deleted: a closed dialog still holds the names it showed. Dialogs meant for the locked
    book — restore, first-run set-up — stay. `held` names the attributes that keep a dialog: they are emptied."""
    kept: set[QDialog] = set()
    for dialog in window.findChildren(QDialog):
        if dialog.property("usable_while_locked"):
            kept.add(dialog)
            continue
        if dialog.isVisible():
            # done(), not reject(): a forced new-passphrase dialog refuses reject(); after recovery it
            # comes back at the next unlock, since the key file still says a new passphrase is due.
            dialog.done(QDialog.DialogCode.Rejected)
        dialog.deleteLater()
    for owner, attribute in held:
        if getattr(owner, attribute) not in kept:
            setattr(owner, attribute, None)
