"""When to back up automatically, what to say in the status bar, and what to remember after a backup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pyrage import x25519

from core.backup.export import BackupResult, Progress, create_backup, shop_slug
from core.backup.rotation import RotationPolicy, backups_to_remove, list_backups
from core.storage.data_folder import DataFolder
from core.storage.preferences import Preferences
from core.text.plural import count_of


@dataclass(frozen=True)
class BackupStatus:
    text: str
    needs_attention: bool


def _last(preferences: Preferences) -> datetime | None:
    try:
        return datetime.fromisoformat(preferences.last_backup_at) if preferences.last_backup_at else None
    except ValueError:
        return None


def _ago(delta: timedelta) -> str:
    if delta < timedelta(minutes=2):
        return "just now"
    if delta < timedelta(hours=2):
        return f"{int(delta.total_seconds() // 60)} minutes ago"
    if delta < timedelta(days=2):
        return f"{int(delta.total_seconds() // 3600)} hours ago"
    return f"{count_of(delta.days, 'day')} ago"


def backup_status(preferences: Preferences, now: datetime | None = None) -> BackupStatus:
    """The one line the status bar shows about backups, and whether it is a reminder."""
    now = now or datetime.now(UTC)
    folder = preferences.backup_folder
    if folder and not Path(folder).is_dir():
        return BackupStatus("Backup folder not found — is the USB stick plugged in?", True)
    last = _last(preferences)
    if last is None:
        return BackupStatus("No backup yet — press Ctrl+B", True)
    age = now - last
    if age > timedelta(days=preferences.remind_after_days):
        return BackupStatus(f"Last backup {count_of(age.days, 'day')} ago — press Ctrl+B", True)
    if not preferences.last_backup_decrypted:
        return BackupStatus(f"Last backup checked {_ago(age)} (made while locked: not decrypted back)", False)
    return BackupStatus(f"Last backup verified {_ago(age)}", False)


def daily_backup_due(preferences: Preferences, now: datetime | None = None) -> bool:
    if not (preferences.backup_daily and preferences.backup_folder and Path(preferences.backup_folder).is_dir()):
        return False
    last = _last(preferences)
    return last is None or (now or datetime.now(UTC)) - last >= timedelta(hours=23)


def record_backup(preferences: Preferences, path: Path, when: datetime | None = None, decrypted: bool = True) -> None:
    preferences.last_backup_at = (when or datetime.now(UTC)).isoformat(timespec="seconds")
    preferences.last_backup_file = str(path)
    preferences.last_backup_decrypted = decrypted


def rotate(preferences: Preferences, shop_name: str, just_written: Path) -> list[Path]:
    """Delete this shop's old automatic backups in the backup folder beyond the rotation; returns what was
    removed. Manual backups are never candidates (see rotation.list_backups)."""
    if not preferences.backup_folder or just_written.parent != Path(preferences.backup_folder):
        return []  # only the automatic folder is rotated; a one-off copy elsewhere is the owner's business
    policy = RotationPolicy(preferences.keep_daily, preferences.keep_weekly, preferences.keep_monthly)
    removed = backups_to_remove(list_backups(just_written.parent, shop_slug(shop_name)), policy, keep=just_written)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def remember_backup(preferences: Preferences, result: BackupResult, when: datetime | None = None) -> list[Path]:
    """After a successful backup: the first folder used becomes the backup folder, the backup is recorded and,
    after an automatic backup, the folder rotated. Returns the old automatic backups removed by rotation.

    A manual backup (Ctrl+B) rotates nothing: the owner asked for one more copy, not for fewer; a second one
    the same day used to make the first one "old" and delete it."""
    if not preferences.backup_folder:
        preferences.backup_folder = str(result.path.parent)
    record_backup(preferences, result.path, when, decrypted=result.decrypted)
    if not result.automatic:
        return []
    return rotate(preferences, result.manifest.shop_name, result.path)


@dataclass(frozen=True)
class LockedBackupKey:
    """What an automatic backup needs while the book is locked. Both parts are public: the shop's name is in
    every backup's file name, and an age recipient can only encrypt, never decrypt."""

    shop_name: str
    recipient: str


def locked_backup_key(shop_name: str, identity: str) -> LockedBackupKey:
    """Taken while the book is unlocked. The recipient is derived from the sealed identity itself, so a locked
    backup can only be sealed to the key on the recovery sheet, whatever vault.json says meanwhile."""
    return LockedBackupKey(shop_name, str(x25519.Identity.from_str(identity).to_public()))


@dataclass(frozen=True)
class CloseBackup:
    run: bool
    locked: bool = False  # run with the public recipient only: checked, not decrypted back
    reason: str = ""  # why it does not run, for the owner; empty when it was not asked for


def close_backup_decision(
    preferences: Preferences, *, unlocked: bool, locked_key: LockedBackupKey | None
) -> CloseBackup:
    """Whether closing the window should first write the automatic 'on close' backup, and how."""
    if not preferences.backup_on_close:
        return CloseBackup(False)
    if not preferences.backup_folder:
        return CloseBackup(False, reason="No backup folder is set in Settings → Backups.")
    if unlocked:
        return CloseBackup(True)
    if locked_key is not None:
        return CloseBackup(True, locked=True)
    # Records change only while the book is unlocked, so the last backup already holds everything.
    return CloseBackup(False, reason="The book was not unlocked since Counterpart started, so nothing changed.")


def back_up_locked(
    *,
    engine: object,
    folder: DataFolder,
    key: LockedBackupKey,
    destination: Path,
    progress: Progress,
    cancelled: Callable[[], bool],
) -> BackupResult:
    """The on-close backup while the book is locked (after idle auto-lock): the snapshot and vault are copied
    as they are on disk (ciphertext and wrapped keys), and the result is checked as check_sealed_file says."""
    return create_backup(
        engine=engine,
        folder=folder,
        shop_name=key.shop_name,
        recipient=key.recipient,
        identity=None,
        destination=destination,
        progress=progress,
        cancelled=cancelled,
        automatic=True,  # only the on-close backup runs while locked
    )
