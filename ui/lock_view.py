"""The locked screen: passphrase (or recovery key) field, progress while the key is derived, clear errors."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.theme import app_icon, label, mark_invalid

MODE_PASSPHRASE = "passphrase"  # noqa: S105 - a mode name, not a password
MODE_RECOVERY = "recovery"


class LockView(QWidget):
    """Emits `unlock_requested(secret, mode, remember)`; never keeps the secret after emitting it."""

    unlock_requested = Signal(str, str, bool)
    restore_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mode = MODE_PASSPHRASE
        card = QFrame(self)
        card.setProperty("role", "card")
        # Centred through the style sheet: the first use of any Qt.* enum costs 25 ms (PySide6 builds the
        # whole namespace at once), and this screen is what start-up waits for.
        card.setStyleSheet("QLabel { qproperty-alignment: AlignHCenter; }")
        card.setFixedWidth(460)
        icon = label("", wrap=False)
        icon.setPixmap(app_icon().pixmap(72, 72))
        self.title = label("Counterpart is locked", "title")
        # A one-off message about what just happened ("Backup restored…"): shown above the prompt, never in
        # place of it, and gone once the book is unlocked, so a later lock shows the ordinary screen.
        self.notice = label("", "success")
        self.notice.setObjectName("lock_notice")
        self.notice.hide()
        self.prompt = label("Type the shop's passphrase to open the customer book.", "muted")
        self.secret = QLineEdit(card)
        self.secret.setObjectName("secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("Passphrase")
        self.secret.setAccessibleName("Passphrase")
        self.secret.returnPressed.connect(self._submit)
        self.error = label("", "error")
        self.error.setObjectName("unlock_error")
        self.error.hide()
        self.remember = QCheckBox("Remember on this computer (uses the system keyring)", card)
        self.unlock_button = QPushButton("Unlock", card)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._submit)
        self.progress = QProgressBar(card)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.mode_button = QPushButton("Use the recovery key", card)
        self.mode_button.setProperty("link", True)
        self.mode_button.setToolTip("Forgot the passphrase? The recovery key from the recovery sheet opens the book.")
        self.mode_button.clicked.connect(self.toggle_mode)
        self.restore_button = QPushButton("Restore from backup…", card)
        self.restore_button.setProperty("link", True)
        self.restore_button.clicked.connect(self.restore_requested)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 24)
        inner.setSpacing(12)
        for widget in (icon, self.title, self.notice, self.prompt, self.secret, self.error, self.remember):
            inner.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner.addLayout(buttons)
        inner.addWidget(self.progress)
        links = QHBoxLayout()
        links.addWidget(self.mode_button)
        links.addStretch(1)
        links.addWidget(self.restore_button)
        inner.addLayout(links)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    @property
    def mode(self) -> str:
        return self._mode

    def toggle_mode(self) -> None:
        recovery = self._mode == MODE_PASSPHRASE
        self._mode = MODE_RECOVERY if recovery else MODE_PASSPHRASE
        self.secret.setText("")
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if recovery else QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("Recovery key, e.g. ABCDE-FGHIJ-…" if recovery else "Passphrase")
        self.prompt.setText(
            "Type the recovery key from the recovery sheet. You will then choose a new passphrase."
            if recovery
            else "Type the shop's passphrase to open the customer book."
        )
        self.mode_button.setText("Use the passphrase instead" if recovery else "Use the recovery key")
        self.remember.setVisible(not recovery)
        self.show_error("")
        self.secret.setFocus()

    def _submit(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        secret = self.secret.text()
        if not secret:
            self.show_error("Type the passphrase first." if self._mode == MODE_PASSPHRASE else "Type the recovery key.")
            return
        # The widget does not keep the secret once it is handed over: setText, as clear() is undoable (Ctrl+Z
        # would bring a recovery key back, shown in the clear).
        self.secret.setText("")
        self.unlock_requested.emit(secret, self._mode, self.remember.isChecked() and self._mode == MODE_PASSPHRASE)

    def set_busy(self, message: str, fraction: float) -> None:
        busy = fraction < 1.0
        self.secret.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress.setValue(int(fraction * 100))
        self.progress.setFormat(message)
        if busy:
            self.show_error("")

    def idle(self) -> None:
        self.set_busy("", 1.0)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        mark_invalid(self.secret, bool(message))

    def show_notice(self, message: str) -> None:
        """Say what just happened on this locked screen; it stays through failed unlock attempts (the restore
        notice says which passphrase to use) until clear_notice(), called when the book is unlocked."""
        self.notice.setText(message)
        self.notice.setVisible(bool(message))

    def clear_notice(self) -> None:
        self.show_notice("")

    def reset(self, message: str = "") -> None:
        """Back to a clean locked screen, focused on the passphrase field."""
        self.idle()
        if self._mode == MODE_RECOVERY:
            self.toggle_mode()
        self.secret.setText("")
        self.show_error(message)
        self.secret.setFocus()
