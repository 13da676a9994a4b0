"""The files of a new book, made whole in a staging folder and switched in together (core/storage/switch.py)."""

from __future__ import annotations

from typing import Any

from core.keys.vault import NewVault
from core.storage import switch
from core.storage.data_folder import DataFolder
from core.storage.engine import create_sqlite_engine, migrate
from core.storage.key_file import VAULT_SEALED
from core.storage.records import RecordCipher
from core.storage.settings_store import SettingsStore
from core.storage.vault_file import write_vault


def create_book_files(folder: DataFolder, created: NewVault, first_settings: dict[str, Any]) -> None:
    """The database (schema and `first_settings`, sealed) and vault.json appear together or not at all: a kill
    at any moment leaves no half book for the set-up wizard to be offered over."""
    staging = switch.begin(folder)
    staged = create_sqlite_engine(staging / folder.database.name)
    try:
        migrate(staged, folder)
        settings = SettingsStore(staged, RecordCipher.for_book(created.keys, created.header))
        for key, value in {**first_settings, VAULT_SEALED: True}.items():
            settings.set(key, value)
    finally:
        staged.dispose()  # the last connection checkpoints the WAL into the file and removes it
    write_vault(staging / folder.vault.name, created.header, created.keys)
    database = folder.database.name
    aside = (f"{database}-wal", f"{database}-shm")
    switch.commit(folder, switch.SwitchPlan("set-up", (database, folder.vault.name), aside=aside))
