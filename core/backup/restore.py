"""Restore: open a backup in memory, show what it holds, then put it in place after a safety copy."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.backup.age_file import decrypt_backup
from core.backup.archive import DATABASE, VAULT, Manifest, read_archive
from core.backup.errors import BackupError, BackupFromNewerVersion, BackupTampered, NotABackup
from core.errors import CounterpartError
from core.storage.atomic import ensure_private_dir, write_private_atomic
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

    The current database and key file move to safety-copies/before-restore-<time>/ first; if anything
    fails, they are moved back. Returns the safety-copy folder (None when there was no book yet).
    """
    folder.ensure()
    current = _files_of(folder)
    safety: Path | None = None
    if current:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        safety = folder.safety_copies / f"before-restore-{stamp}"
        ensure_private_dir(safety)
        for path in current:
            os.replace(path, safety / path.name)
    try:
        write_private_atomic(folder.database, opened.database)
        write_private_atomic(folder.vault, opened.vault)
        read_vault(folder.vault)  # refuses a damaged key file before the owner tries to unlock
    except (OSError, CounterpartError) as exc:
        for path in (folder.database, folder.vault):
            with contextlib.suppress(OSError):
                path.unlink()
        if safety is not None:
            for saved in safety.iterdir():
                os.replace(saved, folder.root / saved.name)
            shutil.rmtree(safety, ignore_errors=True)
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
    return safety
