"""The unlocked book's key file: the vault header in force and every change to it, each one sealed and atomic.

Changing the passphrase and remembering or forgetting this computer only re-wrap the same data key; nothing in
the database is re-encrypted.
"""

from __future__ import annotations

import base64
import logging
import secrets
from dataclasses import replace

from core.errors import VaultTampered
from core.keys import crypto, vault
from core.keys.keyring_cache import DeviceKeyring, KeyringUnavailable
from core.keys.rotation import Rotated, rotate, with_format_upgrade, without_unused
from core.storage.data_folder import DataFolder
from core.storage.preferences import Preferences
from core.storage.settings_store import SettingsStore
from core.storage.vault_file import write_vault

log = logging.getLogger(__name__)
VAULT_SEALED = "vault/sealed"  # settings key: this book's vault.json carries a keyed seal


class KeyFile:
    def __init__(self, folder: DataFolder, header: vault.VaultHeader, keys: vault.UnlockedKeys) -> None:
        self._folder = folder
        self.header = header
        self._keys = keys

    def _write(self, header: vault.VaultHeader) -> None:
        self.header = write_vault(self._folder.vault, header, self._keys)

    def seal_if_needed(self, settings: SettingsStore) -> None:
        """A book remembers (sealed, in its database) that its vault.json is sealed, so a format-1 file put in
        its place — with a recovery slot removed, say — cannot pass as an old unsealed one."""
        remembered = settings.get(VAULT_SEALED, False)
        if self._keys.vault_sealed:
            if not remembered:
                settings.set(VAULT_SEALED, True)
        elif remembered:
            raise VaultTampered()
        else:  # the first unlock of a book made before the seal existed
            self._write(self.header)
            settings.set(VAULT_SEALED, True)

    @property
    def keys(self) -> vault.UnlockedKeys:
        return self._keys

    @property
    def reseal_pending(self) -> bool:
        return len(self.header.seal_specs()) > 1

    def upgrade_format(self) -> bool:
        """Give a book from before format 2 a format-2 seal version (same key); rows move to it in the background."""
        upgraded = with_format_upgrade(self.header)
        if upgraded is None:
            return False
        self._write(upgraded)
        return True

    def rotate(self, passphrase: str, kdf: crypto.KdfParams) -> Rotated:
        """Switch the book to a new data key (see core/keys/rotation.py); the old keys stay, sealed under the new
        one, until every row has moved. From the moment this returns, new values are sealed with the new key."""
        rotated = rotate(self.header, self._keys, passphrase, kdf)
        self._keys = rotated.keys
        self._write(rotated.header)
        return rotated

    def drop_unused(self, versions_in_use: set[int]) -> None:
        """After every row moved: forget seal versions and older data keys nothing uses any more."""
        slimmer = without_unused(self.header, self._keys, versions_in_use)
        if slimmer.seal_specs() != self.header.seal_specs() or slimmer.retired_keys != self.header.retired_keys:
            self._write(slimmer)

    def mirror_epoch(self, epoch: int) -> None:
        """Keep the database's unlock epoch in the sealed key file too (core/storage/book_state.py)."""
        if self.header.epoch != epoch:
            self._write(replace(self.header, epoch=epoch))

    def change_passphrase(self, new_passphrase: str, kdf: crypto.KdfParams) -> None:
        """Re-wrap the data key under a new passphrase. Slow (key derivation)."""
        self._write(vault.with_new_passphrase(self.header, self._keys, new_passphrase, kdf))

    def remember(self, keyring: DeviceKeyring) -> None:
        """Add a device slot and keep its secret in the OS keyring. Raises KeyringUnavailable, changes nothing."""
        device_id = secrets.token_hex(8)
        secret = secrets.token_bytes(32)
        keyring.store(device_id, base64.b64encode(secret).decode("ascii"))
        self._write(vault.with_device_slot(self.header, self._keys, device_id, secret))
        prefs = Preferences.load(self._folder.preferences)
        if prefs.remembered_device_id and prefs.remembered_device_id != device_id:
            forget_device(prefs.remembered_device_id, keyring, self)
        prefs.remembered_device_id = device_id
        prefs.save(self._folder.preferences)

    def drop_device(self, device_id: str) -> None:
        self._write(self.header.without_slot(vault.KIND_DEVICE, device_id))


def forget_device(device_id: str, keyring: DeviceKeyring, key_file: KeyFile | None) -> None:
    """Remove the device's slot (when unlocked) and its secret from the keyring (always)."""
    if key_file is not None:
        key_file.drop_device(device_id)
    try:
        keyring.forget(device_id)
    except KeyringUnavailable:
        log.warning("could not remove the remembered key from the keyring; its vault slot is gone anyway")
