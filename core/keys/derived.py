"""Keys derived from the data keys, one per seal version: the consent ledger's and the audit log's MAC keys."""

from __future__ import annotations

from core.errors import DamagedFile
from core.keys import crypto
from core.keys.vault import UnlockedKeys, VaultHeader


class DerivedKeys:
    """seal version → a key derived (HKDF) from the data key that seal version uses, each derived once into a
    bytearray that `forget()` zeroes at lock (the consent ledger's and the audit log's MAC keys)."""

    def __init__(self, header: VaultHeader, keys: UnlockedKeys, salt: bytes, info: bytes) -> None:
        self._key_of = {spec.version: spec.key for spec in header.seal_specs()}
        self._keys, self._salt, self._info = keys, salt, info
        self._cache: dict[int, bytearray] = {}

    def __call__(self, version: int) -> bytearray:
        if version not in self._cache:
            if version not in self._key_of:
                raise DamagedFile(f"The key file (vault.json) does not know seal version {version}.")
            key_version = self._key_of[version]
            secret = self._keys.data_key if key_version == self._keys.key_version else self._keys.retired[key_version]
            self._cache[version] = crypto.hkdf_key_buffer(secret, self._salt, self._info)
        return self._cache[version]

    def forget(self) -> None:
        for key in self._cache.values():
            key[:] = bytes(len(key))
        self._cache = {}
