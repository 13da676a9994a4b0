"""The customer page's "What we know": every recorded answer, when and at which visit it was given, what it
replaced, and "Correct…" / "Remove" (with a confirmation). The rules (checking, history, audit) live in core."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.catalogue import FieldSpec, FieldType
from core.customers.answers import KnownAnswer
from core.customers.dates import date_example, show_date
from core.customers.profiling import AnswerStatus
from ui.theme import label


def _day(at: str) -> str:
    """A stored UTC time as the shop's local day, e.g. "2 Dec 2026"."""
    local = datetime.fromisoformat(at).astimezone()
    return f"{local.day} {local.strftime('%b %Y')}"


def _value_text(known: KnownAnswer, status: AnswerStatus, value: str) -> str:
    if status is AnswerStatus.DECLINED:
        return "declined to say"
    if status is AnswerStatus.ASK_LATER:
        return "not yet (ask later)"
    return show_date(value) if known.is_date else value


def when_given(known: KnownAnswer) -> str:
    """ "Given 2 Dec 2026 at visit 3", or without a visit when none was recorded that day."""
    where = f" at visit {known.visit_number}" if known.visit_number else " (no visit recorded that day)"
    verb = "Given" if known.status is AnswerStatus.ANSWERED else "Noted"
    return f"{verb} {_day(known.at)}{where}"


def earlier_lines(known: KnownAnswer) -> list[str]:
    """Newest first: "was 25–39 until 2 Dec 2026"."""
    return [f"was {_value_text(known, e.status, e.value)} until {_day(e.replaced_at)}" for e in reversed(known.earlier)]


class CorrectDialog(QDialog):
    """One field's corrected value; the error is shown beside the input and the dialog stays open until saved."""

    submitted = Signal(str, str)  # field key, typed value

    def __init__(self, spec: FieldSpec, known: KnownAnswer, country: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setWindowTitle(f"Correct {spec.label.lower()} — Counterpart")
        self.setMinimumWidth(420)
        self.input: QLineEdit | QComboBox
        if spec.type is FieldType.CHOICE:
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            combo.setCurrentIndex(combo.findText(known.value))
            self.input = combo
        else:
            edit = QLineEdit(show_date(known.value) if known.is_date else known.value)
            if spec.type is FieldType.DATE:
                edit.setPlaceholderText(f"e.g. {date_example(country)} or 14 May")
            edit.selectAll()
            self.input = edit
        self.input.setObjectName("correct_input")
        self.error = label("", "error")
        self.error.setObjectName("correct_error")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"Correct {spec.label.lower()}", "heading"))
        now = _value_text(known, known.status, known.value)
        layout.addWidget(label(f"Now: {now}. The earlier value stays in the history.", "muted"))
        layout.addWidget(self.input)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.input.setFocus()

    def value(self) -> str:
        if isinstance(self.input, QComboBox):
            return self.input.currentText()
        return self.input.text()

    def _submit(self) -> None:
        self.submitted.emit(self.spec.key, self.value())

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.adjustSize()  # the message wraps to two or three lines: grow, so none of it is cut off
        self.input.setFocus()


class WhatWeKnowSection(QFrame):
    """A row per recorded answer. Emits `correction_requested(key)` and, after the confirmation, `removal_confirmed`."""

    correction_requested = Signal(str)
    removal_confirmed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("what_we_know")
        self.heading = label("What we know", "heading")
        self.empty = label("No answers recorded yet. Questions are asked one at a time at later visits.", "muted")
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(10)
        self._grid.setColumnStretch(0, 1)  # the answer and its history get the width; the buttons sit right
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.empty)
        layout.addLayout(self._grid)
        self.known: list[KnownAnswer] = []
        self.buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        self._widgets: list[QWidget] = []
        self.confirmation: QMessageBox | None = None

    def show_answers(self, known: list[KnownAnswer]) -> None:
        if self.confirmation is not None:  # asked about rows that are being replaced (or a customer now gone)
            self.confirmation.done(QMessageBox.StandardButton.Cancel)
            self.confirmation.deleteLater()
            self.confirmation = None
        for widget in self._widgets:
            widget.setParent(None)
            widget.deleteLater()
        self._widgets, self.buttons, self.known = [], {}, list(known)
        for row, answer in enumerate(known):
            name = QLabel(answer.label)  # the owner's own wording: plain text, never markup
            name.setStyleSheet("font-weight: 600;")
            lines = [f"<span>{_escape(_value_text(answer, answer.status, answer.value))}</span>"]
            detail = when_given(answer)
            if answer.to_review:
                detail += " — <span style='color:#b3261e'>review: kept for a purpose they withdrew</span>"
            lines.append(f"<span style='color:#5b6664'>{detail}</span>")
            lines += [f"<span style='color:#5b6664'>{_escape(text)}</span>" for text in earlier_lines(answer)]
            text = QLabel("<br>".join(lines))
            text.setObjectName(f"known_{answer.field_key}")
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setWordWrap(True)
            correct = QPushButton("Correct…")
            correct.setObjectName(f"correct_{answer.field_key}")
            correct.setToolTip(f"Change {answer.label.lower()}; the earlier value stays in the history")
            correct.setEnabled(answer.status is AnswerStatus.ANSWERED)
            correct.clicked.connect(lambda _=False, key=answer.field_key: self.correction_requested.emit(key))
            remove = QPushButton("Remove")
            remove.setObjectName(f"remove_{answer.field_key}")
            remove.setToolTip(f"Forget {answer.label.lower()} and its history")
            remove.clicked.connect(lambda _=False, a=answer: self.confirm_removal(a))
            buttons = QWidget()
            row_buttons = QHBoxLayout(buttons)
            row_buttons.setContentsMargins(0, 0, 0, 0)
            row_buttons.addWidget(correct)
            row_buttons.addWidget(remove)
            # The field's name above its answer (not beside it): a long name such as "Preferred way to reach you"
            # would otherwise squeeze the answer and its history to a word per line in the narrow pane.
            entry = QWidget()
            column = QVBoxLayout(entry)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(name)
            column.addWidget(text)
            self._grid.addWidget(entry, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(buttons, row, 1, Qt.AlignmentFlag.AlignTop)
            self._widgets += [entry, buttons]
            self.buttons[answer.field_key] = (correct, remove)
        self.empty.setVisible(not known)

    def tab_widgets(self) -> list[QWidget]:
        return [button for pair in self.buttons.values() for button in pair]

    def confirm_removal(self, answer: KnownAnswer) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove an answer — Counterpart",
            f"Remove {answer.label.lower()} and its history from this customer's record?\n\n"
            "It cannot be brought back. The removal itself is noted in the audit trail (without the answer).",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirm_remove")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # a stray Enter removes nothing
        box.buttonClicked.connect(
            lambda button: self.removal_confirmed.emit(answer.field_key) if button is remove else None
        )
        self.confirmation = box
        box.open()

    def focus_first(self) -> None:
        """Put the keyboard in this section (opened from the review list)."""
        first = next((pair[1] for key, pair in self.buttons.items() if self._to_review(key)), None)
        target = first or next(iter(self.tab_widgets()), None)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _to_review(self, key: str) -> bool:
        return any(answer.to_review for answer in self.known if answer.field_key == key)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
