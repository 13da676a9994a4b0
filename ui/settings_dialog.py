"""The Settings window: a list of pages on the left, the chosen page on the right, one Save for all."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.book import CustomerBook
from ui.theme import label


class SettingsPage(QWidget):
    """One page of settings. Subclasses fill themselves from the book and write back on save()."""

    key = ""  # stable name, used to open a page directly ("the notice needs the shop's address")
    title = ""

    def __init__(self, book: CustomerBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book

    def load(self) -> None:
        """Fill the widgets from the book."""

    def save(self) -> str | None:
        """Validate and store. Return None on success, or a plain message that names what to fix."""
        return None

    def focus_first_problem(self) -> None:
        """Put the cursor where the owner has something to fix (opened because something needs it)."""


class SettingsDialog(QDialog):
    """Modal settings; pages are saved in order and the first refusal keeps the dialog open on that page."""

    settings_saved = Signal()

    def __init__(
        self, book: CustomerBook, pages: list[type[SettingsPage]], open_page: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings — Counterpart")
        self.resize(960, 620)  # the shop profile form fits without a sideways scroll; still inside 1366×768
        self.pages = [page(book) for page in pages]
        self.page_list = QListWidget()
        self.page_list.setFixedWidth(190)
        self.stack = QStackedWidget()
        for page in self.pages:
            page.load()
            self.page_list.addItem(page.title)
            self.stack.addWidget(page)
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.error = label("", "error")
        self.error.setObjectName("settings_error")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.show_page(open_page)

    def show_page(self, key: str) -> None:
        index = next((i for i, page in enumerate(self.pages) if page.key == key), 0)
        self.page_list.setCurrentRow(index)
        if key:  # opened for a reason (the notice needs the address): the cursor goes to what needs filling
            self.pages[index].focus_first_problem()

    def page(self, key: str) -> SettingsPage:
        return next(page for page in self.pages if page.key == key)

    def save(self) -> None:
        for index, page in enumerate(self.pages):
            problem = page.save()
            if problem:
                self.page_list.setCurrentRow(index)
                self.error.setText(f"{page.title}: {problem}")
                return
        self.error.setText("")
        self.settings_saved.emit()
        self.accept()


def heading(text: str) -> QLabel:
    title = label(text, "heading")
    title.setAlignment(Qt.AlignmentFlag.AlignLeft)
    return title
