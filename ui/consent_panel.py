"""The customer page's consent section: a box per purpose (never pre-ticked, Alt+1…9), how consent was given, a
guardian for a child, and the buttons for history, evidence and withdrawing everything."""

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

from core.catalogue import ConsentPurpose
from core.consent.ledger import ConsentMethod
from ui.theme import label

METHODS = [
    (ConsentMethod.VERBAL, "Said at the counter"),
    (ConsentMethod.SIGNED_PAPER, "Signed paper form"),
    (ConsentMethod.WRITTEN, "In writing"),
    (ConsentMethod.EMAIL, "By e-mail"),
]


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
        self._shortcuts: list[QShortcut] = []
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
        self.buttons = [withdraw, evidence, history]
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
        if [box.objectName() for box in self.boxes.values()] == [f"consent_{p.key}" for p in purposes] and all(
            box.toolTip() == p.description and box.text().startswith(p.label)
            for box, p in zip(self.boxes.values(), purposes, strict=True)
        ):
            return  # the same boxes: rebuilding them would lose keyboard focus at every refresh
        for box in self.boxes.values():
            box.setParent(None)
            box.deleteLater()
        for shortcut in self._shortcuts:
            shortcut.setParent(None)
            shortcut.deleteLater()
        self.boxes, self._shortcuts = {}, []
        for row, purpose in enumerate(purposes):
            # Alt+1…9 tick or untick the first nine boxes from anywhere on the page; the label says which.
            number = row + 1 if row < 9 else None
            box = QCheckBox(f"{purpose.label}  (Alt+{number})" if number else purpose.label)
            box.setObjectName(f"consent_{purpose.key}")
            box.setToolTip(purpose.description)
            box.toggled.connect(lambda checked, key=purpose.key: self._toggled(key, checked))
            self._grid.addWidget(box, row, 0)
            self.boxes[purpose.key] = box
            if number:
                shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(lambda b=box: self._toggle_by_key(b))
                self._shortcuts.append(shortcut)

    def _toggle_by_key(self, box: QCheckBox) -> None:
        if box.isVisible() and box.isEnabled():
            box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            box.toggle()

    def method_text(self) -> str:
        """How consent was given, as the box shows it ("said at the counter"), for the status line."""
        text = self.method.currentText()
        return text[:1].lower() + text[1:]

    def tab_widgets(self) -> list[QWidget]:
        guardian = [self.guardian_name, self.guardian_relationship]
        return [*guardian, self.method, *self.boxes.values(), *self.buttons]

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
