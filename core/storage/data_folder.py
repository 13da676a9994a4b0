"""Where a customer book lives on disk, and the lock that keeps one running instance per folder."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from core.errors import AlreadyRunning
from core.storage.atomic import ensure_private_dir

APP_NAME = "Counterpart"


def default_data_dir() -> Path:
    """The platform's per-user data folder (e.g. ~/.local/share/Counterpart on Linux)."""
    from platformdirs import user_data_path  # imported here: keeps start-up lean for --help

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class DataFolder:
    """Names every file Counterpart keeps in one data folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "counterpart.db"

    @property
    def vault(self) -> Path:
        return self.root / "vault.json"

    @property
    def preferences(self) -> Path:
        return self.root / "preferences.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def safety_copies(self) -> Path:
        return self.root / "safety-copies"

    @property
    def temp(self) -> Path:
        """Private scratch space (snapshots for backups); always inside the data folder, never /tmp."""
        return self.root / "tmp"

    @property
    def lock_file(self) -> Path:
        return self.root / "counterpart.lock"

    def ensure(self) -> None:
        for folder in (self.root, self.logs, self.safety_copies, self.temp):
            ensure_private_dir(folder)

    def is_set_up(self) -> bool:
        return self.vault.exists()


class InstanceLock:
    """An OS-level exclusive lock on the data folder, released automatically if the process dies."""

    def __init__(self, folder: DataFolder) -> None:
        self._folder = folder
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        self._folder.ensure()
        handle = open(self._folder.lock_file, "a+", encoding="ascii")  # noqa: SIM115 - held for the app's life
        try:
            _lock_exclusive(handle)
        except OSError as exc:
            handle.close()
            raise AlreadyRunning(
                f"Counterpart is already open on this customer book ({self._folder.root}). "
                "Switch to that window instead; two copies at once could damage the book."
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock
            self._handle = None


def _lock_exclusive(handle: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
