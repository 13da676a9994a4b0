"""A passphrase + confirmation pair with the policy's verdict shown beside it and a generated suggestion."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from core.keys.passphrase_policy import check_passphrase, generate_passphrase
from ui.theme import label, mark_invalid


class PassphraseFields(QWidget):
    """Emits `validity_changed(ok)`. `context_words` (e.g. the shop's name) may not make up the passphrase."""

    validity_changed = Signal(bool)

    def __init__(self, context_words: Callable[[], list[str]] = list, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context_words = context_words
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("new_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("At least 15 characters — a few words are easiest to remember")
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirm_passphrase")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setPlaceholderText("Type it again")
        self.suggest = QPushButton("Suggest one", self)
        self.suggest.setToolTip("Fill in a passphrase of six random words")
        self.suggest.clicked.connect(self.fill_suggestion)
        self.show_button = QPushButton("Show", self)
        self.show_button.setCheckable(True)
        self.show_button.toggled.connect(self._toggle_visible)
        self.verdict = label("", "muted")
        self.verdict.setObjectName("passphrase_verdict")
        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.suggest)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Passphrase", row)
        form.addRow("Again", self.confirm)
        form.addRow("", self.verdict)
        self.passphrase.textChanged.connect(self._recheck)
        self.confirm.textChanged.connect(self._recheck)
        self._ok = False
        self._recheck()

    def fill_suggestion(self) -> None:
        suggestion = generate_passphrase()
        self.show_button.setChecked(True)
        self.passphrase.setText(suggestion)
        self.confirm.setText(suggestion)

    def _toggle_visible(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)
        self.show_button.setText("Hide" if visible else "Show")

    def _recheck(self) -> None:
        text = self.passphrase.text()
        ok, message = False, ""
        if text:
            verdict = check_passphrase(text, self._context_words())
            if not verdict.ok:
                message = verdict.message
            elif self.confirm.text() != text:
                message = "The two passphrases are not the same yet." if self.confirm.text() else "Type it again below."
            else:
                ok, message = True, "Good. Write it down somewhere safe until you know it by heart."
        else:
            message = "Choose a passphrase only you and trusted staff know."
        self.verdict.setText(message)
        self.verdict.setProperty("role", "muted" if ok or not text else "error")
        mark_invalid(self.passphrase, bool(text) and not ok and self.confirm.text() == "")
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)
        if ok != self._ok:
            self._ok = ok
            self.validity_changed.emit(ok)

    @property
    def ok(self) -> bool:
        return self._ok

    def value(self) -> str:
        return self.passphrase.text()

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()
