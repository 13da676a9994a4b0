"""Customer-pane sections: record a visit and ask one thing today (the consent checkboxes: ui/consent_panel.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.catalogue import FieldSpec, FieldType
from core.customers.dates import date_example
from core.customers.visits import VisitKind
from ui.theme import label

VISIT_KINDS = [
    (VisitKind.PURCHASE, "Purchase"),
    (VisitKind.SERVICE, "Service"),
    (VisitKind.ENQUIRY, "Enquiry"),
    (VisitKind.OTHER, "Other"),
]


class VisitBar(QFrame):
    """'Came in today' in one keystroke (F2): the kind and an optional note are remembered in the bar."""

    visit_requested = Signal(str, str)  # kind, note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.summary = label("", "muted")
        self.summary.setObjectName("visit_summary")
        self.kind = QComboBox()
        self.kind.setObjectName("visit_kind")
        for kind, text in VISIT_KINDS:
            self.kind.addItem(text, kind.value)
        self.note = QLineEdit()
        self.note.setObjectName("visit_note")
        self.note.setPlaceholderText("Note (optional)")
        self.note.returnPressed.connect(self.request)
        self.record = QPushButton("Record visit  (F2)")
        self.record.clicked.connect(self.request)
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.note, 1)
        row.addWidget(self.record)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(label("Visits", "heading"))
        layout.addWidget(self.summary)
        layout.addLayout(row)

    def tab_widgets(self) -> list[QWidget]:
        return [self.kind, self.note, self.record]

    def request(self) -> None:
        self.visit_requested.emit(str(self.kind.currentData()), self.note.text())
        self.note.setText("")  # not clear(): Ctrl+Z would bring this customer's note back for the next one


class QuestionRow(QWidget):
    """One question: the label, the purpose to read aloud, an input, and the three answers."""

    answered = Signal(str, str)
    declined = Signal(str)
    later = Signal(str)

    def __init__(self, spec: FieldSpec, first: bool = False, country: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        title = QLabel(f"<b>{spec.label}</b>")
        say = label(f"Say: “{spec.purpose}”", "muted")
        say.setObjectName(f"purpose_{spec.key}")
        self.input: QLineEdit | QComboBox
        if spec.type is FieldType.CHOICE:
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            # Nothing chosen until someone chooses: a pre-selected first option ("Under 13") would be
            # recorded by a stray Enter, and would make the customer a child.
            combo.setPlaceholderText("Choose…")
            combo.setCurrentIndex(-1)
            self.input = combo
        else:
            edit = QLineEdit()
            is_date = spec.type is FieldType.DATE
            edit.setPlaceholderText(f"e.g. {date_example(country)} or 14 May" if is_date else "Their answer")
            self.input = edit
        self.input.setObjectName(f"answer_{spec.key}")
        self.error = label("", "error")
        self.error.hide()
        save = QPushButton("Save  (Enter)")
        save.setDefault(False)
        save.clicked.connect(self._answer)
        decline = QPushButton("Declined  (Alt+D)")
        decline.setToolTip("Not asked again for a while (Settings → Questions and consent)")
        decline.clicked.connect(lambda: self.declined.emit(spec.key))
        later = QPushButton("Ask later  (Alt+L)")
        later.clicked.connect(lambda: self.later.emit(spec.key))
        # Real shortcuts, not mnemonics (which some platform themes switch off). Enter works inside the
        # question; Alt+S/D/L answer the first question from anywhere in the window, so staff need no Tab.
        for keys, slot, window_wide in (
            ("Return", self._answer, False),
            ("Enter", self._answer, False),
            ("Alt+S", self._answer, first),
            ("Alt+D", lambda: self.declined.emit(spec.key), first),
            ("Alt+L", lambda: self.later.emit(spec.key), first),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            context = (
                Qt.ShortcutContext.WindowShortcut if window_wide else Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            shortcut.setContext(context)
            shortcut.activated.connect(slot)
        self.buttons = [save, decline, later]
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(decline)
        buttons.addWidget(later)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(say)
        layout.addWidget(self.input)
        layout.addLayout(buttons)
        layout.addWidget(self.error)

    def value(self) -> str:
        if isinstance(self.input, QComboBox):
            return self.input.currentText() if self.input.currentIndex() >= 0 else ""
        return self.input.text()

    def tab_widgets(self) -> list[QWidget]:
        return [self.input, *self.buttons]

    def _answer(self) -> None:
        self.answered.emit(self.spec.key, self.value())

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))


class AskPanel(QFrame):
    """'Ask one thing today' for a returning customer. Shows "Asked today: 1 of 1"; once today's questions are
    asked it steps aside to that one line; hidden when there is nothing to ask."""

    answered = Signal(str, str)
    declined = Signal(str)
    later = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("ask_panel")
        self.heading = label("Ask one thing today", "heading")
        self.heading.setWordWrap(False)
        self.tally = label("", "muted")
        self.tally.setObjectName("asked_today")
        self.tally.setWordWrap(False)
        self.done_line = label("", "muted")  # the one line the panel keeps once today's questions are asked
        self.done_line.setObjectName("asked_today_done")
        title = QHBoxLayout()
        title.addWidget(self.heading)
        title.addStretch(1)
        title.addWidget(self.tally)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 12, 16, 14)
        self._layout.addLayout(title)
        self._layout.addWidget(self.done_line)
        self.rows: list[QuestionRow] = []
        self.country = ""  # the shop's: the date example in a birthday's input

    def show_questions(self, questions: list[FieldSpec], asked_today: int = 0, per_visit: int = 1) -> None:
        """Rows for `questions`. A row already on screen for the same question is kept as it is, so what was
        typed survives a refresh (F2 recording the visit, a consent ticked)."""
        keep = {row.spec.key: row for row in self.rows if row.spec in questions}
        for row in self.rows:
            if row.spec.key not in keep:
                row.setParent(None)
                row.deleteLater()
        self.rows = []
        for index, spec in enumerate(questions):
            row = keep.get(spec.key) or self._new_row(spec, first=index == 0)
            self._layout.removeWidget(row)
            self._layout.addWidget(row)  # in today's order
            self.rows.append(row)
        # More than the setting when the owner lowered it today, or answers came from elsewhere: say so plainly.
        tally = (
            f"Asked today: {asked_today} of {per_visit}" if asked_today <= per_visit else f"Asked today: {asked_today}"
        )
        self.tally.setText(tally)
        done = not questions and asked_today > 0
        # Stepped aside: one line saying why there is no question, instead of a card that looks forgotten.
        self.done_line.setText(f"{tally} — the next question waits for their next visit.")
        self.done_line.setVisible(done)
        self.heading.setVisible(not done)
        self.tally.setVisible(not done)
        self.setVisible(bool(questions) or asked_today > 0)

    def _new_row(self, spec: FieldSpec, first: bool) -> QuestionRow:
        row = QuestionRow(spec, first=first, country=self.country, parent=self)
        row.answered.connect(self.answered)
        row.declined.connect(self.declined)
        row.later.connect(self.later)
        return row

    def row(self, key: str) -> QuestionRow:
        return next(r for r in self.rows if r.spec.key == key)

    def tab_widgets(self) -> list[QWidget]:
        return [widget for row in self.rows for widget in row.tab_widgets()]
