"""`vault.json` on disk: the key file is read whole and replaced atomically, never edited in place."""

from __future__ import annotations

from pathlib import Path

from core.errors import DamagedFile
from core.keys.vault import UnlockedKeys, VaultHeader
from core.storage.atomic import write_private_atomic


def read_vault(path: Path) -> VaultHeader:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DamagedFile(f"The key file {path.name} is missing from {path.parent}.") from exc
    return VaultHeader.from_bytes(data)


def write_vault(path: Path, header: VaultHeader, keys: UnlockedKeys) -> VaultHeader:
    """Seal `header` with the data key (every write is sealed) and replace the file; returns what was written."""
    sealed = header.signed(bytes(keys.data_key))
    write_private_atomic(path, sealed.to_bytes())
    return sealed
