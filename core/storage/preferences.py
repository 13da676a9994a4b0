"""Per-computer preferences that are not personal data (auto-lock delay, remembered-device id, backups)."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from core.storage.atomic import write_private_atomic

log = logging.getLogger(__name__)
DEFAULT_AUTO_LOCK_MINUTES = 5


@dataclass
class Preferences:
    auto_lock_minutes: int = DEFAULT_AUTO_LOCK_MINUTES
    remembered_device_id: str = ""  # set when "remember on this computer" is on; the secret is in the keyring
    # Who serves at this counter: recorded with consent events and audit entries. A role or first name,
    # not a secret; staff accounts with their own key slots come later.
    staff_name: str = ""
    # Backups (a folder path is not personal data). Rotation counts follow grandfather-father-son.
    backup_folder: str = ""
    backup_on_close: bool = False
    backup_daily: bool = False
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12
    remind_after_days: int = 7
    last_backup_at: str = ""  # UTC ISO time of the last backup that passed its check
    last_backup_file: str = ""
    # False when that backup was made while the book was locked: checked against what was encrypted, but not
    # decrypted back (that needs the key). Old preference files predate locked backups, hence the default.
    last_backup_decrypted: bool = True

    @classmethod
    def load(cls, path: Path) -> Preferences:
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            # Preferences are a convenience: a damaged file falls back to defaults instead of blocking unlock.
            log.warning("preferences unreadable, using defaults: %s", type(exc).__name__)
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known} if isinstance(raw, dict) else {}
        prefs = cls(**values)
        prefs.auto_lock_minutes = max(1, min(240, int(prefs.auto_lock_minutes)))
        prefs.keep_daily = max(1, min(60, int(prefs.keep_daily)))
        prefs.keep_weekly = max(0, min(52, int(prefs.keep_weekly)))
        prefs.keep_monthly = max(0, min(120, int(prefs.keep_monthly)))
        prefs.remind_after_days = max(1, min(365, int(prefs.remind_after_days)))
        return prefs

    def save(self, path: Path) -> None:
        write_private_atomic(path, (json.dumps(asdict(self), indent=2) + "\n").encode("utf-8"))
