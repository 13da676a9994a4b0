"""What both catalogue pages share: one draft, saved as one version, with errors shown where they belong."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
)

from core.catalogue import Catalogue, CatalogueError
from core.catalogue.store import CatalogueChanged, CatalogueVersionInfo
from core.errors import CounterpartError
from ui.catalogue_models import CatalogueFieldsModel, ConsentPurposesModel, is_checked
from ui.custom_field_dialog import named
from ui.settings_dialog import SettingsPage


def describe_version(info: CatalogueVersionInfo) -> str:
    if not info.saved_at:
        return f"Version {info.version}, as shipped with Counterpart"
    return f"Version {info.version}, saved {_local(info.saved_at)} by {info.changed_by}"


def _local(saved_at: str) -> str:
    return datetime.fromisoformat(saved_at).astimezone().strftime("%d %b %Y, %H:%M")


def table_view(model: CatalogueFieldsModel | ConsentPurposesModel, name: str) -> QTableView:
    view = named(QTableView(), name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return view


def toggle_current(table: QTableView) -> None:
    index = table.currentIndex()
    if index.isValid():
        box = index.siblingAtColumn(0)
        on = is_checked(box.data(Qt.ItemDataRole.CheckStateRole))
        table.model().setData(
            box, Qt.CheckState.Unchecked if on else Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
        )


class CataloguePage(SettingsPage):
    """Both catalogue pages edit one draft and save it as one version, so a change that spans them (switching on
    health notes and their consent purpose) is checked as a whole. The first of them in the dialog saves."""

    def load(self) -> None:
        self.base = self.book.catalogue.current()
        self.attempt_error: CounterpartError | None = None
        self.reload(self.base)

    def reload(self, catalogue: Catalogue) -> None:
        """Show `catalogue` as the page's starting point."""

    def apply_to(self, catalogue: Catalogue) -> Catalogue:
        """The draft with this page's edits applied."""
        return catalogue

    def owns(self, error: CounterpartError) -> bool:
        return False

    def show_problem(self, error: CatalogueError) -> str:
        """Point at the problem on this page; returns the sentence for the dialog's message line."""
        return error.problem

    def note(self) -> str:
        return ""

    def save(self) -> str | None:
        pages = self.sibling_pages()
        if self is pages[0]:
            self._save_all(pages)
        error = pages[0].attempt_error
        if error is None:
            return None
        owner = next((p for p in pages if p.owns(error)), pages[0])
        if owner is not self:
            return None  # the owning page reports it, so the dialog opens on the page where it can be fixed
        if isinstance(error, CatalogueError):
            return self.show_problem(error)
        return str(error)

    def sibling_pages(self) -> list[CataloguePage]:
        return [p for p in getattr(self.window(), "pages", [self]) if isinstance(p, CataloguePage)] or [self]

    def draft(self) -> Catalogue:
        """The catalogue as edited so far on every catalogue page of this dialog."""
        draft = self.base
        for page in self.sibling_pages():
            draft = page.apply_to(draft)
        return draft

    def _save_all(self, pages: list[CataloguePage]) -> None:
        self.attempt_error = None
        draft = self.draft()
        try:
            for page in pages:
                page.check_confirmations(self.base, draft)
            note = "; ".join(filter(None, (page.note() for page in pages)))
            saved = self.book.catalogue.save(draft, self.book.staff_member(), note)
        except (CatalogueError, CatalogueChanged) as error:
            self.attempt_error = error
            return
        for page in pages:
            page.base = saved
            page.reload(saved)

    def check_confirmations(self, before: Catalogue, after: Catalogue) -> None:
        """Raise CatalogueError when the edit needs a confirmation this page collects and has not got."""

    def version_text(self) -> str:
        return describe_version(self.book.catalogue.history()[-1])
