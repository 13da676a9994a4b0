"""Restore: open a backup in memory, show what it holds, then put it in place after a safety copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.backup.age_file import decrypt_backup
from core.backup.archive import DATABASE, VAULT, Manifest, read_archive
from core.backup.errors import BackupError, BackupFromNewerVersion, BackupTampered, NotABackup
from core.errors import CounterpartError
from core.storage import switch
from core.storage.atomic import write_private_atomic
from core.storage.data_folder import DataFolder
from core.storage.engine import MIGRATIONS_DIR
from core.storage.vault_file import read_vault

MAX_BACKUP_BYTES = 2 * 1024**3  # refuse to load something absurd into memory


@dataclass(frozen=True)
class OpenedBackup:
    """A decrypted, checked backup held in memory, ready to preview and restore."""

    source: Path
    manifest: Manifest
    database: bytes
    vault: bytes


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}


def open_backup(path: Path, secret: str) -> OpenedBackup:
    """Decrypt and check a backup with the backup key or a passphrase copy's passphrase. Nothing touches disk."""
    try:
        size = path.stat().st_size
        if size > MAX_BACKUP_BYTES:
            raise NotABackup()
        blob = path.read_bytes()
    except IsADirectoryError as exc:
        raise NotABackup() from exc
    except OSError as exc:
        raise BackupError(f"The backup file cannot be read: {exc.strerror or type(exc).__name__}.") from exc
    archive = decrypt_backup(blob, secret)
    manifest, contents = read_archive(archive)
    if manifest.schema_revision and manifest.schema_revision not in known_revisions():
        raise BackupFromNewerVersion(f"Counterpart {manifest.app_version}")
    return OpenedBackup(path, manifest, contents[DATABASE], contents[VAULT])


def _files_of(folder: DataFolder) -> list[Path]:
    database = folder.database
    siblings = [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm")]
    return [path for path in (database, *siblings, folder.vault) if path.exists()]


def restore_backup(opened: OpenedBackup, folder: DataFolder) -> Path | None:
    """Replace the book in `folder` with the backup. The book must be closed (engine disposed).

    Crash-safe (core/storage/switch.py): both files are staged and checked first, then switched in under a
    journal; the current database (with its -wal/-shm) and key file move to safety-copies/before-restore-<time>/.
    A failure before the switch leaves the folder as it was. Returns the safety-copy folder (None when there
    was no book yet)."""
    current = _files_of(folder)
    try:
        staging = switch.begin(folder)
        write_private_atomic(staging / folder.database.name, opened.database)
        write_private_atomic(staging / folder.vault.name, opened.vault)
        read_vault(staging / folder.vault.name)  # refuses a damaged key file before anything is replaced
    except (OSError, CounterpartError) as exc:
        switch.complete_pending_switch(folder)  # no journal yet: throws the staged files away
        if isinstance(exc, BackupError):
            raise
        raise (
            BackupTampered()
            if isinstance(exc, CounterpartError)
            else BackupError(
                f"The backup could not be put in place: {getattr(exc, 'strerror', None) or type(exc).__name__}. "
                "The customer book was left as it was."
            )
        ) from exc
    safety: str | None = None
    if current:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        safety = f"{folder.safety_copies.name}/before-restore-{stamp}"
    database = folder.database.name
    plan = switch.SwitchPlan(
        "restore", (database, folder.vault.name), aside=(f"{database}-wal", f"{database}-shm"), safety=safety
    )
    try:
        switch.commit(folder, plan)
    except OSError as exc:
        if not switch.journal_path(folder).exists():
            switch.complete_pending_switch(folder)
            raise BackupError(
                f"The backup could not be put in place: {exc.strerror or type(exc).__name__}. "
                "The customer book was left as it was."
            ) from exc
        raise BackupError(
            f"The restore was interrupted ({exc.strerror or type(exc).__name__}). Counterpart finishes it the next "
            "time it starts: close it and open it again. No book is lost either way."
        ) from exc
    return folder.root / safety if safety else None
