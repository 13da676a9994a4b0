"""The owner's edits to the catalogue: validated, versioned, with history, kept encrypted in the settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from core.catalogue.model import Catalogue, CatalogueError, ConsentPurpose, FieldSpec
from core.catalogue.parse import catalogue_from_json, load_default_catalogue
from core.errors import CounterpartError, ValidationError
from core.storage.settings_store import SettingsStore
from core.text.card_details import refuse_card_numbers

# The pointer holds the current catalogue and the history; each version's full content is kept under its own
# key so a consent record's notice hash can always be traced back to the exact texts (PRIVACY.md: old versions
# are kept forever).
SETTINGS_KEY = "catalogue"
SNAPSHOT_KEY = "catalogue/v{version}"
SHIPPED_BY = "Counterpart"


class CatalogueChanged(CounterpartError):
    """The catalogue was saved by someone else since this copy was read; the edit would overwrite theirs."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            f"The catalogue was changed in the meantime (it is now version {current_version}). "
            "Close Settings, open it again and make your change once more."
        )
        self.current_version = current_version


@dataclass(frozen=True)
class CatalogueVersionInfo:
    version: int
    saved_at: str  # UTC ISO 8601; "" for the shipped default
    changed_by: str
    note: str
    content_hash: str


class CatalogueStore:
    """Reads the catalogue in force and saves the owner's edits as new versions."""

    def __init__(self, settings: SettingsStore) -> None:
        self._settings = settings
        self._current: Catalogue | None = None

    def current(self) -> Catalogue:
        """The catalogue in force: the shipped default until the owner saves a change."""
        if self._current is None:
            self._current = self._read_current()
        return self._current

    def save(self, catalogue: Catalogue, changed_by: str, note: str = "") -> Catalogue:
        """Validate and store `catalogue` as the next version. Raises CatalogueError (nothing stored) or
        CatalogueChanged when it was based on an older version. Saving unchanged content keeps the version."""
        current = self.current()
        if catalogue.version != current.version:
            raise CatalogueChanged(current.version)
        # A round trip through the stored form runs every check the shipped files get (types, texts, rules).
        checked = catalogue_from_json(catalogue.to_json())
        _check_edit(current, checked)
        _refuse_card_details(checked, note)
        if _same_content(current, checked):
            return current
        saved = replace(checked, version=current.version + 1)
        stored = self._settings.get(SETTINGS_KEY)
        history: list[dict[str, Any]] = list(stored["history"]) if stored else [asdict(_shipped_info(current))]
        if stored is None:
            self._settings.set(SNAPSHOT_KEY.format(version=current.version), current.to_json())
        info = CatalogueVersionInfo(
            saved.version, _utc_now(), changed_by.strip() or "Owner", note.strip(), saved.content_hash()
        )
        history.append(asdict(info))
        # Snapshot first: if the pointer write fails, the old version stays in force and nothing is half-saved.
        self._settings.set(SNAPSHOT_KEY.format(version=saved.version), saved.to_json())
        self._settings.set(SETTINGS_KEY, {"current": saved.to_json(), "history": history})
        self._current = saved
        return saved

    def history(self) -> list[CatalogueVersionInfo]:
        """Every version, oldest first; version 1 is the shipped default."""
        stored = self._settings.get(SETTINGS_KEY)
        if stored is None:
            return [_shipped_info(self.current())]
        return [CatalogueVersionInfo(**entry) for entry in stored["history"]]

    def version(self, number: int) -> Catalogue:
        """The exact content of an earlier version (for notices and consent records). KeyError if unknown."""
        current = self.current()
        if number == current.version:
            return current
        snapshot = self._settings.get(SNAPSHOT_KEY.format(version=number))
        if snapshot is None:
            raise KeyError(number)
        return catalogue_from_json(snapshot)

    def _read_current(self) -> Catalogue:
        stored = self._settings.get(SETTINGS_KEY)
        if stored is None:
            return load_default_catalogue()
        return catalogue_from_json(stored["current"])


def _check_edit(before: Catalogue, after: Catalogue) -> None:
    """Rules about the change itself: stored answers must keep meaning, so fields are switched off, not removed."""
    new_keys = {spec.key for spec in after.fields}
    for old in before.fields:
        if old.key not in new_keys:
            raise CatalogueError(
                old.key, "a field cannot be removed once it exists (answers may be stored); switch it off."
            )
        new = after.field(old.key)
        if new.type is not old.type:
            raise CatalogueError(old.key, "the type of an existing field cannot change (stored answers would not fit).")
        if new.builtin != old.builtin:
            raise CatalogueError(old.key, "a built-in field cannot become a custom field, or the other way round.")
    old_keys = {spec.key for spec in before.fields}
    for spec in after.fields:
        if spec.key not in old_keys and spec.builtin:
            raise CatalogueError(spec.key, "a field added by the shop must be marked as custom (builtin = false).")
    old_purposes = {p.key for p in before.purposes}
    if {p.key for p in after.purposes} != old_purposes:
        raise CatalogueError(
            "", "consent purposes cannot be added or removed here, only switched on or off and reworded."
        )


def _refuse_card_details(catalogue: Catalogue, note: str) -> None:
    """The owner's texts are printed on notices and kept in the book: no card details in them, as in customer text."""

    texts: list[tuple[str, str, object]] = [("", "note", note)]
    entries: list[FieldSpec | ConsentPurpose] = [*catalogue.fields, *catalogue.purposes]
    for entry in entries:
        for setting, value in asdict(entry).items():
            texts += [(entry.key, setting, text) for text in (value if isinstance(value, tuple) else (value,))]
    for key, setting, text in texts:
        if not isinstance(text, str):
            continue
        try:
            refuse_card_numbers(setting, text)
        except ValidationError as error:
            raise CatalogueError(key, error.message, setting=setting) from error


def _same_content(a: Catalogue, b: Catalogue) -> bool:
    return replace(a, version=0).to_json() == replace(b, version=0).to_json()


def _shipped_info(catalogue: Catalogue) -> CatalogueVersionInfo:
    return CatalogueVersionInfo(1, "", SHIPPED_BY, "As shipped with Counterpart", catalogue.content_hash())


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
