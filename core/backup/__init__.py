"""Encrypted, verified backups in the age format, their rotation, and restoring them.

Works on whole files: imports core.errors, core.keys and core.storage, never the domain packages."""

from core.backup.errors import (
    BackupCancelled,
    BackupDestinationUnavailable,
    BackupDiskFull,
    BackupError,
    BackupFromNewerVersion,
    BackupNotVerified,
    BackupTampered,
    BackupTruncated,
    BackupWrongKey,
    NotABackup,
)
from core.backup.export import BackupResult, backup_name, create_backup, verify_backup
from core.backup.restore import OpenedBackup, open_backup, restore_backup
from core.backup.rotation import RotationPolicy, backups_to_remove, list_backups

__all__ = [
    "BackupCancelled",
    "BackupDestinationUnavailable",
    "BackupDiskFull",
    "BackupError",
    "BackupFromNewerVersion",
    "BackupNotVerified",
    "BackupResult",
    "BackupTampered",
    "BackupTruncated",
    "BackupWrongKey",
    "NotABackup",
    "OpenedBackup",
    "RotationPolicy",
    "backup_name",
    "backups_to_remove",
    "create_backup",
    "list_backups",
    "open_backup",
    "restore_backup",
    "verify_backup",
]
