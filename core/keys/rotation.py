"""Key rotation: a new data key, so that an old copy of vault.json (in every backup and safety copy) and an old
passphrase, recovery key or remembered-device secret no longer open anything written from now on.

Only the key material is made here; moving the rows to the new key is core/storage/reseal.py. The old data keys
ride along in the new vault, sealed under the new key, until no row uses them. The recovery key and the backup
key are replaced too (their secrets are in the old vault, so keeping them would defeat the rotation): the owner
prints a new recovery sheet. Remembered devices are forgotten; the owner can remember this computer again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.keys import crypto
from core.keys.recovery_key import new_recovery_key
from core.keys.seals import CURRENT_FORMAT, SealSpec, seal_ring
from core.keys.vault import (
    KIND_RECOVERY,
    UnlockedKeys,
    VaultHeader,
    passphrase_slot,
    seal_backup_identity,
    secret_slot,
)


@dataclass(frozen=True)
class Rotated:
    header: VaultHeader  # not yet signed or written
    keys: UnlockedKeys
    recovery_key: str
    backup_identity: str


def rotate(header: VaultHeader, keys: UnlockedKeys, passphrase: str, kdf: crypto.KdfParams) -> Rotated:
    """A vault with a new data key, new passphrase and recovery slots, and a new backup key. Slow (KDF)."""
    import pyrage

    data_key = crypto.new_key()
    key_version = max(keys.key_version, *keys.retired, *(s.key for s in header.seal_specs())) + 1
    in_use = {spec.key for spec in header.seal_specs()}
    retired = {k: keys.key(k) for k in in_use}  # every key some row may still be sealed with
    recovery_text, recovery_secret = new_recovery_key()
    identity = pyrage.x25519.Identity.generate()
    seal = SealSpec(header.current_seal().version + 1, key_version, CURRENT_FORMAT)
    rotated = replace(
        header,
        key_version=key_version,
        slots=(
            passphrase_slot(passphrase, data_key, kdf, key_version),
            secret_slot(KIND_RECOVERY, recovery_secret, data_key, key_version),
        ),
        backup_recipient=str(identity.to_public()),
        sealed_backup_identity=seal_backup_identity(data_key, str(identity), key_version),
        must_change_passphrase=False,
        seals=(*header.seal_specs(), seal),
        retired_keys=seal_ring(data_key, key_version, retired),
        mac="",
    )
    new_keys = UnlockedKeys(
        bytearray(data_key),
        key_version,
        str(identity),
        keys.opened_with,
        vault_sealed=True,
        retired={k: bytearray(v) for k, v in retired.items()},
    )
    return Rotated(rotated, new_keys, recovery_text, str(identity))


def without_unused(header: VaultHeader, keys: UnlockedKeys, versions_in_use: set[int]) -> VaultHeader:
    """The vault once rows moved: seal versions no row uses are gone, and so are data keys no seal needs."""
    current = header.current_seal()
    seals = tuple(s for s in header.seal_specs() if s.version in versions_in_use or s == current)
    needed = {s.key for s in seals} - {header.key_version}
    retired = {k: keys.key(k) for k in needed}
    return replace(header, seals=seals, retired_keys=seal_ring(bytes(keys.data_key), header.key_version, retired))


def with_format_upgrade(header: VaultHeader) -> VaultHeader | None:
    """A new seal version in the current format with the same data key, when the current one is older; or None."""
    current = header.current_seal()
    if current.format >= CURRENT_FORMAT:
        return None
    seal = SealSpec(current.version + 1, header.key_version, CURRENT_FORMAT)
    return replace(header, seals=(*header.seal_specs(), seal), mac="")
