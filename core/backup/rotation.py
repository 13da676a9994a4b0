"""Which old automatic backups to delete: keep the newest of each recent day, week and month (grandfather-father-son).

Only files named as automatic backups ("<shop>-<time>[-n]-auto.age", see export.AUTOMATIC_SUFFIX) are candidates.
Manual backups (Ctrl+B) and backups from before automatic ones were named apart ("<shop>-<time>.age") are never
listed here: what cannot be shown to be automatic is the owner's, and is not removed without asking."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_AUTOMATIC = re.compile(r"^(?P<slug>.+)-(?P<stamp>\d{4}-\d{2}-\d{2}-\d{6})(?:-\d+)?-auto\.age$")


@dataclass(frozen=True)
class RotationPolicy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime


def list_backups(folder: Path, slug: str) -> list[BackupFile]:
    """This shop's automatic backups in `folder`, newest first. Manual backups, passphrase copies, other shops'
    backups and other files are ignored."""
    found = []
    for path in folder.glob(f"{slug}-*-auto.age"):
        match = _AUTOMATIC.match(path.name)
        if match is None or match["slug"] != slug:
            continue
        try:
            taken = datetime.strptime(match["stamp"], "%Y-%m-%d-%H%M%S")
        except ValueError:
            continue
        found.append(BackupFile(path, taken))
    return sorted(found, key=lambda backup: backup.taken_at, reverse=True)


def backups_to_remove(backups: list[BackupFile], policy: RotationPolicy, keep: Path | None = None) -> list[Path]:
    """Backups outside the policy. The newest backup and `keep` (the one just written) are never removed."""
    ordered = sorted(backups, key=lambda backup: backup.taken_at, reverse=True)
    kept: set[Path] = {ordered[0].path} if ordered else set()
    if keep is not None:
        kept.add(keep)
    buckets: list[tuple[int, object]] = []
    for count, key in (
        (policy.daily, lambda b: b.taken_at.date()),
        (policy.weekly, lambda b: b.taken_at.isocalendar()[:2]),
        (policy.monthly, lambda b: (b.taken_at.year, b.taken_at.month)),
    ):
        seen: list[object] = []
        for backup in ordered:  # newest first: the first backup of each period is that period's keeper
            period = key(backup)
            if period in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(period)
            kept.add(backup.path)
        buckets.append((count, seen))
    return [backup.path for backup in ordered if backup.path not in kept]
