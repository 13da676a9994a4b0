"""`vault.json` on disk: the key file is read whole and replaced atomically, never edited in place."""

from __future__ import annotations

from pathlib import Path

from core.errors import DamagedFile
from core.keys.vault import VaultHeader
from core.storage.atomic import write_private_atomic


def read_vault(path: Path) -> VaultHeader:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DamagedFile(f"The key file {path.name} is missing from {path.parent}.") from exc
    return VaultHeader.from_bytes(data)


def write_vault(path: Path, header: VaultHeader) -> None:
    write_private_atomic(path, header.to_bytes())
