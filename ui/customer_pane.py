"""The right-hand side: a hint card when nothing is open, else the customer's sections in a scroll area (or,
for a customer whose record does not open, a card saying so instead of the form)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from ui.customer_form import CustomerForm
from ui.damaged_records import DamagedCard
from ui.theme import label

HINT_HTML = """
<p style="font-size:13pt; font-weight:600;">At the counter</p>
<table cellpadding="4">
<tr><td><b>Type</b></td><td>a name, phone or e-mail to find a customer</td></tr>
<tr><td><b>↓ / Enter</b></td><td>move into the list / open the customer</td></tr>
<tr><td><b>Ctrl+N</b></td><td>new customer, filled in from what you typed</td></tr>
<tr><td><b>Ctrl+S</b></td><td>save</td></tr>
<tr><td><b>Esc</b></td><td>back to the search box</td></tr>
<tr><td><b>Ctrl+L</b></td><td>lock the book when you step away</td></tr>
</table>
"""


class CustomerPane(QStackedWidget):
    """Holds the customer form and, below it, the sections later features add (visits, consent…)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        hint_card = QFrame(self)
        hint_card.setProperty("role", "card")
        hint = label(HINT_HTML, "hint")
        hint.setObjectName("pane_hint")
        hint.setTextFormat(Qt.TextFormat.RichText)
        hint_layout = QVBoxLayout(hint_card)
        hint_layout.setContentsMargins(24, 20, 24, 20)
        hint_layout.addWidget(hint)
        hint_layout.addStretch(1)
        self.hint_page = hint_card

        self.form = CustomerForm()
        content = QWidget()
        self._sections = QVBoxLayout(content)
        self._sections.setContentsMargins(20, 12, 20, 16)
        self._sections.setSpacing(18)
        self._sections.addWidget(self.form)
        self._sections.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        # Sections wrap and stack instead of scrolling sideways: a sideways scroll hides buttons at the counter.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(0)
        header = QFrame(detail)
        header.setObjectName("customer_header")
        header.setFrameShape(QFrame.Shape.NoFrame)
        header.setStyleSheet("#customer_header { border: none; border-bottom: 1px solid #d9dfdd; }")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(20, 12, 20, 10)
        header_layout.addWidget(self.form.title)  # whose page this is, in view however far it scrolls
        detail_layout.addWidget(header)
        detail_layout.addWidget(scroll, 1)
        self.scroll_area = scroll
        self.detail_page = detail

        self.damaged_page = DamagedCard(self)

        self.addWidget(self.hint_page)
        self.addWidget(self.detail_page)
        self.addWidget(self.damaged_page)

    def add_section(self, widget: QWidget) -> None:
        """Append a section under the form (before the stretch)."""
        self._sections.insertWidget(self._sections.count() - 1, widget)

    def show_hint(self) -> None:
        self.setCurrentWidget(self.hint_page)

    def show_detail(self) -> None:
        self.setCurrentWidget(self.detail_page)

    def show_damaged(self, customer_id: str) -> None:
        """The damaged-record card instead of the form: `showing_detail` stays False, so nothing can be saved."""
        self.damaged_page.show_customer(customer_id)
        self.setCurrentWidget(self.damaged_page)

    @property
    def showing_damaged(self) -> bool:
        return self.currentWidget() is self.damaged_page

    @property
    def showing_detail(self) -> bool:
        return self.currentWidget() is self.detail_page
