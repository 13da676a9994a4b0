"""Customer-pane sections: record a visit, ask one thing today, and the consent checkboxes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.catalogue import ConsentPurpose, FieldSpec, FieldType
from core.consent.ledger import ConsentMethod
from core.customers.visits import VisitKind
from ui.theme import label

VISIT_KINDS = [
    (VisitKind.PURCHASE, "Purchase"),
    (VisitKind.SERVICE, "Service"),
    (VisitKind.ENQUIRY, "Enquiry"),
    (VisitKind.OTHER, "Other"),
]
METHODS = [
    (ConsentMethod.VERBAL, "Said at the counter"),
    (ConsentMethod.SIGNED_PAPER, "Signed paper form"),
    (ConsentMethod.WRITTEN, "In writing"),
    (ConsentMethod.EMAIL, "By e-mail"),
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

    def request(self) -> None:
        self.visit_requested.emit(str(self.kind.currentData()), self.note.text())
        self.note.setText("")  # not clear(): Ctrl+Z would bring this customer's note back for the next one


class QuestionRow(QWidget):
    """One question: the label, the purpose to read aloud, an input, and the three answers."""

    answered = Signal(str, str)
    declined = Signal(str)
    later = Signal(str)

    def __init__(self, spec: FieldSpec, first: bool = False, parent: QWidget | None = None) -> None:
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
            edit.setPlaceholderText("YYYY-MM-DD" if spec.type is FieldType.DATE else "Their answer")
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

    def _answer(self) -> None:
        self.answered.emit(self.spec.key, self.value())

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))


class AskPanel(QFrame):
    """'Ask one thing today' for a returning customer; hidden when there is nothing to ask."""

    answered = Signal(str, str)
    declined = Signal(str)
    later = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("ask_panel")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 12, 16, 14)
        self._layout.addWidget(label("Ask one thing today", "heading"))
        self.rows: list[QuestionRow] = []

    def show_questions(self, questions: list[FieldSpec]) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        for index, spec in enumerate(questions):
            row = QuestionRow(spec, first=index == 0, parent=self)
            row.answered.connect(self.answered)
            row.declined.connect(self.declined)
            row.later.connect(self.later)
            self._layout.addWidget(row)
            self.rows.append(row)
        self.setVisible(bool(questions))

    def row(self, key: str) -> QuestionRow:
        return next(r for r in self.rows if r.spec.key == key)


class ConsentPanel(QFrame):
    """A checkbox per purpose (never pre-ticked), how consent was given, a guardian for a child, history."""

    consent_changed = Signal(str, bool)  # purpose key, granted
    withdraw_all_requested = Signal()
    history_requested = Signal()
    evidence_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("consent_panel")
        self.boxes: dict[str, QCheckBox] = {}
        self._updating = False
        self.method = QComboBox()
        self.method.setObjectName("consent_method")
        for method, text in METHODS:
            self.method.addItem(text, method.value)
        self.guardian_name = QLineEdit()
        self.guardian_name.setObjectName("guardian_name")
        self.guardian_name.setPlaceholderText("Parent or guardian's name")
        self.guardian_relationship = QLineEdit()
        self.guardian_relationship.setObjectName("guardian_relationship")
        self.guardian_relationship.setPlaceholderText("Relationship, e.g. mother")
        self.guardian_name.textChanged.connect(self._update_enabled)
        self.guardian_relationship.textChanged.connect(self._update_enabled)
        self.guardian_error = label("", "error")
        self.guardian_error.setObjectName("guardian_error")
        self.guardian_error.hide()
        self.child_note = label("", "error")
        self.child_note.setObjectName("child_note")
        self.review = label("", "error")
        self.review.setObjectName("review_badge")
        self.error = label("", "error")
        self.error.setObjectName("consent_error")
        self.error.hide()
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(12)
        withdraw = QPushButton("Withdraw all marketing")
        withdraw.clicked.connect(self.withdraw_all_requested)
        history = QPushButton("History…")
        history.clicked.connect(self.history_requested)
        evidence = QPushButton("Attach signed sheet…")
        evidence.setToolTip("A scan or photo of the signed form, stored encrypted as evidence")
        evidence.clicked.connect(self.evidence_requested)
        how = QHBoxLayout()
        how.addWidget(QLabel("How given"))
        how.addWidget(self.method, 1)
        guardian = QHBoxLayout()
        guardian.addWidget(self.guardian_name, 1)
        guardian.addWidget(self.guardian_relationship, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(withdraw)
        buttons.addStretch(1)
        buttons.addWidget(evidence)
        buttons.addWidget(history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(8)
        layout.addWidget(label("Consent", "heading"))
        layout.addWidget(self.child_note)
        layout.addLayout(guardian)
        layout.addWidget(self.guardian_error)
        layout.addLayout(how)
        layout.addLayout(self._grid)
        layout.addWidget(self.review)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._child = False

    def set_purposes(self, purposes: tuple[ConsentPurpose, ...]) -> None:
        for box in self.boxes.values():
            box.setParent(None)
            box.deleteLater()
        self.boxes = {}
        for row, purpose in enumerate(purposes):
            box = QCheckBox(purpose.label)
            box.setObjectName(f"consent_{purpose.key}")
            box.setToolTip(purpose.description)
            box.toggled.connect(lambda checked, key=purpose.key: self._toggled(key, checked))
            self._grid.addWidget(box, row, 0)
            self.boxes[purpose.key] = box

    def show_state(self, granted: frozenset[str], child: bool, to_review: list[str]) -> None:
        self._updating = True
        for key, box in self.boxes.items():
            box.setChecked(key in granted)
        self._updating = False
        self._child = child
        self.guardian_name.setVisible(child)
        self.guardian_relationship.setVisible(child)
        self.child_note.setVisible(child)
        self.review.setVisible(bool(to_review))
        self.review.setText(
            "Review: kept only for a purpose they withdrew — " + ", ".join(to_review) if to_review else ""
        )
        self.error.hide()
        self.guardian_error.hide()
        self._update_enabled()

    def clear_guardian(self) -> None:
        """Forget the guardian typed for the previous customer, so it can never be recorded for the next one."""
        self.guardian_name.setText("")  # not clear(), which Ctrl+Z undoes: the history goes too
        self.guardian_relationship.setText("")
        self.guardian_error.hide()

    def _guardian_given(self) -> bool:
        return bool(self.guardian_name.text().strip() and self.guardian_relationship.text().strip())

    def _update_enabled(self) -> None:
        blocked = self._child and not self._guardian_given()
        for box in self.boxes.values():
            # A child's box may always be unticked (withdrawal); ticking waits for a guardian.
            box.setEnabled(not blocked or box.isChecked())
        self.child_note.setText(
            "Under the shop's age threshold: a parent or guardian must give consent. "
            + ("Type their name and relationship to enable the boxes." if blocked else "")
        )

    def _toggled(self, key: str, checked: bool) -> None:
        if not self._updating:
            self.consent_changed.emit(key, checked)

    def method_value(self) -> ConsentMethod:
        return ConsentMethod(str(self.method.currentData()))

    def show_error(self, message: str, field: str = "") -> None:
        """Show `message` beside the box it is about (a guardian field) or above the buttons."""
        guardian_box = {"guardian_name": self.guardian_name, "guardian_relationship": self.guardian_relationship}
        box = guardian_box.get(field)
        if field == "guardian" and self._child:
            box = self.guardian_relationship if self.guardian_name.text().strip() else self.guardian_name
        target = self.guardian_error if box is not None else self.error
        other = self.error if box is not None else self.guardian_error
        other.hide()
        target.setText(message)
        target.setVisible(bool(message))
        if box is not None:
            box.setFocus()
