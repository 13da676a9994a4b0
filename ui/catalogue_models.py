"""Table models over a catalogue draft: the fields the shop collects and the consent purposes it offers."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from core.catalogue import Catalogue, ConsentPurpose, FieldSpec, Sensitivity, Stage
from core.catalogue.edits import can_switch_off, moved

AnyIndex = QModelIndex | QPersistentModelIndex
KeyRole = Qt.ItemDataRole.UserRole + 1

SENSITIVITY_BADGES = {
    Sensitivity.ORDINARY: "",
    Sensitivity.SPECIAL_CATEGORY: "Special category",
    Sensitivity.HIGH_RISK: "High-risk ID",
}
_BADGE_COLOURS = {Sensitivity.SPECIAL_CATEGORY: "#fde2e0", Sensitivity.HIGH_RISK: "#fff0d6"}
CHANNEL_WORDS = {"email": "E-mail", "sms": "Text message", "phone": "Phone call", "post": "Post"}
KIND_WORDS = {
    "marketing": "Marketing",
    "profiling": "Profiling",
    "sharing": "Sharing",
    "sale": "Sale",
    "surveys": "Surveys",
    "special_category": "Health (explicit)",
}


def _check_state(on: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked


def is_checked(value: Any) -> bool:
    # Views send the enum, tests and some styles an int: accept both.
    return bool(value == Qt.CheckState.Checked or value == Qt.CheckState.Checked.value)


class CatalogueFieldsModel(QAbstractTableModel):
    """All fields, first-visit ones first, then the later-visits queue in the order it is asked."""

    COL_ENABLED, COL_LABEL, COL_ASKED, COL_SENSITIVITY = range(4)
    HEADERS = ("On", "Field", "Asked", "Sensitivity")

    field_changed = Signal(str)  # key of a field whose draft changed (ticked, edited, moved)

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__()
        self._catalogue = catalogue
        self._keys: list[str] = []
        self._queue_positions: dict[str, int] = {}
        self._sort()

    # --- the draft ---------------------------------------------------------------------------------------

    def catalogue(self) -> Catalogue:
        return self._catalogue

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.beginResetModel()
        self._catalogue = catalogue
        self._sort()
        self.endResetModel()

    def field_at(self, row: int) -> FieldSpec:
        return self._catalogue.field(self._keys[row])

    def row_of(self, key: str) -> int:
        return self._keys.index(key)

    def replace_field(self, spec: FieldSpec) -> None:
        self._catalogue = self._catalogue.with_field(spec)
        if spec.key not in self._keys:
            self.set_catalogue(self._catalogue)
        else:
            self._queue_positions = self._positions()
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.field_changed.emit(spec.key)

    def move(self, row: int, steps: int) -> int:
        """Move the field at `row` within its stage; returns its new row (unchanged at either end)."""
        key = self._keys[row]
        self.layoutAboutToBeChanged.emit()
        self._catalogue = moved(self._catalogue, key, steps)
        self._sort()
        self.layoutChanged.emit()
        self.field_changed.emit(key)
        return self.row_of(key)

    def _sort(self) -> None:
        rank = {Stage.FIRST_VISIT: 0, Stage.LATER_VISITS: 1}
        ordered = sorted(self._catalogue.fields, key=lambda f: (rank[f.stage], f.order))
        self._keys = [f.key for f in ordered]
        self._queue_positions = self._positions()

    def _positions(self) -> dict[str, int]:
        return {f.key: n for n, f in enumerate(self._catalogue.profile_queue_fields(), start=1)}

    # --- Qt model ----------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_ENABLED and can_switch_off(self.field_at(index.row())):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        spec = self.field_at(index.row())
        column = index.column()
        if role == KeyRole:
            return spec.key
        if role == Qt.ItemDataRole.CheckStateRole and column == self.COL_ENABLED:
            return _check_state(spec.enabled)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(spec, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return spec.purpose
        if role == Qt.ItemDataRole.BackgroundRole and column == self.COL_SENSITIVITY:
            colour = _BADGE_COLOURS.get(spec.sensitivity)
            return QColor(colour) if colour else None
        if (
            role == Qt.ItemDataRole.FontRole
            and column == self.COL_SENSITIVITY
            and spec.sensitivity is not Sensitivity.ORDINARY
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not spec.enabled and column != self.COL_SENSITIVITY:
            return QColor("#7b8587")
        return None

    def _text(self, spec: FieldSpec, column: int) -> str:
        if column == self.COL_LABEL:
            return f"{spec.label} (custom)" if not spec.builtin else spec.label
        if column == self.COL_ASKED:
            if spec.stage is Stage.FIRST_VISIT:
                return "First visit" + (", required" if spec.required else "")
            position = self._queue_positions.get(spec.key)
            return f"Later, #{position}" if position else "Later (off)"
        if column == self.COL_SENSITIVITY:
            return SENSITIVITY_BADGES[spec.sensitivity]
        return ""

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.COL_ENABLED or role != Qt.ItemDataRole.CheckStateRole:
            return False
        spec = self.field_at(index.row())
        if not can_switch_off(spec):
            return False
        self.replace_field(replace(spec, enabled=is_checked(value)))
        return True


class ConsentPurposesModel(QAbstractTableModel):
    """The consent purposes in the order their boxes appear in the customer pane."""

    COL_ENABLED, COL_LABEL, COL_KIND = range(3)
    HEADERS = ("On", "Purpose", "Kind")

    purpose_changed = Signal(str)

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__()
        self._catalogue = catalogue
        self._keys = [p.key for p in sorted(catalogue.purposes, key=lambda p: p.order)]

    def catalogue(self) -> Catalogue:
        return self._catalogue

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.beginResetModel()
        self._catalogue = catalogue
        self._keys = [p.key for p in sorted(catalogue.purposes, key=lambda p: p.order)]
        self.endResetModel()

    def purpose_at(self, row: int) -> ConsentPurpose:
        return self._catalogue.purpose(self._keys[row])

    def row_of(self, key: str) -> int:
        return self._keys.index(key)

    def replace_purpose(self, purpose: ConsentPurpose) -> None:
        self._catalogue = self._catalogue.with_purpose(purpose)
        row = self.row_of(purpose.key)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.purpose_changed.emit(purpose.key)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_ENABLED:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        purpose = self.purpose_at(index.row())
        column = index.column()
        if role == KeyRole:
            return purpose.key
        if role == Qt.ItemDataRole.CheckStateRole and column == self.COL_ENABLED:
            return _check_state(purpose.enabled)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_LABEL:
                return purpose.label
            if column == self.COL_KIND:
                kind = KIND_WORDS.get(purpose.kind, purpose.kind)
                return f"{kind} · {CHANNEL_WORDS[purpose.channel]}" if purpose.channel else kind
            return ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return purpose.description
        if role == Qt.ItemDataRole.ForegroundRole and not purpose.enabled:
            return QColor("#7b8587")
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.COL_ENABLED or role != Qt.ItemDataRole.CheckStateRole:
            return False
        self.replace_purpose(replace(self.purpose_at(index.row()), enabled=is_checked(value)))
        return True
