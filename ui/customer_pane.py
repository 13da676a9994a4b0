"""The right-hand side: a hint card when nothing is open, else the customer's sections in a scroll area (or,
for a customer whose record does not open, a card saying so instead of the form)."""

from __future__ import annotations

from itertools import pairwise
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from ui.customer_form import CustomerForm
from ui.damaged_records import DamagedCard
from ui.theme import label
from ui.wheel_guard import install_wheel_guard


class TabSection(Protocol):
    def tab_widgets(self) -> list[QWidget]:
        """The section's focusable widgets, in the order Tab should visit them (hidden ones are skipped by Qt)."""
        ...


HINT_HTML = """
<p style="font-size:13pt; font-weight:600;">At the counter</p>
<table cellpadding="4">
<tr><td><b>Type</b></td><td>a {search_words} to find a customer</td></tr>
<tr><td><b>↓ / Enter</b></td><td>move into the list / open the customer</td></tr>
<tr><td><b>Ctrl+N</b></td><td>new customer, filled in from what you typed</td></tr>
<tr><td><b>Ctrl+S</b></td><td>save</td></tr>
<tr><td><b>Esc</b></td><td>back to the search box</td></tr>
<tr><td><b>F2</b></td><td>record a visit of the customer you have open</td></tr>
<tr><td><b>Ctrl+P</b></td><td>print the customer's privacy notice</td></tr>
<tr><td><b>Ctrl+B</b></td><td>back up now</td></tr>
<tr><td><b>Ctrl+L</b></td><td>lock the book when you step away</td></tr>
<tr><td><b>F1</b></td><td>every shortcut</td></tr>
</table>
"""


class CustomerPane(QStackedWidget):
    """Holds the customer form and, below it, the sections later features add (visits, consent…)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        hint_card = QFrame(self)
        hint_card.setProperty("role", "card")
        hint = self.hint = label(HINT_HTML.format(search_words="name, phone or e-mail"), "hint")
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
        self._tab_sections: list[TabSection] = []
        install_wheel_guard()  # the wheel scrolls this page instead of changing the combo box under the pointer

    def set_search_words(self, words: str) -> None:
        """What the hint says typing finds ("name or phone"): only what the shop collects (ui/shop_settings.py)."""
        self.hint.setText(HINT_HTML.format(search_words=words))

    def add_section(self, widget: QWidget, tab_section: TabSection | None = None) -> None:
        """Append a section under the form (before the stretch); `tab_section` joins the Tab order in this order."""
        self._sections.insertWidget(self._sections.count() - 1, widget)
        if tab_section is not None:
            self._tab_sections.append(tab_section)

    def _form_chain(self) -> list[QWidget]:
        """The form's own focusable widgets in their current focus order, Save last and "Back to search" left out."""
        form, found = self.form, []
        widget = form.nextInFocusChain()
        for _ in range(10_000):  # the chain is a ring over every widget in the window
            if widget is None or widget is form:
                break
            if form.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                found.append(widget)
            widget = widget.nextInFocusChain()
        chain = [w for w in found if w not in (form.save_button, form.cancel_button)]
        return [*chain, form.save_button]

    def refresh_tab_order(self) -> None:
        """The page's Tab order, set here and nowhere else: form → Save → question → consent → visits → what we
        know. Sections call this after rebuilding their rows. "Back to search" (Esc) comes last: no detour."""
        chain = self._form_chain()
        for section in self._tab_sections:
            chain += section.tab_widgets()
        chain.append(self.form.cancel_button)
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

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
