"""When to back up automatically, what to say in the status bar, and rotating after a backup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.backup.export import shop_slug
from core.backup.rotation import RotationPolicy, backups_to_remove, list_backups
from core.preferences import Preferences


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
    return f"{delta.days} days ago"


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
        return BackupStatus(f"Last backup {age.days} days ago — press Ctrl+B", True)
    return BackupStatus(f"Last backup verified {_ago(age)}", False)


def daily_backup_due(preferences: Preferences, now: datetime | None = None) -> bool:
    if not (preferences.backup_daily and preferences.backup_folder and Path(preferences.backup_folder).is_dir()):
        return False
    last = _last(preferences)
    return last is None or (now or datetime.now(UTC)) - last >= timedelta(hours=23)


def record_backup(preferences: Preferences, path: Path, when: datetime | None = None) -> None:
    preferences.last_backup_at = (when or datetime.now(UTC)).isoformat(timespec="seconds")
    preferences.last_backup_file = str(path)


def rotate(preferences: Preferences, shop_name: str, just_written: Path) -> list[Path]:
    """Delete this shop's old backups in the backup folder beyond the rotation; returns what was removed."""
    if not preferences.backup_folder or just_written.parent != Path(preferences.backup_folder):
        return []  # only the automatic folder is rotated; a one-off copy elsewhere is the owner's business
    policy = RotationPolicy(preferences.keep_daily, preferences.keep_weekly, preferences.keep_monthly)
    removed = backups_to_remove(list_backups(just_written.parent, shop_slug(shop_name)), policy, keep=just_written)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
